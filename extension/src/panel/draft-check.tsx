import {
  type CheckDraftResponse,
  type Conversation,
  messageRoleSchema,
} from '@naparnik/assist-service/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftMark } from '../messaging.ts';
import type { Strings } from './strings.ts';
import type { PageBridge, PanelClient } from './types.ts';

export type DraftFinding = CheckDraftResponse['findings'][number];
type Severity = DraftFinding['severity'];

/** Quiet time after the operator's last keystroke before the draft is checked. */
export const DRAFT_CHECK_DELAY_MS = 600;
/** Without input events (the browser side panel cannot hear the tab), the draft is re-read this often. */
export const DRAFT_POLL_MS = 2000;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };
/** Findings whose starting words belong at the start of the reply. */
const LEADING_TYPES = new Set<DraftFinding['type']>(['missing-greeting', 'missing-introduction']);

export interface DraftCheckState {
  draft: string;
  findings: DraftFinding[];
  checking: boolean;
}

/**
 * A suggestion that is text to put in (not a hint like «вы / вас / вам / ваш» or one ending in «…»).
 */
export function isFixable(finding: DraftFinding): boolean {
  const suggestion = finding.suggestion?.trim();
  return Boolean(suggestion) && !/\s\/\s|…|\.\.\./u.test(suggestion!);
}

/** The script's placeholders in a fix: the customer's name when known, else the words around it go. */
function fillPlaceholders(text: string, customerName: string | undefined): string {
  const filled = text
    .replace(/\{\{\s*customer_name\s*\}\}/gu, customerName ?? '{{customer_name}}')
    .replace(/,?\s*\{\{[^{}]*\}\}\s*,?/gu, ' ')
    .replace(/\s+([!?.,])/gu, '$1')
    .trim();
  // «{{customer_name}}, здравствуйте!» without a name starts with what followed the name.
  return /^\{\{/u.test(text.trim()) ? filled.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase()) : filled;
}

/** The draft with one finding fixed: its span replaced, or the missing words added where they belong. */
export function applyFix(draft: string, finding: DraftFinding, customerName?: string): string {
  const suggestion = fillPlaceholders(finding.suggestion ?? '', customerName);
  if (!suggestion) return draft;
  if (finding.span) return draft.slice(0, finding.span.start) + suggestion + draft.slice(finding.span.end);
  const separator = draft.includes('\n') ? '\n' : ' ';
  return LEADING_TYPES.has(finding.type)
    ? `${suggestion}${separator}${draft.trimStart()}`
    : `${draft.trimEnd()}${separator}${suggestion}`;
}

/** The findings that underline something, as marks for the page's reply box. */
export function marksOf(findings: readonly DraftFinding[]): DraftMark[] {
  return findings.flatMap((finding) =>
    finding.span ? [{ start: finding.span.start, end: finding.span.end, severity: finding.severity }] : [],
  );
}

/** The draft cut where spans start and end, each piece with the findings covering it. */
export function draftPieces(draft: string, findings: readonly DraftFinding[]) {
  const located = findings.filter((finding) => finding.span && finding.span.end > finding.span.start);
  const cuts = new Set([0, draft.length]);
  for (const finding of located) {
    cuts.add(Math.max(0, Math.min(draft.length, finding.span!.start)));
    cuts.add(Math.max(0, Math.min(draft.length, finding.span!.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Array<{ start: number; text: string; findings: DraftFinding[] }> = [];
  for (let index = 0; index < points.length - 1; index++) {
    const start = points[index]!;
    const end = points[index + 1]!;
    if (end <= start) continue;
    const covering = located.filter((finding) => finding.span!.start <= start && finding.span!.end >= end);
    pieces.push({ start, text: draft.slice(start, end), findings: covering });
  }
  return pieces;
}

/**
 * Checks the operator's draft while they type: on the panel's start, on each pause in typing (or
 * every few seconds where typing cannot be heard), and when the conversation changes. The page's
 * reply box gets the findings underlined; they are cleared when the panel goes away.
 */
export function useDraftCheck(
  client: PanelClient,
  page: PageBridge,
  conversation: Conversation | null | undefined,
  enabled: boolean,
) {
  const [state, setState] = useState<DraftCheckState>({ draft: '', findings: [], checking: false });
  const sequence = useRef(0);
  /** What was last checked (channel, roles, draft): polling and caret moves do not ask again. */
  const lastChecked = useRef('');
  const supported = Boolean(enabled && page.draft && client.checkDraft);
  const channel = conversation?.channel ?? 'chat';
  // Only the roles are sent: the check needs to know whether an operator has written already.
  const roles = conversation?.messages.map((message) => message.role).join(',') ?? '';

  const check = useCallback(async () => {
    if (!supported) return;
    const own = ++sequence.current;
    const draft = (await page.draft?.()) ?? '';
    if (own !== sequence.current) return;
    const key = `${channel}|${roles}|${draft}`;
    if (key === lastChecked.current) return;
    lastChecked.current = key;
    if (draft.trim() === '') {
      setState({ draft: '', findings: [], checking: false });
      void page.markDraft?.([]);
      return;
    }
    setState((current) => ({ ...current, checking: true }));
    const messages = roles
      ? roles.split(',').map((role) => ({ role: messageRoleSchema.parse(role), text: '' }))
      : [];
    const result = await client.checkDraft!({ draft, channel, messages });
    if (own !== sequence.current) return;
    // A failed check is asked again on the next pause rather than shown as a clean draft.
    if (!result.ok) lastChecked.current = '';
    const findings = result.ok ? result.data.findings : [];
    setState({ draft, findings, checking: false });
    void page.markDraft?.(marksOf(findings));
  }, [supported, page, client, channel, roles]);

  useEffect(() => {
    if (!supported) return;
    void check();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void check(), DRAFT_CHECK_DELAY_MS);
    };
    const stopWatching = page.watchDraft ? page.watchDraft(later) : undefined;
    const poll = page.watchDraft ? undefined : setInterval(() => void check(), DRAFT_POLL_MS);
    return () => {
      stopWatching?.();
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      sequence.current++;
      // Checking stopped (the panel collapsed, or left this page): no underline stays behind, and
      // the next start checks afresh.
      lastChecked.current = '';
      void page.markDraft?.([]);
    };
  }, [supported, check, page]);

  // The page keeps no underlining once the panel is gone.
  useEffect(() => () => void page.markDraft?.([]), [page]);

  const fix = useCallback(
    async (finding: DraftFinding) => {
      // The finding's offsets belong to the draft as checked. If the operator typed since, the
      // fix would overwrite their newest words: check the draft as it is now instead.
      const now = (await page.draft?.()) ?? null;
      if (now !== state.draft) {
        await check();
        return;
      }
      const fixed = applyFix(state.draft, finding, conversation?.customer?.name);
      if (fixed === state.draft) return;
      const outcome = await page.insert(fixed);
      if (outcome.inserted) await check();
    },
    [state.draft, conversation, page, check],
  );

  return { ...state, supported, fix, recheck: check };
}

function worst(findings: readonly DraftFinding[]): Severity {
  return findings.reduce<Severity>(
    (most, finding) => (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[most] ? finding.severity : most),
    'info',
  );
}

function hint(finding: DraftFinding, strings: Strings): string {
  return finding.suggestion
    ? `${finding.message} ${strings.draftBetter}: ${finding.suggestion}`
    : finding.message;
}

export interface DraftCheckViewProps {
  state: DraftCheckState;
  strings: Strings;
  onFix(finding: DraftFinding): void;
}

/** The draft with its problems underlined (wavy, coloured by severity; the finding on hover) and the list of findings. */
export function DraftCheckView({ state, strings, onFix }: DraftCheckViewProps) {
  if (!state.draft) return null;
  const pieces = draftPieces(state.draft, state.findings);
  return (
    <section className="np-draft" aria-label={strings.draftTitle}>
      <h3>
        <span>{strings.draftTitle}</span>
        {state.checking ? <span className="np-muted">{strings.draftChecking}</span> : null}
        {!state.checking && state.findings.length === 0 ? (
          <span className="np-muted">{strings.draftClean}</span>
        ) : null}
      </h3>
      <p className="np-draft-text" data-testid="draft-text">
        {pieces.map((piece) =>
          piece.findings.length > 0 ? (
            <span
              key={piece.start}
              className={`np-flag np-flag-${worst(piece.findings)}`}
              title={piece.findings.map((finding) => hint(finding, strings)).join('\n')}
            >
              {piece.text}
            </span>
          ) : (
            <span key={piece.start}>{piece.text}</span>
          ),
        )}
      </p>
      {state.findings.length > 0 ? (
        <ul className="np-findings">
          {state.findings.map((finding, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: findings are replaced whole, never reordered
            <li key={index} className={`np-finding-${finding.severity}`}>
              <span>
                {finding.span ? `«${state.draft.slice(finding.span.start, finding.span.end)}»` : null}{' '}
                {finding.message}
              </span>
              {isFixable(finding) ? (
                <button type="button" title={finding.suggestion} onClick={() => onFix(finding)}>
                  {strings.draftFix}
                </button>
              ) : finding.suggestion ? (
                <span className="np-muted">
                  {strings.draftBetter}: {finding.suggestion}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
