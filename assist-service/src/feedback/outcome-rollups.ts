import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { AnalyticsDimension, AnalyticsMeasure } from '../contract/index.ts';
import type { Queryable, TransactionalDatabase } from '../storage/postgres-database.ts';

/**
 * Pre-aggregates of `suggestion_outcomes` per tenant and UTC hour (`outcome_hours`) and UTC day
 * (`outcome_days`), read for long periods instead of every outcome row (decision 0044). A row holds
 * the funnel counts of the outcomes of one period that share one value of one dimension: `all`
 * (every outcome), each dashboard dimension, the two reasons, and each measure's histogram bin
 * (`value` is the bin's lower edge, `measure_sum` the sum of the measure in it).
 *
 * Kept by the refresh that keeps the outcome rows (outcomes.ts), in its transaction: the rows a
 * recount deletes are subtracted and the rows it writes are added, so the pre-aggregates are always
 * the sum of the outcome rows stored. A row whose count falls to zero is deleted, so a value no
 * outcome has any more is not listed.
 */

export const ROLLUP_TABLES = { outcome_hours: 3_600_000, outcome_days: 86_400_000 } as const;
export type RollupTable = keyof typeof ROLLUP_TABLES;

export type RollupDimension =
  | 'all'
  | AnalyticsDimension
  | 'dismissReason'
  | 'ratingReason'
  | AnalyticsMeasure;

/** The outcome column of each dashboard dimension. */
export const DIMENSION_COLUMN: Record<AnalyticsDimension, string> = {
  operator: 'operator_id',
  collection: 'collection',
  topic: 'topic',
  channel: 'channel',
  document: 'document',
  engine: 'engine',
  promptVersion: 'prompt_version',
};

/**
 * The histogram bins kept per measure, which the console's histograms use (HISTOGRAM_EDGES): a
 * request whose edges are all among them is answered from the pre-aggregates, any other from the rows.
 */
const SECOND = 1000;
export const ROLLUP_MEASURE_EDGES: Record<AnalyticsMeasure, readonly number[]> = {
  editDistance: [0, 1, 11, 31, 61, 121, 241],
  replyWithSuggestion: [0, 15, 30, 60, 120, 300, 600, 1800].map((seconds) => seconds * SECOND),
  replyWithoutSuggestion: [0, 15, 30, 60, 120, 300, 600, 1800].map((seconds) => seconds * SECOND),
  firstSuggestion: [0, 0.25, 0.5, 1, 2, 3, 5, 10].map((seconds) => seconds * SECOND),
};

/** Which outcomes a measure is taken over, and its value: the rows `MEASURE` in analytics-queries.ts selects. */
const MEASURE_OF: Record<AnalyticsMeasure, (row: OutcomeRow) => number | undefined> = {
  editDistance: (row) => numberOrUndefined(row.edit_distance),
  replyWithSuggestion: (row) => (Number(row.inserted) === 1 ? numberOrUndefined(row.reply_ms) : undefined),
  replyWithoutSuggestion: (row) => (Number(row.inserted) === 0 ? numberOrUndefined(row.reply_ms) : undefined),
  firstSuggestion: (row) =>
    Number(row.suggestion_index) === 0 ? numberOrUndefined(row.first_suggestion_ms) : undefined,
};

/** The summed columns, in the order a delta holds them. */
export const ROLLUP_COUNTS = [
  'shown',
  'inserted',
  'sent_as_is',
  'sent_edited',
  'dismissed',
  'rated_down',
  'degraded',
  'measure_sum',
] as const;

const KEY_COLUMNS = 'tenant, dimension, start_ms, has_value, value';

/** The two tables' schema: the same text on SQLite and PostgreSQL (bigint is an integer in SQLite). */
export const ROLLUP_TABLE_STATEMENTS = Object.keys(ROLLUP_TABLES).map(
  (table) => `CREATE TABLE ${table} (
    tenant text NOT NULL,
    dimension text NOT NULL,
    start_ms bigint NOT NULL,
    has_value integer NOT NULL,
    value text NOT NULL,
    shown integer NOT NULL,
    inserted integer NOT NULL,
    sent_as_is integer NOT NULL,
    sent_edited integer NOT NULL,
    dismissed integer NOT NULL,
    rated_down integer NOT NULL,
    degraded integer NOT NULL,
    measure_sum bigint NOT NULL,
    PRIMARY KEY (${KEY_COLUMNS})
  )`,
);

/**
 * A year's figures filtered by two dimensions are read from the outcome rows; with an operator among
 * them, from this index: that operator's rows in time order, with every column the figures read, so
 * no table row is fetched (the same columns as `suggestion_outcomes_covering`, led by the operator).
 */
export const OUTCOMES_BY_OPERATOR_INDEX = `CREATE INDEX suggestion_outcomes_operator ON suggestion_outcomes (tenant,
  operator_id, shown_ms, collection, engine, channel, topic, document, prompt_version, inserted, sent_as_is,
  sent_edited, dismissed, rated_down, degraded, suggestion_index, edit_distance, reply_ms, first_suggestion_ms,
  dismiss_reason, rating_reason)`;

type OutcomeRow = Record<string, unknown>;

const numberOrUndefined = (value: unknown) =>
  typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;

/** The bin a measure's value falls in (its lower edge), or undefined below the first edge. */
function binOf(measure: AnalyticsMeasure, value: number): number | undefined {
  const edges = ROLLUP_MEASURE_EDGES[measure];
  let bin: number | undefined;
  for (const edge of edges) if (value >= edge) bin = edge;
  return bin;
}

/** Every (dimension, value) an outcome row is counted under, with the measure it adds to the sum. */
function keysOf(row: OutcomeRow): Array<{ dimension: RollupDimension; value: string | null; sum: number }> {
  const keys: Array<{ dimension: RollupDimension; value: string | null; sum: number }> = [
    { dimension: 'all', value: null, sum: 0 },
  ];
  for (const [dimension, column] of Object.entries(DIMENSION_COLUMN) as Array<[AnalyticsDimension, string]>) {
    const value = row[column];
    keys.push({ dimension, value: typeof value === 'string' ? value : null, sum: 0 });
  }
  // A reason is stored exactly when the outcome was dismissed or rated down (outcomes.ts).
  if (typeof row.dismiss_reason === 'string')
    keys.push({ dimension: 'dismissReason', value: row.dismiss_reason, sum: 0 });
  if (typeof row.rating_reason === 'string')
    keys.push({ dimension: 'ratingReason', value: row.rating_reason, sum: 0 });
  for (const measure of Object.keys(MEASURE_OF) as AnalyticsMeasure[]) {
    const value = MEASURE_OF[measure](row);
    const bin = value === undefined ? undefined : binOf(measure, value);
    if (value !== undefined && bin !== undefined)
      keys.push({ dimension: measure, value: String(bin), sum: value });
  }
  return keys;
}

/** Code-unit order: any fixed order does, and a retention run sorts hundreds of thousands of keys. */
const order = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

export interface Delta {
  table: RollupTable;
  dimension: string;
  startMs: number;
  hasValue: number;
  value: string;
  counts: number[];
}

/** What a recount changes in the pre-aggregates: outcome rows taken away and written, summed per key. */
export class RollupDeltas {
  private readonly byKey = new Map<string, Delta>();

  /** Counts `rows` (outcome rows as stored: column name → value) in, with +1, or out, with −1. */
  add(rows: Iterable<OutcomeRow>, sign: 1 | -1): void {
    for (const row of rows) {
      const shownMs = Number(row.shown_ms);
      const flags = ROLLUP_COUNTS.slice(1, -1).map((column) => Number(row[column] ?? 0));
      for (const [table, size] of Object.entries(ROLLUP_TABLES) as Array<[RollupTable, number]>) {
        const startMs = Math.floor(shownMs / size) * size;
        for (const { dimension, value, sum } of keysOf(row)) {
          const hasValue = value === null ? 0 : 1;
          const key = JSON.stringify([table, dimension, startMs, hasValue, value ?? '']);
          let delta = this.byKey.get(key);
          if (!delta) {
            delta = {
              table,
              dimension,
              startMs,
              hasValue,
              value: value ?? '',
              counts: ROLLUP_COUNTS.map(() => 0),
            };
            this.byKey.set(key, delta);
          }
          const counts = delta.counts;
          counts[0]! += sign;
          flags.forEach((flag, index) => {
            counts[index + 1]! += sign * flag;
          });
          counts[ROLLUP_COUNTS.length - 1]! += sign * sum;
        }
      }
    }
  }

  /**
   * The changed keys in one order (table, dimension, start, value): two PostgreSQL transactions
   * updating the same rows lock them in the same order, so neither waits for the other in a cycle.
   */
  changed(): Delta[] {
    return [...this.byKey.values()]
      .filter((delta) => delta.counts.some((count) => count !== 0))
      .sort(
        (left, right) =>
          order(left.table, right.table) ||
          order(left.dimension, right.dimension) ||
          left.startMs - right.startMs ||
          left.hasValue - right.hasValue ||
          order(left.value, right.value),
      );
  }

  clear(): void {
    this.byKey.clear();
  }
}

/** Outcome rows as `outcomeRowsOf` gives them (values in `columns` order) → column name → value. */
export function namedRows(columns: string, rows: readonly SQLInputValue[][]): OutcomeRow[] {
  const names = columns.split(',').map((name) => name.trim());
  return rows.map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
}

const upsertSql = (table: string, placeholders: string) =>
  `INSERT INTO ${table} (${KEY_COLUMNS}, ${ROLLUP_COUNTS.join(', ')}) VALUES ${placeholders}
    ON CONFLICT (${KEY_COLUMNS}) DO UPDATE SET ${ROLLUP_COUNTS.map(
      (column) => `${column} = ${table}.${column} + excluded.${column}`,
    ).join(', ')}`;
const ROW_WIDTH = 5 + ROLLUP_COUNTS.length;

/** A delta as the values of a stored row: key columns, then ROLLUP_COUNTS. */
export const rollupRowOf = (tenant: string, delta: Delta): SQLInputValue[] => [
  tenant,
  delta.dimension,
  delta.startMs,
  delta.hasValue,
  delta.value,
  ...delta.counts,
];

function prepareUpserts(database: DatabaseSync) {
  const placeholders = `(${Array.from({ length: ROW_WIDTH }, () => '?').join(', ')})`;
  return Object.fromEntries(
    Object.keys(ROLLUP_TABLES).map((table) => [
      table,
      {
        upsert: database.prepare(upsertSql(table, placeholders)),
        deleteEmpty: database.prepare(
          `DELETE FROM ${table} WHERE tenant = ? AND dimension = ? AND start_ms = ? AND has_value = ? AND value = ?
            AND shown = 0`,
        ),
      },
    ]),
  ) as Record<
    RollupTable,
    { upsert: ReturnType<DatabaseSync['prepare']>; deleteEmpty: ReturnType<DatabaseSync['prepare']> }
  >;
}

const preparedUpserts = new WeakMap<DatabaseSync, ReturnType<typeof prepareUpserts>>();

/** Applies a recount's deltas in SQLite; the caller holds the transaction. */
export function applyRollupDeltas(database: DatabaseSync, tenant: string, deltas: RollupDeltas): void {
  let statements = preparedUpserts.get(database);
  if (!statements) {
    statements = prepareUpserts(database);
    preparedUpserts.set(database, statements);
  }
  for (const delta of deltas.changed()) {
    const parameters = rollupRowOf(tenant, delta);
    statements[delta.table].upsert.run(...parameters);
    if (delta.counts[0]! < 0) statements[delta.table].deleteEmpty.run(...parameters.slice(0, 5));
  }
}

/** Rows per multi-row upsert: 13 parameters each, far below PostgreSQL's 65,535. */
const ROWS_PER_UPSERT = 400;

/** The same through a transaction's connection (PostgreSQL, or SQLite behind the same interface). */
export async function applyRollupDeltasOn(
  client: Queryable,
  tenant: string,
  deltas: RollupDeltas,
): Promise<void> {
  const changed = deltas.changed();
  for (const table of Object.keys(ROLLUP_TABLES) as RollupTable[]) {
    const mine = changed.filter((delta) => delta.table === table);
    for (let start = 0; start < mine.length; start += ROWS_PER_UPSERT) {
      const chunk = mine.slice(start, start + ROWS_PER_UPSERT);
      const placeholders = chunk
        .map(
          (_, row) =>
            `(${Array.from({ length: ROW_WIDTH }, (_, column) => `$${row * ROW_WIDTH + column + 1}`).join(', ')})`,
        )
        .join(', ');
      await client.run(
        upsertSql(table, placeholders),
        chunk.flatMap((delta) => rollupRowOf(tenant, delta)),
      );
    }
    // Rows a recount emptied go, one statement per dimension over the starts it emptied: the key's
    // prefix (tenant, dimension, start_ms) keeps it to those rows' range, not the tenant's table.
    const emptied = mine.filter((delta) => delta.counts[0]! < 0);
    for (const dimension of new Set(emptied.map((delta) => delta.dimension))) {
      const starts = emptied.filter((delta) => delta.dimension === dimension).map((delta) => delta.startMs);
      await client.run(
        `DELETE FROM ${table} WHERE tenant = $1 AND dimension = $2 AND start_ms >= $3 AND start_ms <= $4 AND shown = 0`,
        [tenant, dimension, starts.reduce((a, b) => Math.min(a, b)), starts.reduce((a, b) => Math.max(a, b))],
      );
    }
  }
}

/** Outcome rows read per step of a backfill: the deltas of a step are applied before the next. */
const BACKFILL_ROWS = 50_000;
const BACKFILL_SELECT = `SELECT * FROM suggestion_outcomes
  WHERE (tenant, suggestion_set_id, suggestion_index) > ($1, $2, $3)
  ORDER BY tenant, suggestion_set_id, suggestion_index LIMIT ${BACKFILL_ROWS}`;

/**
 * Fills the pre-aggregates from the outcome rows stored, once, by the migration that adds them: the
 * same computation as a recount, in steps of 50,000 rows (an upsert adds, so a key split between
 * steps sums right).
 */
export async function backfillRollupsOn(client: Queryable): Promise<number> {
  let after: [string, string, number] = ['', '', -1];
  let counted = 0;
  const deltas = new RollupDeltas();
  for (;;) {
    const rows = await client.rows<OutcomeRow>(BACKFILL_SELECT, after);
    if (rows.length === 0) return counted;
    for (const [tenant, ofTenant] of Map.groupBy(rows, (row) => String(row.tenant))) {
      deltas.add(ofTenant, 1);
      await applyRollupDeltasOn(client, tenant, deltas);
      deltas.clear();
    }
    const last = rows.at(-1)!;
    after = [String(last.tenant), String(last.suggestion_set_id), Number(last.suggestion_index)];
    counted += rows.length;
  }
}

/**
 * PostgreSQL's backfill, run once by the process whose `migrate` added the tables (the runner
 * applies SQL only). The tables are locked against writers first: a recount that committed before
 * is in the rows read; one still open waits, then adds its change to what was filled.
 */
export async function backfillAllRollupsOn(database: TransactionalDatabase): Promise<number> {
  return database.transaction(async (client) => {
    await client.run(`LOCK TABLE ${Object.keys(ROLLUP_TABLES).join(', ')} IN EXCLUSIVE MODE`);
    for (const table of Object.keys(ROLLUP_TABLES)) await client.run(`DELETE FROM ${table}`);
    return backfillRollupsOn(client);
  });
}

/** The same in SQLite, inside the migration's transaction (feedback/migrations.ts). */
export function backfillRollups(database: DatabaseSync): number {
  const deltas = new RollupDeltas();
  let counted = 0;
  let tenant: string | undefined;
  let pending = 0;
  const flush = () => {
    if (tenant !== undefined) applyRollupDeltas(database, tenant, deltas);
    deltas.clear();
    pending = 0;
  };
  for (const row of database.prepare('SELECT * FROM suggestion_outcomes ORDER BY tenant').iterate()) {
    if (row.tenant !== tenant || pending === BACKFILL_ROWS) {
      flush();
      tenant = String(row.tenant);
    }
    deltas.add([row], 1);
    pending += 1;
    counted += 1;
  }
  flush();
  return counted;
}
