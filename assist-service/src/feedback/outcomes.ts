import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Suggestion } from '../contract/index.ts';
import type { Queryable, TransactionalDatabase } from '../storage/postgres-database.ts';
import { applyRollupDeltas, applyRollupDeltasOn, namedRows, RollupDeltas } from './outcome-rollups.ts';

/**
 * One row per shown suggestion with what became of it (`suggestion_outcomes`): the rollup every
 * console figure is counted from (decision 0020). A set's rows are always recomputed whole from
 * its stored set and events, never incremented, so a row is right after an event arrives, after an
 * erasure and after retention deleted some of the set's events: every writer of those tables calls
 * `refreshOutcomes` for the sets it touched, in the same transaction.
 */

type Row = Record<string, unknown>;

/** Texts longer than this are compared on their first characters only: the distance stays O(n²) small. */
export const EDIT_DISTANCE_MAX_CHARS = 2000;

const normalize = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** Whitespace aside, the same comparison the panel makes (extension/src/panel/acceptance.ts). */
export function sameText(left: string, right: string): boolean {
  return normalize(left) === normalize(right);
}

/** Levenshtein distance in characters between two texts, whitespace runs counted as one space. */
export function editDistance(left: string, right: string): number {
  let a = [...normalize(left)].slice(0, EDIT_DISTANCE_MAX_CHARS);
  let b = [...normalize(right)].slice(0, EDIT_DISTANCE_MAX_CHARS);
  // Operators mostly change a greeting or add a line: the shared head and tail cost nothing.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail += 1;
  }
  a = a.slice(head, a.length - tail);
  b = b.slice(head, b.length - tail);
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Int32Array.from({ length: b.length + 1 }, (_, index) => index);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    const character = a[i - 1];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (character === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

interface EventRow {
  type: string;
  suggestionIndex: number;
  operatorId: string | undefined;
  occurredAt: string;
  finalText: string | undefined;
  reason: string | undefined;
  rating: string | undefined;
}

const optional = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A time the page showed, when it reads as an instant; else undefined (pages show "вчера, 14:02"). */
export function parseInstant(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T/u.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** The outcome table's columns, in the order `outcomeRowsOf` gives their values. */
export const OUTCOME_COLUMNS = `tenant, suggestion_set_id, suggestion_index, shown_at,
  shown_ms, operator_id, collection, engine, channel, topic, document, prompt_version, degraded, inserted,
  sent_as_is, sent_edited, dismissed, dismiss_reason, rated_down, rating_reason, edit_distance, reply_ms,
  first_suggestion_ms, title`;
const INSERT_SQL = `INSERT INTO suggestion_outcomes (${OUTCOME_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`;
/** The rows a recount replaces come back, to be taken out of the pre-aggregates (outcome-rollups.ts). */
const DELETE_SQL = `DELETE FROM suggestion_outcomes WHERE tenant = $1 AND suggestion_set_id = $2
  RETURNING ${OUTCOME_COLUMNS}`;
/** What the outcome computation reads of a set and of its events. */
export const OUTCOME_SET_FIELDS = `collection, engine, channel, topic, operator_id, suggestions_json, degraded_reason,
  took_ms, customer_message_at`;
export const OUTCOME_EVENT_FIELDS =
  'type, suggestion_index, operator_id, occurred_at, final_text, reason, rating';
const READ_SET_SQL = `SELECT ${OUTCOME_SET_FIELDS} FROM suggestion_sets WHERE tenant = $1 AND id = $2`;
const READ_EVENTS_SQL = `SELECT ${OUTCOME_EVENT_FIELDS}
  FROM feedback_events WHERE tenant = $1 AND suggestion_set_id = $2 ORDER BY occurred_at, event_id`;
const SHOWN_SETS_SQL =
  "SELECT DISTINCT tenant, suggestion_set_id FROM feedback_events WHERE type = 'suggestion-shown'";

/** The same SQL for node:sqlite, which takes `?` where PostgreSQL takes `$n` (each used once, in order). */
const positional = (sql: string) => sql.replace(/\$\d+/gu, '?');

/**
 * The outcome rows of one set (parameters of INSERT_SQL) from its stored row and its events, oldest
 * first: the one computation both backends store.
 */
export function outcomeRowsOf(
  tenant: string,
  setId: string,
  set: Row,
  eventRows: readonly Row[],
): SQLInputValue[][] {
  const events: EventRow[] = eventRows.map((row) => ({
    type: String(row.type),
    suggestionIndex: Number(row.suggestion_index),
    operatorId: optional(row.operator_id),
    occurredAt: String(row.occurred_at),
    finalText: optional(row.final_text),
    reason: optional(row.reason),
    rating: optional(row.rating),
  }));
  const suggestions = JSON.parse(String(set.suggestions_json)) as Suggestion[];
  const customerAt = parseInstant(optional(set.customer_message_at));
  const shownIndexes = new Set(
    events.filter((e) => e.type === 'suggestion-shown').map((e) => e.suggestionIndex),
  );
  const rows: SQLInputValue[][] = [];
  for (const index of shownIndexes) {
    // Events come oldest first: the first shown is when it was shown; the last edited, dismissed
    // and rated events are what the operator finally did, as the funnel has always counted.
    const mine = events.filter((event) => event.suggestionIndex === index);
    const last = (type: string) => mine.filter((event) => event.type === type).at(-1);
    const shown = mine.filter((event) => event.type === 'suggestion-shown');
    const suggestion = suggestions.find((candidate) => candidate.index === index);
    const sent = last('suggestion-edited');
    const dismissed = last('suggestion-dismissed');
    const rated = last('suggestion-rated');
    const sentText = sent?.finalText;
    const asIs = sentText !== undefined && suggestion !== undefined && sameText(sentText, suggestion.text);
    const sentAt = sent ? Date.parse(sent.occurredAt) : undefined;
    const replyMs =
      sentAt !== undefined && customerAt !== undefined && sentAt >= customerAt ? sentAt - customerAt : null;
    // The operator on a shown event, as the funnel took it: the greatest, when several differ.
    const shownOperator = shown
      .map((event) => event.operatorId)
      .filter((id): id is string => id !== undefined)
      .sort()
      .at(-1);
    rows.push([
      tenant,
      setId,
      index,
      shown[0]!.occurredAt,
      Date.parse(shown[0]!.occurredAt),
      optional(set.operator_id) ?? shownOperator ?? null,
      String(set.collection),
      String(set.engine),
      String(set.channel),
      optional(set.topic) ?? null,
      suggestion?.citations[0]?.documentId ?? null,
      suggestion?.promptId ?? null,
      set.degraded_reason === null || set.degraded_reason === undefined ? 0 : 1,
      mine.some((event) => event.type === 'suggestion-inserted') ? 1 : 0,
      asIs ? 1 : 0,
      sentText !== undefined && !asIs ? 1 : 0,
      dismissed ? 1 : 0,
      dismissed ? (dismissed.reason ?? '') : null,
      rated?.rating === 'down' ? 1 : 0,
      rated?.rating === 'down' ? (rated.reason ?? '') : null,
      sentText !== undefined && suggestion !== undefined ? editDistance(suggestion.text, sentText) : null,
      replyMs,
      typeof set.took_ms === 'number' || typeof set.took_ms === 'bigint' ? Number(set.took_ms) : null,
      suggestion?.title ?? null,
    ]);
  }
  return rows;
}

function prepareStatements(database: DatabaseSync) {
  return {
    deleteRows: database.prepare(positional(DELETE_SQL)),
    readSet: database.prepare(positional(READ_SET_SQL)),
    readEvents: database.prepare(positional(READ_EVENTS_SQL)),
    insert: database.prepare(positional(INSERT_SQL)),
  };
}

/** Prepared once per connection: a refresh runs on every feedback event. */
const prepared = new WeakMap<DatabaseSync, ReturnType<typeof prepareStatements>>();
function statementsOf(database: DatabaseSync) {
  let statements = prepared.get(database);
  if (!statements) {
    statements = prepareStatements(database);
    prepared.set(database, statements);
  }
  return statements;
}

/** Whether a recount keeps the pre-aggregates too: not in the migration that predates them. */
export interface RefreshOptions {
  rollups?: boolean;
}

/**
 * Recomputes the outcome rows of the given sets of `tenant` in SQLite, and the pre-aggregates by
 * what changed; the caller holds the transaction.
 */
export function refreshOutcomes(
  database: DatabaseSync,
  tenant: string,
  setIds: Iterable<string>,
  options: RefreshOptions = {},
): void {
  const { deleteRows, readSet, readEvents, insert } = statementsOf(database);
  const deltas = new RollupDeltas();
  for (const setId of new Set(setIds)) {
    deltas.add(deleteRows.all(tenant, setId) as Row[], -1);
    const set = readSet.get(tenant, setId) as Row | undefined;
    if (!set) continue;
    const events = readEvents.all(tenant, setId) as Row[];
    const rows = outcomeRowsOf(tenant, setId, set, events);
    for (const row of rows) insert.run(...row);
    deltas.add(namedRows(OUTCOME_COLUMNS, rows), 1);
  }
  if (options.rollups !== false) applyRollupDeltas(database, tenant, deltas);
}

/**
 * The same through a transaction's connection (PostgreSQL, or SQLite behind the same interface).
 * With `lockSets`, each set is recounted under a transaction-scoped advisory lock: two PostgreSQL
 * transactions recounting one set at once would otherwise each miss the other's event, or insert
 * the same row twice (READ COMMITTED); SQLite has one writer and needs none.
 */
export async function refreshOutcomesOn(
  client: Queryable,
  tenant: string,
  setIds: Iterable<string>,
  options: { lockSets?: boolean } & RefreshOptions = {},
): Promise<void> {
  const deltas = new RollupDeltas();
  // Sorted, so two transactions recounting several sets take their locks in the same order; the
  // pre-aggregates' rows after every set's (applyRollupDeltasOn sorts those too).
  for (const setId of [...new Set(setIds)].sort()) {
    if (options.lockSets)
      await client.rows("SELECT pg_advisory_xact_lock(hashtext('naparnik-outcomes'), hashtext($1))", [
        `${tenant}/${setId}`,
      ]);
    deltas.add(await client.rows<Row>(DELETE_SQL, [tenant, setId]), -1);
    const [set] = await client.rows<Row>(READ_SET_SQL, [tenant, setId]);
    if (!set) continue;
    const events = await client.rows<Row>(READ_EVENTS_SQL, [tenant, setId]);
    const rows = outcomeRowsOf(tenant, setId, set, events);
    for (const row of rows) await client.run(INSERT_SQL, row);
    deltas.add(namedRows(OUTCOME_COLUMNS, rows), 1);
  }
  if (options.rollups !== false) await applyRollupDeltasOn(client, tenant, deltas);
}

function setsByTenant(rows: readonly Row[]): Map<string, string[]> {
  const byTenant = new Map<string, string[]>();
  for (const row of rows) {
    const tenant = String(row.tenant);
    const ids = byTenant.get(tenant) ?? [];
    ids.push(String(row.suggestion_set_id));
    byTenant.set(tenant, ids);
  }
  return byTenant;
}

/**
 * Fills the outcome rows of every tenant from what is stored: once, on the migration that adds them
 * (SQLite's 7, before the pre-aggregates exist: migration 9 fills those from these rows).
 */
export function rebuildAllOutcomes(database: DatabaseSync): number {
  const sets = database.prepare(SHOWN_SETS_SQL).all() as Row[];
  for (const [tenant, ids] of setsByTenant(sets)) refreshOutcomes(database, tenant, ids, { rollups: false });
  return sets.length;
}

/** The same in PostgreSQL, in one transaction, after the migration that adds the table (postgres-migrations.ts). */
export async function rebuildAllOutcomesOn(database: TransactionalDatabase): Promise<number> {
  return database.transaction(async (client) => {
    const sets = await client.rows<Row>(SHOWN_SETS_SQL);
    for (const [tenant, ids] of setsByTenant(sets))
      await refreshOutcomesOn(client, tenant, ids, { lockSets: true });
    return sets.length;
  });
}
