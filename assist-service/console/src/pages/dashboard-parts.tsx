import type { AnalyticsTable } from '@naparnik/assist-service/contract';
import type { ReactNode } from 'react';
import {
  type DashboardFilters,
  type DrillTarget,
  exportUrl,
  getOutcomes,
  getSets,
  type SetsTarget,
} from '../dashboard-api.ts';
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

/** A count that opens the suggestions (or sets) behind it; zero opens nothing. */
export function DrillCount<Target>(props: {
  count: number;
  label: string;
  target: Target;
  onDrill: (target: Target) => void;
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

/** The link to what operators did with a set: its feedback events as recorded. */
function SetLink(props: { setId: string; index?: number }) {
  return (
    <a href={`/v1/feedback/events?suggestionSetId=${encodeURIComponent(props.setId)}`}>
      <code>
        {props.setId}
        {props.index !== undefined && `#${props.index}`}
      </code>
    </a>
  );
}

/** What a list behind a number is opened with. */
interface PanelProps<Target> {
  filters: DashboardFilters;
  target: Target;
  onClose: () => void;
}

/** A list behind a number: its title, period, a close button, then the rows once they load. */
function DrillFrame<Target extends { from: string; to: string }, Value extends { total: number }>(props: {
  panel: PanelProps<Target>;
  title: string;
  load: (filters: DashboardFilters, target: Target) => Promise<Value>;
  shown: (value: Value) => number;
  children: (value: Value) => ReactNode;
}) {
  const { d, language } = useDashboardText();
  const { filters, target, onClose } = props.panel;
  const [state, reload] = useAsync(() => props.load(filters, target), [filters, target]);
  return (
    <section className="drill" aria-labelledby="dashboard-drill-title">
      <h2 id="dashboard-drill-title">{props.title}</h2>
      <p className="muted">
        {formatDateTime(language, target.from)} — {formatDateTime(language, target.to)}
      </p>
      <button type="button" onClick={onClose}>
        {d('close')}
      </button>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <>
          <p role="status">
            {d('behindCount', { total: state.value.total, shown: props.shown(state.value) })}
          </p>
          {props.children(state.value)}
        </>
      )}
    </section>
  );
}

/** The suggestions behind a number: what the team lead opens to see what operators saw. */
export function DrillPanel(props: PanelProps<DrillTarget>) {
  const { d, language } = useDashboardText();
  const title = `${d('behind')}: ${d(`stage.${props.target.stage ?? 'shown'}` as DashboardKey)}${
    props.target.reason !== undefined ? ` — ${props.target.reason || d('noReason')}` : ''
  }`;
  return (
    <DrillFrame panel={props} title={title} load={getOutcomes} shown={(value) => value.outcomes.length}>
      {(value) => (
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
            {value.outcomes.map((item) => (
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
                  <SetLink setId={item.suggestionSetId} index={item.suggestionIndex} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DrillFrame>
  );
}

/** The suggestion sets behind a gap count or a day's model cost (`/v1/analytics/sets`). */
export function SetsPanel(props: PanelProps<SetsTarget>) {
  const { d, language } = useDashboardText();
  const usage = props.target.behind === 'usage';
  // Each column's text and whether it holds numbers.
  const columns: Array<[DashboardKey, boolean]> = [
    ['at', false],
    ['set', false],
    ['dimension.collection', false],
    ['dimension.topic', false],
    [usage ? 'model' : 'dimension.engine', false],
    [usage ? 'tokens' : 'bestScore', true],
    ...(usage ? [['cost', true] as [DashboardKey, boolean]] : []),
  ];
  const title = `${d(usage ? 'behindUsage' : 'behindGaps')}${props.target.model ? ` — ${props.target.model}` : ''}`;
  return (
    <DrillFrame panel={props} title={title} load={getSets} shown={(value) => value.sets.length}>
      {(value) => (
        <table data-table="sets">
          <thead>
            <tr>
              {columns.map(([key, number]) => (
                <th key={key} scope="col" className={number ? 'number' : undefined}>
                  {d(key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.sets.map((item) => (
              <tr key={`${item.suggestionSetId ?? item.collection}/${item.at}`}>
                <td className="nowrap">{formatDateTime(language, item.at)}</td>
                <td>{item.suggestionSetId ? <SetLink setId={item.suggestionSetId} /> : '—'}</td>
                <td>{item.collection}</td>
                <td>{item.topic ?? '—'}</td>
                <td>{(usage ? item.model : item.engine) ?? '—'}</td>
                <td className="number">
                  {usage
                    ? `${item.inputTokens ?? 0} / ${item.outputTokens ?? 0}`
                    : item.bestScore?.toFixed(3)}
                </td>
                {usage && (
                  <td className="number">{item.costUsd === null ? '—' : item.costUsd?.toFixed(4)}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DrillFrame>
  );
}
