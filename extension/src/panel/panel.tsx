import { useCallback, useEffect, useState } from 'react';
import type { Locale, PanelState, StorageArea } from '../settings.ts';
import { readPanelState, writePanelState } from '../settings.ts';
import { type AssistState, isDegraded } from './assist-state.ts';
import { DraftCheckView, useDraftCheck } from './draft-check.tsx';
import { NextActions, SummaryView } from './insights.tsx';
import { RoleNotice } from './role-notice.tsx';
import { isFlagged, SafetyAlert } from './safety-notice.tsx';
import { SearchBox } from './search-box.tsx';
import { shortcutFor } from './shortcuts.ts';
import { STRINGS, type Strings } from './strings.ts';
import { SuggestionCard } from './suggestion-card.tsx';
import type { PageBridge, PanelClient } from './types.ts';
import { type PanelView, usePanelSession } from './use-panel-session.ts';

export interface PanelProps {
  client: PanelClient;
  page: PageBridge;
  /** Where the panel remembers whether it is collapsed and which tab is open. */
  storage: StorageArea;
  /** Until the service status says otherwise. */
  locale?: Locale;
  /** Docked beside the page (collapsible) or filling the browser's side panel. */
  mode?: 'docked' | 'embedded';
  /** Where keyboard shortcuts are heard; the page's window for the docked panel. */
  keyTarget?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /**
   * Which key events count as the operator's: by default only the browser's own (`isTrusted`), so
   * that a page's script dispatching Alt+1 inserts nothing. Tests in a simulated DOM, whose events
   * are all untrusted, widen it; the browser e2e proves the real check.
   */
  trustKey?(event: Event): boolean;
  copy?(text: string): Promise<boolean>;
  /** Told how much of the page's right edge the docked panel covers (0 when collapsed). */
  onDock?(width: number): void;
}

const DOCKED_WIDTH = 360;
const browserEventsOnly = (event: Event) => event.isTrusted;

async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function StateView({
  view,
  strings,
  onRetry,
  page,
}: {
  view: PanelView;
  strings: Strings;
  onRetry(): void;
  page: PageBridge;
}) {
  switch (view.kind) {
    case 'loading':
      return <p className="np-state np-muted">{strings.loading}</p>;
    case 'not-configured':
      return (
        <div className="np-state" role="alert">
          <h3>{strings.notConfiguredTitle}</h3>
          <p>{view.reason ?? strings.notConfiguredBody}</p>
          {page.openOptions ? (
            <button type="button" onClick={() => page.openOptions?.()}>
              {strings.openOptions}
            </button>
          ) : null}
        </div>
      );
    case 'unreachable':
      return (
        <div className="np-state" role="alert">
          <h3>{strings.unreachableTitle}</h3>
          <p>{strings.unreachableBody(view.serviceUrl || '—')}</p>
          <button type="button" className="np-primary" onClick={onRetry}>
            {strings.retry}
          </button>
        </div>
      );
    case 'not-ready':
      return (
        <div className="np-state" role="status">
          <p>{strings.notReady}</p>
          <button type="button" onClick={onRetry}>
            {strings.retry}
          </button>
        </div>
      );
    case 'not-found':
      return (
        <div className="np-state" role="status">
          <h3>{strings.notFoundTitle}</h3>
          <p>{strings.notFoundBody}</p>
          {page.teach ? (
            <button type="button" onClick={() => page.teach?.()}>
              {strings.teachPage}
            </button>
          ) : null}
        </div>
      );
    case 'ready':
      return null;
  }
}

/** A flagged document's title: from a suggestion citing it, else from the retrieval hits. */
function titleOf(assist: AssistState, documentId: string): string | undefined {
  for (const draft of assist.suggestions) {
    const citation = draft.final?.citations.find((candidate) => candidate.documentId === documentId);
    if (citation) return citation.title;
  }
  return assist.hits.find((hit) => hit.documentId === documentId)?.title;
}

export function Panel({
  client,
  page,
  storage,
  locale,
  mode = 'docked',
  keyTarget,
  trustKey = browserEventsOnly,
  copy = copyToClipboard,
  onDock,
}: PanelProps) {
  const session = usePanelSession(client, page);
  const [state, setState] = useState<PanelState>({ collapsed: false, tab: 'suggestions' });
  const strings = STRINGS[session.status?.locale ?? locale ?? 'ru'];
  const draftCheck = useDraftCheck(
    client,
    page,
    session.reading?.conversation,
    session.view.kind === 'ready' && !(mode === 'docked' && state.collapsed),
  );

  useEffect(() => {
    void readPanelState(storage).then(setState);
  }, [storage]);

  const update = useCallback(
    (changes: Partial<PanelState>) => {
      setState((current) => {
        const next = { ...current, ...changes };
        void writePanelState(storage, next);
        return next;
      });
    },
    [storage],
  );

  useEffect(() => {
    if (mode === 'docked') onDock?.(state.collapsed ? 0 : DOCKED_WIDTH);
  }, [mode, state.collapsed, onDock]);
  useEffect(() => () => onDock?.(0), [onDock]);

  const { insert, refresh } = session;
  const suggestions = session.assist.suggestions;
  const [shortcutNotice, setShortcutNotice] = useState<number | undefined>();
  const suggestionSetId = session.assist.suggestionSetId;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new set clears the notice
  useEffect(() => setShortcutNotice(undefined), [suggestionSetId]);
  useEffect(() => {
    const target = keyTarget ?? (mode === 'docked' ? window : undefined);
    if (!target) return;
    const onKey = (event: Event) => {
      if (!trustKey(event)) return;
      const action = shortcutFor(event as KeyboardEvent);
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      if (action.type === 'insert') {
        // A suggestion on a flagged source is inserted by a deliberate click, after its warning.
        const draft = suggestions.find((candidate) => candidate.index === action.index);
        if (isFlagged(draft?.final)) setShortcutNotice(action.index);
        else void insert(action.index);
      } else if (action.type === 'refresh') void refresh();
      else update({ tab: 'summary', collapsed: false });
    };
    target.addEventListener('keydown', onKey, true);
    return () => target.removeEventListener('keydown', onKey, true);
  }, [keyTarget, trustKey, mode, insert, refresh, update, suggestions]);

  if (mode === 'docked' && state.collapsed) {
    return (
      <button
        type="button"
        className="np-tab"
        aria-label={strings.expand}
        onClick={() => update({ collapsed: false })}
      >
        {strings.title}
      </button>
    );
  }

  const { view, assist } = session;
  const streaming = assist.phase === 'streaming';
  return (
    <section
      className={`np-root${mode === 'embedded' ? ' np-embedded' : ''}`}
      aria-label={strings.title}
      data-naparnik="panel"
    >
      <header className="np-head">
        <h2>{strings.title}</h2>
        <button
          type="button"
          onClick={() => void session.refresh()}
          title="Alt+R"
          disabled={view.kind !== 'ready'}
        >
          {strings.refresh}
        </button>
        {mode === 'docked' ? (
          <button
            type="button"
            aria-label={strings.collapse}
            title={strings.collapse}
            onClick={() => update({ collapsed: true })}
          >
            ⟩
          </button>
        ) : null}
      </header>
      {view.kind === 'ready' ? (
        <div className="np-tabs" role="tablist">
          {(['suggestions', 'summary', 'search'] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={state.tab === tab}
              onClick={() => update({ tab })}
            >
              {tab === 'suggestions'
                ? strings.tabSuggestions
                : tab === 'summary'
                  ? strings.tabSummary
                  : strings.tabSearch}
            </button>
          ))}
        </div>
      ) : null}
      <div className="np-body">
        <StateView view={view} strings={strings} page={page} onRetry={() => void session.retry()} />
        {view.kind === 'ready' && state.tab === 'suggestions' ? (
          <>
            <RoleNotice
              messages={session.reading?.conversation?.messages ?? []}
              strings={strings}
              onTeach={page.teach ? () => page.teach?.() : undefined}
            />
            <SafetyAlert
              flags={assist.response?.safety?.flags ?? []}
              strings={strings}
              titleOf={(documentId) => titleOf(assist, documentId)}
            />
            {shortcutNotice !== undefined ? (
              <p className="np-safety-refused" role="status">
                {strings.safety.shortcutRefused(shortcutNotice)}
              </p>
            ) : null}
            {isDegraded(assist) ? <p className="np-degraded">{strings.degraded}</p> : null}
            {assist.phase === 'error' && assist.error ? (
              <div className="np-error" role="alert">
                {strings.error}: {assist.error.message}{' '}
                <button type="button" onClick={() => void session.refresh()}>
                  {strings.retry}
                </button>
              </div>
            ) : null}
            <DraftCheckView
              state={draftCheck}
              strings={strings}
              onFix={(finding) => void draftCheck.fix(finding)}
            />
            {streaming && assist.suggestions.length === 0 ? (
              <p className="np-muted" role="status">
                {strings.streaming}
              </p>
            ) : null}
            {assist.suggestions.map((draft) => (
              <SuggestionCard
                key={`${assist.suggestionSetId ?? ''}-${draft.index}`}
                draft={draft}
                strings={strings}
                streaming={streaming}
                onInsert={insert}
                onCopy={copy}
                onRate={session.rate}
                text={session.texts[draft.index]}
                rewriteStyles={session.status?.rewrite}
                onRewrite={session.rewrite}
                onTextChange={session.setText}
                onDismiss={session.dismiss}
                onRestore={session.restore}
                onCopied={session.markCopied}
              />
            ))}
            {assist.phase === 'done' && assist.suggestions.length === 0 ? (
              <p className="np-muted">{strings.noSuggestions}</p>
            ) : null}
            <NextActions actions={assist.nextActions} strings={strings} />
          </>
        ) : null}
        {view.kind === 'ready' && state.tab === 'summary' ? (
          <>
            <SummaryView summary={assist.summary} strings={strings} />
            <NextActions actions={assist.nextActions} strings={strings} />
          </>
        ) : null}
        {view.kind === 'ready' && state.tab === 'search' ? (
          <SearchBox search={(query) => client.search(query)} strings={strings} onCopy={copy} />
        ) : null}
      </div>
      <footer className="np-foot">
        {strings.shortcuts}
        {view.kind === 'ready' && page.teach ? (
          // The page was read, but maybe wrongly (roles mixed up by the generic adapter): the
          // operator can still teach it.
          <button type="button" className="np-link" onClick={() => page.teach?.()}>
            {strings.teachMisread}
          </button>
        ) : null}
      </footer>
    </section>
  );
}
