import type { FunnelResponse, FunnelRow, FunnelStage } from '@naparnik/assist-service/contract';
import { useState } from 'react';
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
import { FUNNEL_SPANS, type FunnelFilters, funnelCsvUrl, getFunnel, getFunnelSuggestions } from '../api.ts';
import { formatDateTime, formatPercent, type Language, type MessageKey, useI18n } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { Field } from './field.tsx';
import { LoadStatus } from './status.tsx';

const BUCKETS = ['15m', 'hour', 'day', 'week'] as const;

/** Colours with at least 4.5:1 contrast on white, told apart by dash pattern too. */
const SERIES = [
  { key: 'inserted', label: 'analytics.inserted', color: '#1d4ed8', dash: undefined },
  { key: 'sentAsIs', label: 'analytics.sentAsIs', color: '#047857', dash: '6 3' },
  { key: 'sentEdited', label: 'analytics.sentEdited', color: '#b45309', dash: '2 2' },
  { key: 'dismissed', label: 'analytics.dismissed', color: '#b91c1c', dash: '8 3 2 3' },
] as const;

const STAGE_COLUMNS: { stage: FunnelStage; count: keyof FunnelRow; label: MessageKey }[] = [
  { stage: 'shown', count: 'shown', label: 'analytics.shown' },
  { stage: 'inserted', count: 'inserted', label: 'analytics.inserted' },
  { stage: 'sent-as-is', count: 'sentAsIs', label: 'analytics.sentAsIs' },
  { stage: 'sent-edited', count: 'sentEdited', label: 'analytics.sentEdited' },
  { stage: 'dismissed', count: 'dismissed', label: 'analytics.dismissed' },
];

function bucketLabel(language: Language, bucket: FunnelFilters['bucket'], iso: string): string {
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

interface Drill {
  stage: FunnelStage;
  from: string;
  to: string;
}

/** The suggestion funnel for team leads: chart, table, reasons, CSV, and the suggestions behind a number. */
export function AnalyticsPage() {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState<FunnelFilters>({ bucket: 'hour' });
  const [onlyNonEmpty, setOnlyNonEmpty] = useState(true);
  const [drill, setDrill] = useState<Drill>();
  const [state, reload] = useAsync(() => getFunnel(filters), [filters]);
  const funnel = state.status === 'done' ? state.value : undefined;

  const setFilter = (key: keyof FunnelFilters, value: string) => {
    setDrill(undefined);
    const parsed = key === 'days' ? Number(value) || undefined : value || undefined;
    setFilters((current) => ({ ...current, [key]: parsed }) as FunnelFilters);
  };

  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">{t('analytics.title')}</h1>
      <form className="toolbar" onSubmit={(event) => event.preventDefault()}>
        <Field label={t('analytics.bucket')}>
          {(id) => (
            <select
              id={id}
              value={filters.bucket}
              onChange={(event) => setFilter('bucket', event.target.value)}
            >
              {BUCKETS.map((bucket) => (
                <option key={bucket} value={bucket}>
                  {t(`analytics.bucket.${bucket}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('analytics.span')}>
          {(id) => (
            <select
              id={id}
              value={filters.days ?? ''}
              onChange={(event) => setFilter('days', event.target.value)}
            >
              <option value="">{t('analytics.span.default')}</option>
              {FUNNEL_SPANS.map((days) => (
                <option key={days} value={days}>
                  {t('analytics.span.days', { days })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DimensionSelect
          label={t('analytics.operator')}
          values={funnel?.dimensions.operators ?? []}
          value={filters.operator}
          onChange={(value) => setFilter('operator', value)}
        />
        <DimensionSelect
          label={t('knowledge.collection')}
          values={funnel?.dimensions.collections ?? []}
          value={filters.collection}
          onChange={(value) => setFilter('collection', value)}
        />
        <DimensionSelect
          label={t('analytics.engine')}
          values={funnel?.dimensions.engines ?? []}
          value={filters.engine}
          onChange={(value) => setFilter('engine', value)}
        />
        <button type="button" onClick={reload}>
          {t('analytics.refresh')}
        </button>
      </form>
      <LoadStatus state={state} retry={reload} />
      {funnel && (
        <>
          <p className="muted">
            {t('analytics.period', {
              from: formatDateTime(language, funnel.from),
              to: formatDateTime(language, funnel.to),
            })}
          </p>
          <FunnelChart funnel={funnel} />
          <div className="toolbar">
            <a className="button" href={funnelCsvUrl(filters, 'utf-8', language)} download>
              {t('analytics.exportCsv')}
            </a>
            <a className="button" href={funnelCsvUrl(filters, 'cp1251', language)} download>
              {t('analytics.exportCsvExcel')}
            </a>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={onlyNonEmpty}
                onChange={(event) => setOnlyNonEmpty(event.target.checked)}
              />
              <span>{t('analytics.onlyNonEmpty')}</span>
            </label>
          </div>
          <FunnelTable
            funnel={funnel}
            rows={onlyNonEmpty ? funnel.rows.filter((row) => row.shown > 0) : funnel.rows}
            onDrill={setDrill}
          />
          {drill && <DrillDown filters={filters} drill={drill} onClose={() => setDrill(undefined)} />}
          <h2>{t('analytics.reasons')}</h2>
          {funnel.dismissReasons.length === 0 ? (
            <p>{t('common.empty')}</p>
          ) : (
            <table className="narrow">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.reason')}</th>
                  <th scope="col" className="number">
                    {t('analytics.count')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {funnel.dismissReasons.map(({ reason, count }) => (
                  <tr key={reason}>
                    <th scope="row">{reason || t('analytics.noReason')}</th>
                    <td className="number">{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function DimensionSelect(props: {
  label: string;
  values: string[];
  value: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Field label={props.label}>
      {(id) => (
        <select id={id} value={props.value ?? ''} onChange={(event) => props.onChange(event.target.value)}>
          <option value="">{t('common.all')}</option>
          {props.values.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function FunnelChart({ funnel }: { funnel: FunnelResponse }) {
  const { t, language } = useI18n();
  const data = funnel.rows.map((row) => ({
    label: bucketLabel(language, funnel.bucket, row.start),
    shown: row.shown,
    ...Object.fromEntries(
      SERIES.map((series) => [
        series.key,
        row.rates[series.key] === null ? null : Math.round(row.rates[series.key]! * 1000) / 10,
      ]),
    ),
  }));
  return (
    <figure className="chart">
      <figcaption>{t('analytics.chart')}</figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#d1d5db" strokeDasharray="3 3" />
          <XAxis dataKey="label" minTickGap={24} tick={{ fill: '#374151', fontSize: 12 }} />
          <YAxis yAxisId="rate" domain={[0, 100]} unit="%" tick={{ fill: '#374151', fontSize: 12 }} />
          <YAxis
            yAxisId="count"
            orientation="right"
            allowDecimals={false}
            tick={{ fill: '#374151', fontSize: 12 }}
          />
          <Tooltip />
          {/* Legend texts in the body colour: the series colours are for lines, not for reading. */}
          <Legend formatter={(value: string) => <span className="legend-text">{value}</span>} />
          <Bar
            yAxisId="count"
            dataKey="shown"
            name={t('analytics.shown')}
            fill="#a5b4fc"
            isAnimationActive={false}
          />
          {SERIES.map((series) => (
            <Line
              key={series.key}
              yAxisId="rate"
              type="monotone"
              dataKey={series.key}
              name={`${t(series.label)}, %`}
              stroke={series.color}
              strokeDasharray={series.dash}
              strokeWidth={2}
              // A period with one busy bucket still shows its rates as points.
              dot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

function FunnelTable(props: { funnel: FunnelResponse; rows: FunnelRow[]; onDrill: (drill: Drill) => void }) {
  const { t, language } = useI18n();
  const { funnel } = props;
  const cell = (
    row: { start: string; end: string } & Record<string, unknown>,
    column: (typeof STAGE_COLUMNS)[number],
    rate: number | null | undefined,
  ) => {
    const count = row[column.count] as number;
    return (
      <td key={column.stage} className="number">
        {count === 0 ? (
          '0'
        ) : (
          <button
            type="button"
            className="link"
            onClick={() => props.onDrill({ stage: column.stage, from: row.start, to: row.end })}
            aria-label={`${t(column.label)}: ${count}, ${formatDateTime(language, row.start)}`}
          >
            {count}
          </button>
        )}
        {rate !== undefined && <span className="rate"> {formatPercent(language, rate)}</span>}
      </td>
    );
  };
  const rateOf = (rates: FunnelRow['rates'], stage: FunnelStage) =>
    stage === 'inserted'
      ? rates.inserted
      : stage === 'sent-as-is'
        ? rates.sentAsIs
        : stage === 'sent-edited'
          ? rates.sentEdited
          : stage === 'dismissed'
            ? rates.dismissed
            : undefined;
  return (
    <table className="funnel-table">
      <caption>{t('analytics.table')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('analytics.start')}</th>
          {STAGE_COLUMNS.map((column) => (
            <th key={column.stage} scope="col" className="number">
              {t(column.label)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.start}>
            <th scope="row" className="nowrap">
              {formatDateTime(language, row.start)}
            </th>
            {STAGE_COLUMNS.map((column) => cell(row, column, rateOf(row.rates, column.stage)))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('analytics.total')}</th>
          {STAGE_COLUMNS.map((column) =>
            cell(
              { ...funnel.totals, start: funnel.from, end: funnel.to },
              column,
              rateOf(funnel.totals.rates, column.stage),
            ),
          )}
        </tr>
      </tfoot>
    </table>
  );
}

function DrillDown({
  filters,
  drill,
  onClose,
}: {
  filters: FunnelFilters;
  drill: Drill;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const [state, reload] = useAsync(
    () => getFunnelSuggestions(filters, { from: drill.from, to: drill.to }, drill.stage),
    [filters, drill],
  );
  return (
    <section className="drill" aria-labelledby="drill-title">
      <h2 id="drill-title">{t('analytics.behind', { stage: t(`stage.${drill.stage}` as MessageKey) })}</h2>
      <p className="muted">
        {formatDateTime(language, drill.from)} — {formatDateTime(language, drill.to)}
      </p>
      <button type="button" onClick={onClose}>
        {t('analytics.close')}
      </button>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <p role="status">
            {t('analytics.behindCount', { total: state.value.total, shown: state.value.suggestions.length })}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('analytics.shownAt')}</th>
                <th scope="col">{t('analytics.suggestion')}</th>
                <th scope="col">{t('analytics.operator')}</th>
                <th scope="col">{t('knowledge.collection')}</th>
                <th scope="col">{t('analytics.engine')}</th>
                <th scope="col">{t('analytics.stages')}</th>
                <th scope="col">{t('analytics.set')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.suggestions.map((item) => (
                <tr key={`${item.suggestionSetId}/${item.suggestionIndex}`}>
                  <td className="nowrap">{formatDateTime(language, item.shownAt)}</td>
                  <td>
                    {item.title && <strong>{item.title}</strong>}
                    {item.text && <div className="clamp">{item.text}</div>}
                  </td>
                  <td>{item.operatorId ?? '—'}</td>
                  <td>{item.collection}</td>
                  <td>{item.engine}</td>
                  <td>
                    {item.stages.map((stage) => t(`stage.${stage}` as MessageKey)).join(' → ')}
                    {item.dismissReason !== undefined &&
                      ` (${item.dismissReason || t('analytics.noReason')})`}
                  </td>
                  <td>
                    {/* What operators did with this set, as recorded: the feedback events behind the row. */}
                    <a
                      href={`/v1/feedback/events?suggestionSetId=${encodeURIComponent(item.suggestionSetId)}`}
                    >
                      <code>
                        {item.suggestionSetId}#{item.suggestionIndex}
                      </code>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
