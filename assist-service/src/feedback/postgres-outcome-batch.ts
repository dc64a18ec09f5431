import type { Queryable } from '../storage/postgres-database.ts';
import * as records from './event-rows.ts';
import type { FeedbackRecord, KnowledgeGapRecord, SuggestionSetRecord } from './event-store.ts';
import { applyRollupDeltasOn, namedRows, RollupDeltas } from './outcome-rollups.ts';
import { OUTCOME_COLUMNS, OUTCOME_EVENT_FIELDS, OUTCOME_SET_FIELDS, outcomeRowsOf } from './outcomes.ts';

/**
 * An import into PostgreSQL in a few statements per thousand rows instead of one per row: a
 * year of history (decision 0032 measured one statement per row at ~1,000 events/s on this
 * machine). The same rows, the same outcome computation (`outcomeRowsOf`) and the same per-set
 * advisory locks, taken in the same sorted order, as one set at a time (`refreshOutcomesOn`).
 */

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const ROWS_PER_INSERT = 500;
const SETS_PER_REFRESH = 1000;

type Row = Record<string, unknown>;

/** `($1, $2), ($3, $4)…` for `rows` rows of `width` values. */
function valuesList(rows: number, width: number): string {
  return Array.from(
    { length: rows },
    (_, row) =>
      `(${Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`).join(', ')})`,
  ).join(', ');
}

/** Inserts the rows in chunks, skipping known keys; what `returning` names of each row written. */
async function insertMany(
  client: Queryable,
  table: string,
  columns: string,
  conflict: string,
  returning: string,
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<Row[]> {
  const written: Row[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    written.push(
      ...(await client.rows<Row>(
        `INSERT INTO ${table} (${columns}) VALUES ${valuesList(chunk.length, chunk[0]!.length)}
          ON CONFLICT ${conflict} DO NOTHING RETURNING ${returning}`,
        chunk.flat(),
      )),
    );
  }
  return written;
}

/** Recounts the outcome rows of many sets of `tenant`, a thousand sets per handful of statements. */
export async function refreshManyOutcomesOn(
  client: Queryable,
  tenant: string,
  setIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(setIds)].sort();
  // The pre-aggregates change once, after every set's lock: the order refreshOutcomesOn keeps.
  const deltas = new RollupDeltas();
  for (let start = 0; start < ids.length; start += SETS_PER_REFRESH) {
    const chunk = ids.slice(start, start + SETS_PER_REFRESH);
    // One lock per set, in the array's (sorted) order, as refreshOutcomesOn takes them.
    await client.rows(
      `SELECT pg_advisory_xact_lock(hashtext('naparnik-outcomes'), hashtext(key))
        FROM unnest($1::text[]) WITH ORDINALITY AS locked(key, position) ORDER BY position`,
      [chunk.map((id) => `${tenant}/${id}`)],
    );
    deltas.add(
      await client.rows<Row>(
        `DELETE FROM suggestion_outcomes WHERE tenant = $1 AND suggestion_set_id = ANY($2::text[])
          RETURNING ${OUTCOME_COLUMNS}`,
        [tenant, chunk],
      ),
      -1,
    );
    const sets = await client.rows<Row>(
      `SELECT id, ${OUTCOME_SET_FIELDS} FROM suggestion_sets WHERE tenant = $1 AND id = ANY($2::text[])`,
      [tenant, chunk],
    );
    const events = await client.rows<Row>(
      `SELECT suggestion_set_id, ${OUTCOME_EVENT_FIELDS} FROM feedback_events
        WHERE tenant = $1 AND suggestion_set_id = ANY($2::text[])
        ORDER BY suggestion_set_id, occurred_at, event_id`,
      [tenant, chunk],
    );
    const eventsOf = new Map<string, Row[]>();
    for (const event of events) {
      const setId = String(event.suggestion_set_id);
      const list = eventsOf.get(setId) ?? [];
      list.push(event);
      eventsOf.set(setId, list);
    }
    const rows = sets.flatMap((set) =>
      outcomeRowsOf(tenant, String(set.id), set, eventsOf.get(String(set.id)) ?? []),
    );
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const part = rows.slice(at, at + ROWS_PER_INSERT);
      await client.run(
        `INSERT INTO suggestion_outcomes (${OUTCOME_COLUMNS}) VALUES ${valuesList(part.length, part[0]!.length)}`,
        part.flat(),
      );
    }
    deltas.add(namedRows(OUTCOME_COLUMNS, rows), 1);
  }
  await applyRollupDeltasOn(client, tenant, deltas);
}

/** Writes an import's sets, whom they are about, events and gaps, then recounts the sets touched. */
export async function importManyOn(
  client: Queryable,
  tenant: string,
  imported: {
    sets?: readonly SuggestionSetRecord[];
    events?: readonly FeedbackRecord[];
    gaps?: readonly KnowledgeGapRecord[];
  },
): Promise<{ sets: number; events: number; gaps: number }> {
  const sets = imported.sets ?? [];
  const writtenSets = await insertMany(
    client,
    'suggestion_sets',
    records.SET_COLUMNS,
    '(tenant, id)',
    'id',
    sets.map((set) => records.setRow(tenant, set)),
  );
  const subjects = sets.flatMap((set) =>
    [...new Set(set.customerKeys ?? [])].map((key) => [tenant, set.id, 'customer', key, set.createdAt]),
  );
  await insertMany(
    client,
    'data_subjects',
    'tenant, suggestion_set_id, kind, subject_key, created_at',
    '(tenant, kind, subject_key, suggestion_set_id)',
    'suggestion_set_id',
    subjects,
  );
  const writtenEvents = await insertMany(
    client,
    'feedback_events',
    records.FEEDBACK_COLUMNS,
    '(tenant, event_id)',
    'suggestion_set_id',
    (imported.events ?? []).map((event) => records.feedbackRow(tenant, event)),
  );
  const writtenGaps = await insertMany(
    client,
    'knowledge_gaps',
    records.GAP_COLUMNS,
    '(tenant, id)',
    'id',
    (imported.gaps ?? []).map((gap) => records.gapRow(tenant, gap)),
  );
  // Every set given (feedback may have arrived before it) and every set a new event belongs to.
  const touched = new Set([
    ...sets.map((set) => set.id),
    ...writtenEvents.map((row) => String(row.suggestion_set_id)),
  ]);
  await refreshManyOutcomesOn(client, tenant, touched);
  return { sets: writtenSets.length, events: writtenEvents.length, gaps: writtenGaps.length };
}
