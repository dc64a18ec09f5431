import { describe, expect, it } from 'vitest';
import { generateFeedback } from '../../test/feedback-generator.ts';
import { HISTOGRAM_EDGES } from '../console/analytics-report.ts';
import { ANALYTICS_MEASURES, ANALYTICS_STAGES } from '../contract/index.ts';
import { type StoreBackend, storeOpener } from '../storage/conformance-backends.ts';
import {
  type NamedQuery,
  OUTCOME_DIMENSIONS,
  type OutcomeBucket,
  type OutcomeFilter,
  type OutcomeGrouping,
  queryOutcomeCounts,
  queryOutcomeDimensionValues,
  queryOutcomeHistograms,
  queryOutcomeList,
  queryOutcomeReasons,
} from './analytics-queries.ts';
import type { EventStore, FeedbackRecord, SuggestionSetRecord } from './event-store.ts';
import { sampleSet, sampleSuggestion } from './fixtures/records.ts';
import { ROLLUP_MEASURE_EDGES, RollupDeltas, rollupRowOf } from './outcome-rollups.ts';
import type { RollupUse } from './rollup-plan.ts';

/** An event store with the query runner of its own database, to ask the same query both ways. */
export interface PreAggregateStore {
  events: EventStore;
  query: NamedQuery;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = new Date('2026-12-01T00:00:00Z');

/** Periods a lead picks: whole days, ends inside hours (the rows answer those minutes), two days. */
const PERIODS: Array<[string, OutcomeFilter]> = [
  ['30 whole days', { fromMs: END.getTime() - 30 * DAY, toMs: END.getTime() }],
  [
    '40 days from and to mid-hour',
    { fromMs: END.getTime() - 40 * DAY - 17 * 60_000, toMs: END.getTime() - 23 * 60_000 },
  ],
  [
    'two days and a bit',
    { fromMs: END.getTime() - 2 * DAY - 5 * HOUR - 61_000, toMs: END.getTime() - 7 * HOUR },
  ],
];

/** No filter, each kind of dimension filter, and two (which the pre-aggregates do not carry). */
const FILTERS: Array<Partial<OutcomeFilter>> = [
  {},
  { operator: 'op-2' },
  { channel: 'chat' },
  { document: 'tpl-07' },
  { promptVersion: 'draft@2' },
  { operator: 'op-3', channel: 'chat' },
];

const BUCKETS: OutcomeBucket[] = ['15m', 'hour', 'day', 'week'];
/** UTC, Moscow, New York, and India's half hour (rows only). */
const OFFSETS = [0, 180, -300, 330];

function groupings(): OutcomeGrouping[] {
  const list: OutcomeGrouping[] = [{}];
  for (const size of BUCKETS)
    for (const offsetMinutes of OFFSETS) list.push({ bucket: { size, offsetMinutes } });
  for (const dimension of OUTCOME_DIMENSIONS) list.push({ dimension });
  list.push({ bucket: { size: 'day', offsetMinutes: 180 }, dimension: 'topic' });
  list.push({ bucket: { size: 'week', offsetMinutes: 0 }, dimension: 'operator' });
  list.push({ bucket: { size: 'hour', offsetMinutes: -300 }, dimension: 'promptVersion' });
  return list;
}

const NOT_KEPT_EDGES = [0, 10, 50, 100];

/** Every figure the dashboard asks of the outcomes, asked one way (`use`). */
async function figures(store: PreAggregateStore, tenant: string, filter: OutcomeFilter, use: RollupUse) {
  const { query } = store;
  const counts = [];
  for (const grouping of groupings())
    counts.push(await queryOutcomeCounts(query, tenant, filter, grouping, use));
  const lists = [];
  for (const stage of ANALYTICS_STAGES)
    lists.push((await queryOutcomeList(query, tenant, filter, { stage, limit: 3 }, use)).total);
  for (const measure of ANALYTICS_MEASURES) {
    const edges = ROLLUP_MEASURE_EDGES[measure];
    for (const [min, max] of [
      [edges[2], edges[3]],
      [edges.at(-1), undefined],
      [edges[0], undefined],
      [edges[1]! + 1, edges[3]],
    ] as const) {
      lists.push(
        await queryOutcomeList(
          query,
          tenant,
          filter,
          {
            stage: 'shown',
            limit: 5,
            measure: {
              name: measure,
              ...(min !== undefined ? { min } : {}),
              ...(max !== undefined ? { max } : {}),
            },
          },
          use,
        ),
      );
    }
  }
  for (const [stage, reason] of [
    ['dismissed', 'устарело'],
    ['rated-down', ''],
    ['shown', 'не по теме'],
  ] as const)
    lists.push(await queryOutcomeList(query, tenant, filter, { stage, reason, limit: 5 }, use));
  return {
    counts,
    histograms: await queryOutcomeHistograms(
      query,
      tenant,
      filter,
      ANALYTICS_MEASURES.map((measure) => ({ measure, edges: HISTOGRAM_EDGES[measure] })),
      use,
    ),
    histogramsNotKept: await queryOutcomeHistograms(
      query,
      tenant,
      filter,
      [{ measure: 'editDistance', edges: NOT_KEPT_EDGES }],
      use,
    ),
    dismissed: await queryOutcomeReasons(query, tenant, filter, 'dismissed', use),
    ratedDown: await queryOutcomeReasons(query, tenant, filter, 'rated-down', use),
    dimensions: await queryOutcomeDimensionValues(query, tenant, filter, use),
    lists,
  };
}

/** The pre-aggregates as stored, and as computed afresh from the outcome rows stored. */
export async function storedAndFresh(query: NamedQuery) {
  const columns =
    'tenant, dimension, start_ms, has_value, value, shown, inserted, sent_as_is, sent_edited, dismissed, rated_down, degraded, measure_sum';
  const stored: unknown[] = [];
  for (const table of ['outcome_hours', 'outcome_days'])
    for (const row of await query(`SELECT ${columns} FROM ${table}`, {}))
      stored.push(
        JSON.stringify([
          table,
          ...Object.values(row).map((value) => (typeof value === 'string' ? value : Number(value))),
        ]),
      );
  const fresh: unknown[] = [];
  const rows = await query('SELECT * FROM suggestion_outcomes', {});
  for (const tenant of new Set(rows.map((row) => String(row.tenant)))) {
    const deltas = new RollupDeltas();
    deltas.add(
      rows.filter((row) => row.tenant === tenant),
      1,
    );
    for (const delta of deltas.changed())
      fresh.push(JSON.stringify([delta.table, ...rollupRowOf(tenant, delta)]));
  }
  return { stored: stored.sort(), fresh: fresh.sort() };
}

function generated(
  seed: number,
  sets: number,
): Array<{ set: SuggestionSetRecord; events: FeedbackRecord[] }> {
  const taken = [];
  for (const batch of generateFeedback({ seed, end: END, days: 45, setsPerDay: 20, operators: 5 })) {
    taken.push(batch);
    if (taken.length === sets) break;
  }
  return taken;
}

/**
 * The hourly and daily pre-aggregates (decision 0044) answer every figure the dashboard asks exactly
 * as the outcome rows do, for every bucket, time zone, breakdown and filter, on each backend; and
 * stay the sum of the outcome rows after an import and after feedback arrives for stored sets.
 */
export function describePreAggregateConformance(backend: StoreBackend<PreAggregateStore>): void {
  describe.skipIf(!backend.available)(`outcome pre-aggregates on ${backend.name}`, () => {
    const open = storeOpener(backend);

    it('answer every dashboard query as the outcome rows do, before and after feedback recounts stored sets', async () => {
      const store = await open('acme');
      const other = await open('beta');
      const batches = generated(5, 900);
      await store.events.importRecords({
        sets: batches.map((batch) => batch.set),
        // The last events of each set arrive later, one by one: each a recount of a stored set.
        events: batches.flatMap((batch) => batch.events.slice(0, -1)),
      });
      await other.events.importRecords({
        sets: generated(6, 200).map((batch) => batch.set),
        events: generated(6, 200).flatMap((batch) => batch.events),
      });
      // A set without topic, operator or cited document: keys that are null.
      await store.events.saveSuggestionSet({
        ...sampleSet,
        id: 'set-bare',
        suggestions: [sampleSuggestion(0, 'Здравствуйте!')],
        createdAt: new Date(END.getTime() - 3 * DAY).toISOString(),
      });
      await store.events.recordFeedback({
        eventId: 'bare-shown',
        type: 'suggestion-shown',
        suggestionSetId: 'set-bare',
        suggestionIndex: 0,
        occurredAt: new Date(END.getTime() - 3 * DAY + 1000).toISOString(),
        receivedAt: new Date(END.getTime() - 3 * DAY + 1000).toISOString(),
      });

      const compare = async () => {
        const { stored, fresh } = await storedAndFresh(store.query);
        expect(stored).toEqual(fresh);
        for (const [name, period] of PERIODS) {
          for (const filter of FILTERS) {
            const combined = { ...period, ...filter };
            const asked = `${name}, ${JSON.stringify(filter)}`;
            const fromRows = await figures(store, 'acme', combined, 'never');
            expect(
              fromRows.counts.some((rows) => rows.length > 0),
              asked,
            ).toBe(true);
            expect(await figures(store, 'acme', combined, 'always'), asked).toEqual(fromRows);
          }
        }
        // What the store answers (the pre-aggregates for the long periods) is the rows' answer too.
        const [, month] = PERIODS[0]!;
        const grouping = { bucket: { size: 'week' as const, offsetMinutes: 180 } };
        expect(await store.events.outcomeCounts(month, grouping)).toEqual(
          await queryOutcomeCounts(store.query, 'acme', month, grouping, 'never'),
        );
      };
      await compare();

      for (const batch of batches)
        for (const event of batch.events.slice(-1)) await store.events.recordFeedback(event);
      // A stored set's suggestion dismissed with a new reason and rated down again: its rows change.
      const [first] = batches;
      const later = new Date(END.getTime() - DAY).toISOString();
      for (const [eventId, record] of [
        ['late-dismiss', { type: 'suggestion-dismissed', reason: 'новая причина' }],
        ['late-rating', { type: 'suggestion-rated', rating: 'down', reason: 'слишком длинно' }],
      ] as const)
        await store.events.recordFeedback({
          eventId,
          suggestionSetId: first!.set.id,
          suggestionIndex: 0,
          occurredAt: later,
          receivedAt: later,
          ...record,
        });
      await compare();
    });
  });
}
