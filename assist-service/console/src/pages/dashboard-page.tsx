import {
  ANALYTICS_DIMENSIONS,
  type AnalyticsCounts,
  type AnalyticsDimension,
  type AnalyticsRateRow,
  type AnalyticsRatesResponse,
  type AnalyticsStage,
  FUNNEL_BUCKETS,
} from '@naparnik/assist-service/contract';
import { useMemo, useState } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  DASHBOARD_SPANS,
  type DashboardFilters,
  type DrillTarget,
  getBreakdown,
  getDimensions,
  getRates,
  periodOf,
  type SetsTarget,
} from '../dashboard-api.ts';
import { type DashboardKey, useDashboardText } from '../dashboard-text.ts';
import { formatDateTime, type MessageKey, useI18n } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import {
  AXIS_TICK,
  CountWithRate,
  DrillPanel,
  ExportLinks,
  PALETTE,
  Section,
  SetsPanel,
} from './dashboard-parts.tsx';
import { EditingSection, GapsSection, ReasonsSection, UsageSection } from './dashboard-sections.tsx';
import { Field } from './field.tsx';
import { LoadStatus } from './status.tsx';

/** The counts a table shows, the stage each lists, and the rate beside it. */
export const COUNT_COLUMNS: { count: keyof AnalyticsCounts; stage: AnalyticsStage; label: DashboardKey }[] = [
  { count: 'shown', stage: 'shown', label: 'shown' },
  { count: 'inserted', stage: 'inserted', label: 'inserted' },
  { count: 'sentAsIs', stage: 'sent-as-is', label: 'sentAsIs' },
  { count: 'sentEdited', stage: 'sent-edited', label: 'sentEdited' },
  { count: 'dismissed', stage: 'dismissed', label: 'dismissed' },
  { count: 'ratedDown', stage: 'rated-down', label: 'ratedDown' },
  { count: 'degraded', stage: 'degraded', label: 'degraded' },
];

const RATE_SERIES = COUNT_COLUMNS.filter((column) => column.count !== 'shown');

export function bucketLabel(language: 'ru' | 'en', bucket: DashboardFilters['bucket'], iso: string): string {
  const date = new Date(iso);
  const locale = language === 'ru' ? 'ru-RU' : 'en-GB';
  if (bucket === 'day' || bucket === 'week')
    return date.toLocaleDateString(locale, { day: '2-digit', month: '2-digit' });
  return date.toLocaleString(locale, {
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

const percentOf = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/**
 * The team lead's dashboard (issue 12): every figure from the /v1/analytics APIs, every table
 * with CSV and XLSX, every count a link to the suggestions behind it.
 */
export function DashboardPage() {
  const { d } = useDashboardText();
  const { t } = useI18n();
  const [filters, setFilters] = useState<DashboardFilters>({
    bucket: 'day',
    days: 30,
    breakdown: 'operator',
    values: {},
  });
  const [drill, setDrill] = useState<DrillTarget>();
  const [sets, setSets] = useState<SetsTarget>();
  // One list open at a time: a number's suggestions, or the sets behind a gap count or a cost.
  const openDrill = (target: DrillTarget) => {
    setSets(undefined);
    setDrill(target);
  };
  const openSets = (target: SetsTarget) => {
    setDrill(undefined);
    setSets(target);
  };
  const [generation, setGeneration] = useState(0);
  // The period is fixed when the filters change or on refresh, so every section counts the same one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation asks for a new "now".
  const period = useMemo(() => periodOf(filters), [filters, generation]);
  const [dimensions] = useAsync(() => getDimensions(period), [period]);

  const update = (change: Partial<DashboardFilters>) => {
    setDrill(undefined);
    setSets(undefined);
    setFilters((current) => ({ ...current, ...change }));
  };
  const setValue = (dimension: AnalyticsDimension, value: string) =>
    update({ values: { ...filters.values, [dimension]: value || undefined } });

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{d('title')}</h1>
      <p className="muted">{d('intro')}</p>
      <form className="toolbar wrap" onSubmit={(event) => event.preventDefault()}>
        <Field label={d('bucket')}>
          {(id) => (
            <select
              id={id}
              value={filters.bucket}
              onChange={(event) => update({ bucket: event.target.value as DashboardFilters['bucket'] })}
            >
              {FUNNEL_BUCKETS.map((bucket) => (
                <option key={bucket} value={bucket}>
                  {t(`analytics.bucket.${bucket}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={d('span')}>
          {(id) => (
            <select
              id={id}
              value={filters.days}
              onChange={(event) => update({ days: Number(event.target.value) })}
            >
              {DASHBOARD_SPANS.map((days) => (
                <option key={days} value={days}>
                  {d('spanDays', { days })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={d('breakdown')}>
          {(id) => (
            <select
              id={id}
              value={filters.breakdown}
              onChange={(event) => update({ breakdown: event.target.value as AnalyticsDimension })}
            >
              {ANALYTICS_DIMENSIONS.map((dimension) => (
                <option key={dimension} value={dimension}>
                  {d(`dimension.${dimension}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {ANALYTICS_DIMENSIONS.map((dimension) => (
          <Field key={dimension} label={d(`dimension.${dimension}`)}>
            {(id) => (
              <select
                id={id}
                value={filters.values[dimension] ?? ''}
                onChange={(event) => setValue(dimension, event.target.value)}
              >
                <option value="">{d('all')}</option>
                {(dimensions.status === 'done' ? dimensions.value.values[dimension] : []).map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
        <button type="button" onClick={() => setGeneration((value) => value + 1)}>
          {d('refresh')}
        </button>
      </form>
      {drill && <DrillPanel filters={filters} target={drill} onClose={() => setDrill(undefined)} />}
      {sets && <SetsPanel filters={filters} target={sets} onClose={() => setSets(undefined)} />}
      <RatesSection filters={filters} period={period} onDrill={openDrill} />
      <BreakdownSection filters={filters} period={period} onDrill={openDrill} />
      <EditingSection filters={filters} period={period} onDrill={openDrill} />
      <ReasonsSection filters={filters} period={period} onDrill={openDrill} />
      <GapsSection filters={filters} period={period} onSets={openSets} />
      <UsageSection filters={filters} period={period} onSets={openSets} />
    </section>
  );
}

export interface SectionProps {
  filters: DashboardFilters;
  period: { from: string; to: string };
  onDrill: (target: DrillTarget) => void;
}

function RatesChart({
  rates,
  breakdown,
}: {
  rates: AnalyticsRatesResponse;
  breakdown: AnalyticsRatesResponse;
}) {
  const { d, language } = useDashboardText();
  const data = rates.rows.map((row) => ({
    label: bucketLabel(language, rates.bucket, row.start),
    shown: row.shown,
    ...Object.fromEntries(
      RATE_SERIES.map((series) => [
        series.count,
        percentOf(row.rates[series.count as keyof AnalyticsRateRow['rates']]),
      ]),
    ),
  }));
  const byKey = breakdown.rows.reduce((map, row) => {
    const entry = map.get(row.start) ?? { label: bucketLabel(language, breakdown.bucket, row.start) };
    entry[String(row.key ?? d('none'))] = percentOf(row.rates.inserted);
    map.set(row.start, entry);
    return map;
  }, new Map<string, Record<string, string | number | null>>());
  // The volume behind the rates: suggestions shown per bucket as bars on their own axis.
  const chart = (title: string, rows: object[], series: { key: string; name: string }[], volume = false) => (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#d1d5db" strokeDasharray="3 3" />
          <XAxis dataKey="label" minTickGap={24} tick={AXIS_TICK} />
          <YAxis yAxisId="rate" domain={[0, 100]} unit="%" tick={AXIS_TICK} />
          {volume && <YAxis yAxisId="count" orientation="right" allowDecimals={false} tick={AXIS_TICK} />}
          <Tooltip />
          <Legend formatter={(value: string) => <span className="legend-text">{value}</span>} />
          {volume && (
            <Bar yAxisId="count" dataKey="shown" name={d('shown')} fill="#a5b4fc" isAnimationActive={false} />
          )}
          {series.map((line, index) => (
            <Line
              key={line.key}
              yAxisId="rate"
              type="monotone"
              dataKey={line.key}
              name={line.name}
              stroke={PALETTE[index % PALETTE.length]!.color}
              strokeDasharray={PALETTE[index % PALETTE.length]!.dash}
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
  return (
    <div className="chart-pair">
      {chart(
        d('ratesChart'),
        data,
        RATE_SERIES.map((series) => ({ key: series.count, name: `${d(series.label)}, %` })),
        true,
      )}
      {chart(
        `${d('breakdownChart')} (${d(`dimension.${breakdown.breakdown ?? 'operator'}`)})`,
        [...byKey.values()],
        breakdown.keys.map((key) => ({ key: String(key ?? d('none')), name: String(key ?? d('none')) })),
      )}
    </div>
  );
}

function RatesSection({ filters, period, onDrill }: SectionProps) {
  const { d, language } = useDashboardText();
  const [state, reload] = useAsync(
    () => Promise.all([getRates(filters, period, false), getRates(filters, period, true)]),
    [filters, period],
  );
  return (
    <Section id="dashboard-rates" title={d('ratesTitle')}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <p className="muted">
            {d('period', {
              from: formatDateTime(language, state.value[0].from),
              to: formatDateTime(language, state.value[0].to),
            })}
          </p>
          <RatesChart rates={state.value[0]} breakdown={state.value[1]} />
          <ExportLinks table="rates" title={d('ratesTitle')} filters={filters} period={period} />
          <table className="funnel-table" data-table="rates">
            <caption>{d('ratesTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{d('start')}</th>
                {COUNT_COLUMNS.map((column) => (
                  <th key={column.count} scope="col" className="number">
                    {d(column.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.value[0].rows
                .filter((row) => row.shown > 0)
                .map((row) => (
                  <tr key={row.start}>
                    <th scope="row" className="nowrap">
                      {formatDateTime(language, row.start)}
                    </th>
                    {COUNT_COLUMNS.map((column) => (
                      <CountWithRate
                        key={column.count}
                        count={row[column.count]}
                        rate={
                          column.count === 'shown'
                            ? undefined
                            : row.rates[column.count as keyof AnalyticsRateRow['rates']]
                        }
                        label={`${d(column.label)}, ${formatDateTime(language, row.start)}`}
                        target={{ from: row.start, to: row.end, stage: column.stage }}
                        onDrill={onDrill}
                      />
                    ))}
                  </tr>
                ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{d('total')}</th>
                {COUNT_COLUMNS.map((column) => (
                  <CountWithRate
                    key={column.count}
                    count={state.value[0].totals[column.count]}
                    rate={
                      column.count === 'shown'
                        ? undefined
                        : state.value[0].totals.rates[column.count as keyof AnalyticsRateRow['rates']]
                    }
                    label={`${d(column.label)}, ${d('total')}`}
                    target={{ from: state.value[0].from, to: state.value[0].to, stage: column.stage }}
                    onDrill={onDrill}
                  />
                ))}
              </tr>
            </tfoot>
          </table>
        </>
      )}
    </Section>
  );
}

function BreakdownSection({ filters, period, onDrill }: SectionProps) {
  const { d } = useDashboardText();
  const [state, reload] = useAsync(() => getBreakdown(filters, period), [filters, period]);
  const title = `${d('breakdownTitle')}: ${d(`dimension.${filters.breakdown}`)}`;
  return (
    <Section id="dashboard-breakdown" title={title}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <ExportLinks table="breakdown" title={title} filters={filters} period={period} />
          <table className="funnel-table" data-table="breakdown">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{d('value')}</th>
                {COUNT_COLUMNS.map((column) => (
                  <th key={column.count} scope="col" className="number">
                    {d(column.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.value.rows.map((row) => (
                <tr key={String(row.key)}>
                  <th scope="row">{row.key ?? d('none')}</th>
                  {COUNT_COLUMNS.map((column) => (
                    <CountWithRate
                      key={column.count}
                      count={row[column.count]}
                      rate={
                        column.count === 'shown'
                          ? undefined
                          : row.rates[column.count as keyof AnalyticsRateRow['rates']]
                      }
                      label={`${d(column.label)}, ${row.key ?? d('none')}`}
                      target={{
                        ...period,
                        stage: column.stage,
                        ...(row.key !== null ? { values: { [filters.breakdown]: row.key } } : {}),
                      }}
                      onDrill={onDrill}
                    />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}
