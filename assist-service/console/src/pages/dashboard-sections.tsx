import type { AnalyticsHistogram, UsageResponse } from '@naparnik/assist-service/contract';
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  type DashboardFilters,
  getEditing,
  getGaps,
  getReasons,
  getUsage,
  type SetsTarget,
  usageDay,
} from '../dashboard-api.ts';
import { type DashboardText, useDashboardText } from '../dashboard-text.ts';
import { formatDateTime } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { bucketLabel, type SectionProps } from './dashboard-page.tsx';
import { AXIS_TICK, DrillCount, ExportLinks, Section } from './dashboard-parts.tsx';
import { LoadStatus } from './status.tsx';

/** A bin's bounds as a lead reads them: characters as they are, times in seconds. */
function binLabel(
  d: DashboardText,
  histogram: AnalyticsHistogram,
  bin: AnalyticsHistogram['bins'][number],
): string {
  const value = (edge: number) => (histogram.unit === 'ms' ? String(edge / 1000) : String(edge));
  const unit = (text: string) => (histogram.unit === 'ms' ? d('seconds', { value: text }) : text);
  if (bin.to === null) return `${unit(value(bin.from))} ${d('openBin')}`;
  if (histogram.unit === 'characters' && bin.to === bin.from + 1) return value(bin.from);
  return unit(`${value(bin.from)}–${value(bin.to)}`);
}

function Histogram(
  props: { histogram: AnalyticsHistogram; period: { from: string; to: string } } & Pick<
    SectionProps,
    'onDrill'
  >,
) {
  const { d } = useDashboardText();
  const { histogram } = props;
  const title = d(`measure.${histogram.measure}`);
  const data = histogram.bins.map((bin) => ({ label: binLabel(d, histogram, bin), count: bin.count }));
  const median =
    histogram.p50 === null
      ? ''
      : ` · ${d('median', { value: histogram.unit === 'ms' ? d('seconds', { value: histogram.p50 / 1000 }) : histogram.p50 })}`;
  return (
    <figure className="chart histogram">
      <figcaption>
        {title} ({histogram.count}
        {median})
      </figcaption>
      {histogram.count === 0 ? (
        <p>{d('noData')}</p>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid stroke="#d1d5db" strokeDasharray="3 3" />
              <XAxis dataKey="label" tick={AXIS_TICK} interval={0} />
              <YAxis allowDecimals={false} tick={AXIS_TICK} />
              <Tooltip />
              <Bar dataKey="count" name={d('count')} fill="#1d4ed8" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <table className="narrow">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{d('bin')}</th>
                <th scope="col" className="number">
                  {d('count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {histogram.bins.map((bin) => (
                <tr key={bin.from}>
                  <th scope="row">{binLabel(d, histogram, bin)}</th>
                  <td className="number">
                    <DrillCount
                      count={bin.count}
                      label={`${title}, ${binLabel(d, histogram, bin)}`}
                      target={{
                        ...props.period,
                        measure: histogram.measure,
                        min: bin.from,
                        ...(bin.to !== null ? { max: bin.to } : {}),
                      }}
                      onDrill={props.onDrill}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}

export function EditingSection({ filters, period, onDrill }: SectionProps) {
  const { d } = useDashboardText();
  const [state, reload] = useAsync(() => getEditing(filters, period), [filters, period]);
  return (
    <Section id="dashboard-editing" title={d('editingTitle')}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <ExportLinks table="editing" title={d('editingTitle')} filters={filters} period={period} />
          <div className="histograms">
            {[
              state.value.editDistance,
              state.value.replyWithSuggestion,
              state.value.replyWithoutSuggestion,
              state.value.firstSuggestion,
            ].map((histogram) => (
              <Histogram key={histogram.measure} histogram={histogram} period={period} onDrill={onDrill} />
            ))}
          </div>
        </>
      )}
    </Section>
  );
}

export function ReasonsSection({ filters, period, onDrill }: SectionProps) {
  const { d } = useDashboardText();
  const [state, reload] = useAsync(() => getReasons(filters, period), [filters, period]);
  return (
    <Section id="dashboard-reasons" title={d('reasonsTitle')}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <ExportLinks table="reasons" title={d('reasonsTitle')} filters={filters} period={period} />
          <table className="narrow" data-table="reasons">
            <caption>{d('reasonsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{d('stages')}</th>
                <th scope="col">{d('reason')}</th>
                <th scope="col" className="number">
                  {d('count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['rated-down', d('thumbsDown'), state.value.thumbsDown],
                  ['dismissed', d('dismissed'), state.value.dismissed],
                ] as const
              ).flatMap(([stage, label, rows]) =>
                rows.map((row) => (
                  <tr key={`${stage}/${row.reason}`}>
                    <td>{label}</td>
                    <th scope="row">{row.reason || d('noReason')}</th>
                    <td className="number">
                      <DrillCount
                        count={row.count}
                        label={`${label}, ${row.reason || d('noReason')}`}
                        target={{ ...period, stage, reason: row.reason }}
                        onDrill={onDrill}
                      />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

/** What the gap and cost sections take: the page's period and filters, and where a count opens its sets. */
interface SetSectionProps {
  filters: DashboardFilters;
  period: { from: string; to: string };
  onSets: (target: SetsTarget) => void;
}

/** Bars that open the sets behind them when clicked (the table beside them does it by keyboard). */
function ClickableBars(props: {
  rows: Array<{ label: string; value: number }>;
  name: string;
  color: string;
  open: (index: number) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height={180}>
      <BarChart
        data={props.rows}
        margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
        style={{ cursor: 'pointer' }}
      >
        <CartesianGrid stroke="#d1d5db" strokeDasharray="3 3" />
        <XAxis dataKey="label" minTickGap={24} tick={AXIS_TICK} />
        <YAxis tick={AXIS_TICK} />
        <Tooltip />
        <Bar
          dataKey="value"
          name={props.name}
          fill={props.color}
          isAnimationActive={false}
          onClick={(_, index) => props.open(index)}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function GapsSection({ filters, period, onSets }: SetSectionProps) {
  const { d, language } = useDashboardText();
  const [state, reload] = useAsync(() => getGaps(filters, period), [filters, period]);
  return (
    <Section id="dashboard-gaps" title={d('gapsTitle')}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <figure className="chart" data-chart="gaps">
            <figcaption>
              {d('gapsTitle')} ({state.value.total})
            </figcaption>
            <ClickableBars
              rows={state.value.rows.map((row) => ({
                label: bucketLabel(language, filters.bucket, row.start),
                value: row.count,
              }))}
              name={d('gaps')}
              color="#b45309"
              open={(index) => {
                const row = state.value.rows[index];
                if (row && row.count > 0) onSets({ behind: 'gaps', from: row.start, to: row.end });
              }}
            />
          </figure>
          <ExportLinks table="gaps" title={d('gapsTitle')} filters={filters} period={period} />
          <table className="narrow" data-table="gaps">
            <caption className="visually-hidden">{d('gapsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{d('start')}</th>
                <th scope="col" className="number">
                  {d('gaps')}
                </th>
              </tr>
            </thead>
            <tbody>
              {state.value.rows
                .filter((row) => row.count > 0)
                .map((row) => (
                  <tr key={row.start}>
                    <th scope="row">{formatDateTime(language, row.start)}</th>
                    <td className="number">
                      <DrillCount
                        count={row.count}
                        label={`${d('gaps')}, ${formatDateTime(language, row.start)}`}
                        target={{ behind: 'gaps', from: row.start, to: row.end }}
                        onDrill={onSets}
                      />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

export function UsageSection({ filters, period, onSets }: SetSectionProps) {
  const { d } = useDashboardText();
  const [state, reload] = useAsync(() => getUsage(period), [period]);
  return (
    <Section id="dashboard-usage" title={d('usageTitle')}>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <UsageFigures
          usage={state.value}
          onSets={onSets}
          exportLinks={
            <ExportLinks table="usage" title={d('usageTitle')} filters={filters} period={period} />
          }
        />
      )}
    </Section>
  );
}

/** Cost per day as bars (every model of the day), and the table per day and model. */
function UsageFigures(props: {
  usage: UsageResponse;
  onSets: (target: SetsTarget) => void;
  exportLinks: ReactNode;
}) {
  const { d } = useDashboardText();
  const { usage, onSets } = props;
  const perDay = [
    ...usage.days.reduce(
      (days, row) => days.set(row.day, (days.get(row.day) ?? 0) + row.costUsd),
      new Map<string, number>(),
    ),
  ];
  const money = (value: number) => Math.round(value * 100) / 100;
  return (
    <>
      <figure className="chart" data-chart="usage">
        <figcaption>
          {d('usageTitle')} ({d('cost')}: {usage.totals.costUsd.toFixed(2)})
        </figcaption>
        <ClickableBars
          rows={perDay.map(([day, cost]) => ({ label: day.slice(5), value: money(cost) }))}
          name={d('cost')}
          color="#047857"
          open={(index) => {
            const day = perDay[index]?.[0];
            if (day) onSets({ behind: 'usage', ...usageDay(day) });
          }}
        />
      </figure>
      {props.exportLinks}
      <table className="narrow" data-table="usage">
        <caption className="visually-hidden">{d('usageTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{d('day')}</th>
            <th scope="col">{d('model')}</th>
            <th scope="col" className="number">
              {d('sets')}
            </th>
            <th scope="col" className="number">
              {d('inputTokens')}
            </th>
            <th scope="col" className="number">
              {d('outputTokens')}
            </th>
            <th scope="col" className="number">
              {d('cost')}
            </th>
          </tr>
        </thead>
        <tbody>
          {usage.days.map((row) => (
            <tr key={`${row.day}/${row.engine}/${row.model}`}>
              <th scope="row">{row.day}</th>
              <td>{row.model}</td>
              <td className="number">
                <DrillCount
                  count={row.sets}
                  label={`${d('sets')}, ${row.day}, ${row.model}`}
                  target={{ behind: 'usage', ...usageDay(row.day), engine: row.engine, model: row.model }}
                  onDrill={onSets}
                />
              </td>
              <td className="number">{row.inputTokens}</td>
              <td className="number">{row.outputTokens}</td>
              <td className="number">{row.costUsd.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
