import type { AnalyticsTable } from '@naparnik/assist-service/contract';
import type { ReactNode } from 'react';
import { type DashboardFilters, type DrillTarget, exportUrl, getOutcomes } from '../dashboard-api.ts';
import { type DashboardKey, useDashboardText } from '../dashboard-text.ts';
import { formatDateTime, formatPercent } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { LoadStatus } from './status.tsx';

/** Colours with at least 4.5:1 contrast on white, told apart by dash pattern too. */
export const PALETTE = [
  { color: '#1d4ed8', dash: undefined },
  { color: '#047857', dash: '6 3' },
  { color: '#b45309', dash: '2 2' },
  { color: '#b91c1c', dash: '8 3 2 3' },
  { color: '#6d28d9', dash: '4 4' },
  { color: '#0f766e', dash: '1 3' },
] as const;

export const AXIS_TICK = { fill: '#374151', fontSize: 12 };

/** A count that opens the suggestions behind it; zero opens nothing. */
export function DrillCount(props: {
  count: number;
  label: string;
  target: DrillTarget;
  onDrill: (target: DrillTarget) => void;
}) {
  if (props.count === 0) return <>0</>;
  return (
    <button
      type="button"
      className="link"
      onClick={() => props.onDrill(props.target)}
      aria-label={`${props.label}: ${props.count}`}
    >
      {props.count}
    </button>
  );
}

/** A count with its share of shown suggestions beside it. */
export function CountWithRate(props: {
  count: number;
  rate?: number | null | undefined;
  label: string;
  target: DrillTarget;
  onDrill: (target: DrillTarget) => void;
}) {
  const { language } = useDashboardText();
  return (
    <td className="number">
      <DrillCount count={props.count} label={props.label} target={props.target} onDrill={props.onDrill} />
      {props.rate !== undefined && <span className="rate"> {formatPercent(language, props.rate)}</span>}
    </td>
  );
}

/** CSV, CSV for a Russian Excel and XLSX of one table, with the page's filters. */
export function ExportLinks(props: {
  table: AnalyticsTable;
  title: string;
  filters: DashboardFilters;
  period: { from: string; to: string };
}) {
  const { d, language } = useDashboardText();
  const url = (format: 'csv' | 'xlsx', encoding?: 'utf-8' | 'cp1251') =>
    exportUrl(props.table, format, props.filters, props.period, language, encoding);
  return (
    <div className="toolbar">
      <a
        className="button"
        href={url('csv')}
        download
        aria-label={`${d('exportOf', { table: props.title })}: CSV`}
      >
        {d('exportCsv')}
      </a>
      <a
        className="button"
        href={url('csv', 'cp1251')}
        download
        aria-label={`${d('exportOf', { table: props.title })}: ${d('exportCsvExcel')}`}
      >
        {d('exportCsvExcel')}
      </a>
      <a
        className="button"
        href={url('xlsx')}
        download
        data-export={`${props.table}-xlsx`}
        aria-label={`${d('exportOf', { table: props.title })}: XLSX`}
      >
        {d('exportXlsx')}
      </a>
    </div>
  );
}

export function Section(props: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={props.id} className="dashboard-section">
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** The suggestions behind a number: what the team lead opens to see what operators saw. */
export function DrillPanel(props: { filters: DashboardFilters; target: DrillTarget; onClose: () => void }) {
  const { d, language } = useDashboardText();
  const [state, reload] = useAsync(
    () => getOutcomes(props.filters, props.target),
    [props.filters, props.target],
  );
  return (
    <section className="drill" aria-labelledby="dashboard-drill-title">
      <h2 id="dashboard-drill-title">
        {d('behind')}: {d(`stage.${props.target.stage ?? 'shown'}` as DashboardKey)}
        {props.target.reason !== undefined && ` — ${props.target.reason || d('noReason')}`}
      </h2>
      <p className="muted">
        {formatDateTime(language, props.target.from)} — {formatDateTime(language, props.target.to)}
      </p>
      <button type="button" onClick={props.onClose}>
        {d('close')}
      </button>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <p role="status">
            {d('behindCount', { total: state.value.total, shown: state.value.outcomes.length })}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{d('shownAt')}</th>
                <th scope="col">{d('suggestion')}</th>
                <th scope="col">{d('dimension.operator')}</th>
                <th scope="col">{d('dimension.topic')}</th>
                <th scope="col">{d('dimension.engine')}</th>
                <th scope="col">{d('stages')}</th>
                <th scope="col">{d('set')}</th>
              </tr>
            </thead>
            <tbody>
              {state.value.outcomes.map((item) => (
                <tr key={`${item.suggestionSetId}/${item.suggestionIndex}`}>
                  <td className="nowrap">{formatDateTime(language, item.shownAt)}</td>
                  <td>{item.title ?? item.document ?? '—'}</td>
                  <td>{item.operatorId ?? '—'}</td>
                  <td>{item.topic ?? '—'}</td>
                  <td>
                    {item.engine}
                    {item.promptVersion ? ` · ${item.promptVersion}` : ''}
                  </td>
                  <td>
                    {item.stages.map((stage) => d(`stage.${stage}` as DashboardKey)).join(' → ')}
                    {item.editDistance !== undefined && ` (Δ ${item.editDistance})`}
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
