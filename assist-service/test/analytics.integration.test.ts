import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANALYTICS_DIMENSIONS,
  analyticsBreakdownResponseSchema,
  analyticsDimensionsResponseSchema,
  analyticsEditingResponseSchema,
  analyticsGapsResponseSchema,
  analyticsOutcomesResponseSchema,
  analyticsRatesResponseSchema,
  analyticsReasonsResponseSchema,
  analyticsSetsResponseSchema,
  errorBodySchema,
  funnelResponseSchema,
  funnelSuggestionsResponseSchema,
  usageResponseSchema,
} from '../src/contract/index.ts';
import { openSqliteEventStore } from '../src/feedback/sqlite-event-store.ts';
import { type GeneratedBatch, generateFeedback } from './feedback-generator.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * The team lead's analytics APIs on a real service and a real store on disk, filled with generated
 * feedback (test/feedback-generator.ts); expectations are counted from the generated records
 * themselves, and the older funnel endpoints (the same rollup) are checked to say the same.
 */
const NOW = new Date('2026-12-01T12:00:00.000Z');
const LAST_30_DAYS = `from=${new Date(NOW.getTime() - 30 * 86_400_000).toISOString()}&to=${NOW.toISOString()}`;
let service: TestService;
const batches: GeneratedBatch[] = [];

/** What the generated records say, counted plainly: one rating and one outcome per set at most. */
function expected() {
  const shown = batches.reduce((sum, batch) => sum + batch.set.suggestions.length, 0);
  const last = (batch: GeneratedBatch, type: string) =>
    batch.events.filter((event) => event.type === type).at(-1);
  return {
    shown,
    ratedDown: batches.filter((batch) => last(batch, 'suggestion-rated')?.rating === 'down').length,
    degraded: batches
      .filter((batch) => batch.set.degradedReason !== undefined)
      .reduce((sum, batch) => sum + batch.set.suggestions.length, 0),
    sent: batches.filter((batch) => last(batch, 'suggestion-edited')).length,
    sentWithInsert: batches.filter(
      (batch) => last(batch, 'suggestion-edited') && last(batch, 'suggestion-inserted'),
    ).length,
    gaps: batches.filter((batch) => batch.gap).length,
    thumbsDownReasons: batches.filter(
      (batch) =>
        last(batch, 'suggestion-rated')?.rating === 'down' &&
        last(batch, 'suggestion-rated')?.reason === 'слишком длинно',
    ).length,
  };
}

beforeAll(async () => {
  service = await startTestService({ clock: { now: () => NOW } });
  for (const batch of generateFeedback({ seed: 3, end: NOW, days: 10, setsPerDay: 60 })) {
    batches.push(batch);
    if (batches.length === 500) break;
  }
  await service.events.importRecords({
    sets: batches.map((batch) => batch.set),
    events: batches.flatMap((batch) => batch.events),
    gaps: batches.flatMap((batch) => (batch.gap ? [batch.gap] : [])),
  });
  // Another tenant's feedback in the same file: never in the default tenant's figures.
  const other = openSqliteEventStore({ file: path.join(service.dataDir, 'events.sqlite'), tenant: 'acme' });
  const theirs: GeneratedBatch[] = [];
  for (const batch of generateFeedback({ seed: 99, end: NOW, days: 10, setsPerDay: 60 })) {
    theirs.push(batch);
    if (theirs.length === 50) break;
  }
  await other.importRecords({
    sets: theirs.map((batch) => batch.set),
    events: theirs.flatMap((batch) => batch.events),
  });
  await other.close();
}, 120_000);
afterAll(async () => {
  await service?.dispose();
});

/** What the funnel endpoint and the rates endpoint both count, per bucket. */
const funnelColumns = (row: {
  start: string;
  shown: number;
  inserted: number;
  sentAsIs: number;
  sentEdited: number;
  dismissed: number;
}) => [row.start, row.shown, row.inserted, row.sentAsIs, row.sentEdited, row.dismissed];

async function getJson<T>(pathname: string, schema: { parse(value: unknown): T }): Promise<T> {
  const response = await service.get(pathname);
  expect(response.status, `${pathname}: ${response.status}`).toBe(200);
  return schema.parse(await response.json());
}

describe('GET /v1/analytics/rates', () => {
  it('counts every shown suggestion, thumbs down and fallback, in every bucket of the period', async () => {
    const body = await getJson(
      `/v1/analytics/rates?bucket=day&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    const want = expected();
    expect(body.totals.shown).toBe(want.shown);
    expect(body.totals.ratedDown).toBe(want.ratedDown);
    expect(body.totals.degraded).toBe(want.degraded);
    expect(body.rows).toHaveLength(31);
    expect(body.rows.reduce((sum, row) => sum + row.shown, 0)).toBe(want.shown);
    expect(body.totals.rates.ratedDown).toBeCloseTo(want.ratedDown / want.shown, 10);
  });

  it('agrees with the older funnel routes, which answer from the same rollup, in 15-minute, hour and week buckets', async () => {
    for (const bucket of ['15m', 'hour', 'week'] as const) {
      const span = bucket === '15m' ? `from=2026-11-30T12:00:00Z&to=${NOW.toISOString()}` : LAST_30_DAYS;
      const rates = await getJson(
        `/v1/analytics/rates?bucket=${bucket}&offsetMinutes=180&${span}`,
        analyticsRatesResponseSchema,
      );
      const funnel = await getJson(
        `/v1/analytics/funnel?bucket=${bucket}&offsetMinutes=180&${span}`,
        funnelResponseSchema,
      );
      expect(rates.rows.map(funnelColumns)).toEqual(funnel.rows.map(funnelColumns));
    }
  });

  it('gives the older funnel the figures of the generated records, and each of its lists the outcomes behind the number', async () => {
    const want = expected();
    const funnel = await getJson(`/v1/analytics/funnel?bucket=day&${LAST_30_DAYS}`, funnelResponseSchema);
    expect(funnel.totals.shown).toBe(want.shown);
    expect(funnel.totals.sentAsIs + funnel.totals.sentEdited).toBe(want.sent);
    const reasons = await getJson(`/v1/analytics/reasons?${LAST_30_DAYS}`, analyticsReasonsResponseSchema);
    expect(funnel.dismissReasons).toEqual(reasons.dismissed);
    expect(funnel.dismissReasons.length).toBeGreaterThan(0);
    // Filtered: the operator, collection and engine filters mean the same on both APIs.
    const operator = funnel.dimensions.operators[0]!;
    const filtered = await getJson(
      `/v1/analytics/funnel?bucket=day&operator=${operator}&engine=offline&${LAST_30_DAYS}`,
      funnelResponseSchema,
    );
    const filteredRates = await getJson(
      `/v1/analytics/rates?bucket=day&operator=${operator}&engine=offline&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    expect(filtered.totals.shown).toBeGreaterThan(0);
    expect(filtered.totals.shown).toBeLessThan(funnel.totals.shown);
    expect(filtered.rows.map(funnelColumns)).toEqual(filteredRates.rows.map(funnelColumns));
    for (const [stage, count] of [
      ['inserted', 'inserted'],
      ['sent-as-is', 'sentAsIs'],
      ['sent-edited', 'sentEdited'],
      ['dismissed', 'dismissed'],
    ] as const) {
      const old = await getJson(
        `/v1/analytics/funnel/suggestions?bucket=day&stage=${stage}&limit=5&${LAST_30_DAYS}`,
        funnelSuggestionsResponseSchema,
      );
      const outcomes = await getJson(
        `/v1/analytics/outcomes?stage=${stage}&limit=5&from=${funnel.from}&to=${funnel.to}`,
        analyticsOutcomesResponseSchema,
      );
      expect(old.total).toBe(funnel.totals[count]);
      expect(old.total).toBe(outcomes.total);
      expect(old.suggestions.map((item) => [item.suggestionSetId, item.suggestionIndex])).toEqual(
        outcomes.outcomes.map((item) => [item.suggestionSetId, item.suggestionIndex]),
      );
      for (const item of old.suggestions) {
        expect(item.stages).toContain(stage);
        expect(item.text).toBeTruthy();
      }
    }
  });

  it('draws one line per value of a breakdown, the busiest values first', async () => {
    const body = await getJson(
      `/v1/analytics/rates?bucket=day&breakdown=operator&top=3&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    expect(body.keys).toHaveLength(3);
    expect(body.rows).toHaveLength(31 * 3);
    const perKey = body.keys.map((key) =>
      body.rows.filter((row) => row.key === key).reduce((sum, row) => sum + row.shown, 0),
    );
    expect([...perKey].sort((left, right) => right - left)).toEqual(perKey);
  });

  it('filters by every dimension: a filtered total is that value’s row of the breakdown', async () => {
    for (const dimension of ANALYTICS_DIMENSIONS) {
      const breakdown = await getJson(
        `/v1/analytics/breakdown?dimension=${dimension}&${LAST_30_DAYS}`,
        analyticsBreakdownResponseSchema,
      );
      expect(breakdown.rows.reduce((sum, row) => sum + row.shown, 0)).toBe(expected().shown);
      const first = breakdown.rows.find((row) => row.key !== null)!;
      const filtered = await getJson(
        `/v1/analytics/rates?bucket=week&${dimension}=${encodeURIComponent(first.key!)}&${LAST_30_DAYS}`,
        analyticsRatesResponseSchema,
      );
      expect(filtered.totals.shown, dimension).toBe(first.shown);
      expect(filtered.totals.inserted, dimension).toBe(first.inserted);
    }
  });

  it('refuses an unknown breakdown or an empty period, naming the field', async () => {
    const unknown = await service.get('/v1/analytics/rates?breakdown=customer');
    expect(unknown.status).toBe(400);
    expect(errorBodySchema.parse(await unknown.json()).error.issues?.[0]?.path).toBe('breakdown');
    const empty = await service.get(
      `/v1/analytics/editing?from=${NOW.toISOString()}&to=${NOW.toISOString()}`,
    );
    expect(empty.status).toBe(400);
    expect(errorBodySchema.parse(await empty.json()).error.issues?.[0]?.path).toBe('from');
  });
});

describe('GET /v1/analytics/editing, /reasons, /gaps, /dimensions', () => {
  it('measures every sent reply: edit distance, reply time with and without an insert, time to first suggestion', async () => {
    const body = await getJson(`/v1/analytics/editing?${LAST_30_DAYS}`, analyticsEditingResponseSchema);
    const want = expected();
    expect(body.editDistance.count).toBe(want.sent);
    expect(body.replyWithSuggestion.count).toBe(want.sentWithInsert);
    expect(body.replyWithoutSuggestion.count).toBe(want.sent - want.sentWithInsert);
    expect(body.firstSuggestion.count).toBe(batches.length);
    expect(body.editDistance.bins[0]).toMatchObject({ from: 0, to: 1 });
    expect(body.editDistance.bins[0]!.count).toBeGreaterThan(0);
    expect(body.editDistance.p50).not.toBeNull();
  });

  it('lists the reasons for thumbs down and dismissals, summing to the counts', async () => {
    const reasons = await getJson(`/v1/analytics/reasons?${LAST_30_DAYS}`, analyticsReasonsResponseSchema);
    const rates = await getJson(
      `/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    expect(reasons.thumbsDown.reduce((sum, row) => sum + row.count, 0)).toBe(rates.totals.ratedDown);
    expect(reasons.dismissed.reduce((sum, row) => sum + row.count, 0)).toBe(rates.totals.dismissed);
    expect(reasons.thumbsDown.find((row) => row.reason === 'слишком длинно')?.count ?? 0).toBe(
      expected().thumbsDownReasons,
    );
  });

  it('counts knowledge gaps per bucket', async () => {
    const body = await getJson(`/v1/analytics/gaps?bucket=day&${LAST_30_DAYS}`, analyticsGapsResponseSchema);
    expect(body.total).toBe(expected().gaps);
    expect(body.rows).toHaveLength(31);
  });

  it('lists the values each filter can take in the period', async () => {
    const body = await getJson(`/v1/analytics/dimensions?${LAST_30_DAYS}`, analyticsDimensionsResponseSchema);
    expect(body.values.operator).toEqual([...new Set(batches.map((batch) => batch.set.operatorId!))].sort());
    expect(body.values.promptVersion).toEqual(['draft@1', 'draft@2']);
  });
});

describe('GET /v1/analytics/outcomes: the suggestions behind a number', () => {
  it('lists exactly the outcomes a count, a reason or a histogram bin counted', async () => {
    const rates = await getJson(
      `/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    const down = await getJson(
      `/v1/analytics/outcomes?stage=rated-down&limit=1000&${LAST_30_DAYS}`,
      analyticsOutcomesResponseSchema,
    );
    expect(down.total).toBe(rates.totals.ratedDown);
    expect(down.outcomes.every((outcome) => outcome.stages.includes('rated-down'))).toBe(true);
    const editing = await getJson(`/v1/analytics/editing?${LAST_30_DAYS}`, analyticsEditingResponseSchema);
    const bin = editing.editDistance.bins[1]!;
    const inBin = await getJson(
      `/v1/analytics/outcomes?measure=editDistance&min=${bin.from}&max=${bin.to}&${LAST_30_DAYS}`,
      analyticsOutcomesResponseSchema,
    );
    expect(inBin.total).toBe(bin.count);
    expect(
      inBin.outcomes.every((outcome) => outcome.editDistance! >= bin.from && outcome.editDistance! < bin.to!),
    ).toBe(true);
    const tooLong = await getJson(
      `/v1/analytics/outcomes?stage=rated-down&reason=${encodeURIComponent('слишком длинно')}&${LAST_30_DAYS}`,
      analyticsOutcomesResponseSchema,
    );
    expect(tooLong.total).toBe(expected().thumbsDownReasons);
  });

  it('counts feedback posted through the API at once, and its shown time places it', async () => {
    const set = batches.at(-1)!.set;
    const before = await getJson(
      `/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    const posted = await service.post('/v1/feedback', {
      type: 'suggestion-rated',
      eventId: 'api-rated-1',
      suggestionSetId: set.id,
      suggestionIndex: 0,
      rating: 'down',
      reason: 'проверка',
      at: NOW.toISOString(),
    });
    expect(posted.status).toBe(200);
    const after = await getJson(
      `/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`,
      analyticsRatesResponseSchema,
    );
    const wasDown = batches
      .at(-1)!
      .events.some((event) => event.suggestionIndex === 0 && event.rating === 'down');
    expect(after.totals.ratedDown).toBe(before.totals.ratedDown + (wasDown ? 0 : 1));
    const reasons = await getJson(`/v1/analytics/reasons?${LAST_30_DAYS}`, analyticsReasonsResponseSchema);
    expect(reasons.thumbsDown).toContainEqual({ reason: 'проверка', count: 1 });
  });
});

describe('GET /v1/analytics/sets: the sets behind a gap count or a day of model cost', () => {
  it('lists the gaps a bucket counted, each with the set it was logged for, and only the filtered collection', async () => {
    const gaps = await getJson(`/v1/analytics/gaps?bucket=day&${LAST_30_DAYS}`, analyticsGapsResponseSchema);
    const busiest = gaps.rows.reduce((best, row) => (row.count > best.count ? row : best));
    expect(busiest.count).toBeGreaterThan(1);
    const listed = await getJson(
      `/v1/analytics/sets?behind=gaps&from=${busiest.start}&to=${busiest.end}`,
      analyticsSetsResponseSchema,
    );
    expect(listed.total).toBe(busiest.count);
    const want = batches
      .filter(
        (batch) => batch.gap && batch.gap.createdAt >= busiest.start && batch.gap.createdAt < busiest.end,
      )
      .map((batch) => batch.set.id)
      .sort();
    expect(listed.sets.map((set) => set.suggestionSetId).sort()).toEqual(want);
    // Newest first, with what the set says about itself.
    expect(listed.sets.map((set) => set.at)).toEqual(
      listed.sets
        .map((set) => set.at)
        .sort()
        .reverse(),
    );
    expect(listed.sets[0]).toMatchObject({ bestScore: 0.1, engine: expect.any(String) });

    const collection = listed.sets[0]!.collection;
    const inCollection = await getJson(
      `/v1/analytics/sets?behind=gaps&collection=${collection}&${LAST_30_DAYS}`,
      analyticsSetsResponseSchema,
    );
    const counted = await getJson(
      `/v1/analytics/gaps?bucket=week&collection=${collection}&${LAST_30_DAYS}`,
      analyticsGapsResponseSchema,
    );
    expect(inCollection.total).toBe(counted.total);
    expect(inCollection.sets.every((set) => set.collection === collection)).toBe(true);
    expect(inCollection.total).toBeLessThan(expected().gaps);
  });

  it('lists the sets behind a day of model tokens and cost, their tokens and cost summing to the day', async () => {
    const usage = await getJson('/v1/analytics/usage?from=2026-11-01&to=2026-12-01', usageResponseSchema);
    const day = usage.days.reduce((best, row) => (row.sets > best.sets ? row : best));
    const next = new Date(Date.parse(`${day.day}T00:00:00Z`) + 86_400_000).toISOString();
    const listed = await getJson(
      `/v1/analytics/sets?behind=usage&from=${day.day}T00:00:00Z&to=${next}&model=${day.model}&limit=1000`,
      analyticsSetsResponseSchema,
    );
    expect(listed.total).toBe(day.sets);
    expect(listed.sets).toHaveLength(day.sets);
    expect(listed.sets.reduce((sum, set) => sum + set.inputTokens!, 0)).toBe(day.inputTokens);
    expect(listed.sets.reduce((sum, set) => sum + (set.costUsd ?? 0), 0)).toBeCloseTo(day.costUsd, 9);
    const want = batches
      .filter((batch) => batch.set.usage && batch.set.createdAt.startsWith(day.day))
      .map((batch) => batch.set.id)
      .sort();
    expect(listed.sets.map((set) => set.suggestionSetId).sort()).toEqual(want);
    const limited = await getJson(
      `/v1/analytics/sets?behind=usage&from=${day.day}T00:00:00Z&to=${next}&limit=2`,
      analyticsSetsResponseSchema,
    );
    expect(limited).toMatchObject({ total: day.sets, sets: listed.sets.slice(0, 2) });
  });

  it('refuses what it cannot list with a clear error', async () => {
    const response = await service.get(`/v1/analytics/sets?behind=outcomes&${LAST_30_DAYS}`);
    expect(response.status).toBe(400);
    expect(errorBodySchema.parse(await response.json()).error.issues?.[0]?.path).toBe('behind');
    expect((await service.get('/v1/analytics/sets?behind=gaps&limit=0')).status).toBe(400);
  });
});

describe('GET /v1/analytics/export', () => {
  it('writes every table as an XLSX that a spreadsheet reader opens, Russian headers intact', async () => {
    for (const table of ['rates', 'breakdown', 'editing', 'reasons', 'gaps', 'usage']) {
      const response = await service.get(
        `/v1/analytics/export?table=${table}&format=xlsx&dimension=topic&bucket=day&${table === 'usage' ? 'from=2026-11-01&to=2026-12-01' : LAST_30_DAYS}`,
      );
      expect(response.status, table).toBe(200);
      expect(response.headers.get('content-type')).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.rowCount, table).toBeGreaterThan(1);
      expect(String(sheet.getRow(1).getCell(1).value), table).toMatch(/[А-Яа-яЁё]/u);
    }
  });

  it('writes the breakdown the JSON shows, as XLSX numbers and as cp1251 CSV for a Russian Excel', async () => {
    const json = await getJson(
      `/v1/analytics/breakdown?dimension=topic&${LAST_30_DAYS}`,
      analyticsBreakdownResponseSchema,
    );
    const xlsx = await service.get(
      `/v1/analytics/export?table=breakdown&format=xlsx&dimension=topic&${LAST_30_DAYS}`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Разбивка');
    expect(sheet.getRow(1).getCell(2).value).toBe('Показано');
    json.rows.forEach((row, index) => {
      expect(sheet.getRow(index + 2).getCell(1).value).toBe(row.key ?? '(нет)');
      expect(sheet.getRow(index + 2).getCell(2).value).toBe(row.shown);
    });
    const csv = await service.get(
      `/v1/analytics/export?table=breakdown&format=csv&encoding=cp1251&dimension=topic&${LAST_30_DAYS}`,
    );
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=windows-1251');
    const lines = iconv
      .decode(Buffer.from(await csv.arrayBuffer()), 'win1251')
      .trim()
      .split('\r\n');
    expect(lines[0]!.split(';')[0]).toBe('Значение');
    expect(lines[1]!.split(';').slice(0, 2)).toEqual([json.rows[0]!.key, String(json.rows[0]!.shown)]);
    expect(lines).toHaveLength(json.rows.length + 1);
  });
});

describe('analytics by role and tenant', () => {
  it('answers team leads of the tenant only, with the tenant’s own figures', async () => {
    const operator = await service.client({ role: 'operator', name: 'op-analytics' });
    const lead = await service.client({ role: 'team_lead', name: 'lead-analytics' });
    const otherLead = await service.client({ role: 'team_lead', name: 'lead-acme', tenant: 'acme' });
    for (const pathname of [
      '/v1/analytics/rates',
      '/v1/analytics/breakdown?dimension=operator',
      '/v1/analytics/editing',
      '/v1/analytics/reasons',
      '/v1/analytics/gaps',
      '/v1/analytics/dimensions',
      '/v1/analytics/outcomes',
      '/v1/analytics/sets?behind=gaps',
      '/v1/analytics/sets?behind=usage',
      '/v1/analytics/export?table=rates&format=xlsx',
    ]) {
      const path = `${pathname}${pathname.includes('?') ? '&' : '?'}${LAST_30_DAYS}`;
      expect((await operator.get(path)).status, pathname).toBe(403);
      expect((await lead.get(path)).status, pathname).toBe(200);
    }
    const ours = analyticsRatesResponseSchema.parse(
      await (await lead.get(`/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`)).json(),
    );
    const theirs = analyticsRatesResponseSchema.parse(
      await (await otherLead.get(`/v1/analytics/rates?bucket=week&${LAST_30_DAYS}`)).json(),
    );
    expect(ours.totals.shown).toBe(expected().shown);
    expect(theirs.totals.shown).toBeGreaterThan(0);
    expect(theirs.totals.shown).toBeLessThan(ours.totals.shown);
    // The sets behind cost and gaps are the tenant's own too.
    const ourIds = new Set(batches.map((batch) => batch.set.id));
    const theirSets = analyticsSetsResponseSchema.parse(
      await (await otherLead.get(`/v1/analytics/sets?behind=usage&limit=1000&${LAST_30_DAYS}`)).json(),
    );
    expect(theirSets.total).toBeGreaterThan(0);
    expect(theirSets.sets.some((set) => ourIds.has(set.suggestionSetId!))).toBe(false);
    const theirGaps = analyticsSetsResponseSchema.parse(
      await (await otherLead.get(`/v1/analytics/sets?behind=gaps&${LAST_30_DAYS}`)).json(),
    );
    expect(theirGaps.total).toBe(0);
  });
});
