import type { Citation, RewriteResponse, RewriteStyle } from '@naparnik/assist-service/contract';
import { useState } from 'react';
import type { Result } from '../messaging.ts';
import { type DraftSuggestion, splitSlots } from './assist-state.ts';
import { SuggestionSafety } from './safety-notice.tsx';
import type { Strings } from './strings.ts';

export interface SuggestionCardProps {
  draft: DraftSuggestion;
  strings: Strings;
  streaming: boolean;
  onInsert(index: number): Promise<{ inserted: boolean }>;
  onCopy(text: string): Promise<boolean>;
  onRate(index: number, rating: 'up' | 'down', reason?: string): void;
  /** The text the card shows and inserts when it was rewritten (else the suggestion's own). */
  text?: string | undefined;
  /** Rewrite styles the service offers; no buttons without them. */
  rewriteStyles?: readonly RewriteStyle[] | undefined;
  onRewrite?(index: number, style: RewriteStyle, text: string): Promise<Result<RewriteResponse>>;
  /** Replaces the card's text (undefined: back to the suggestion's own). */
  onTextChange?(index: number, text: string | undefined): void;
  onDismiss?(index: number, reason?: string): void;
  /** The dismissal was taken back. */
  onRestore?(index: number): void;
  /** The operator took the text by copying it: it counts as used, not ignored. */
  onCopied?(index: number): void;
}

/** Drawn, like the thumbs. */
function Cross() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
      <path
        fill="currentColor"
        d="M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6z"
      />
    </svg>
  );
}

const DOWN_REASONS = {
  ru: ['Неточно', 'Не по теме', 'Не тот тон', 'Слишком длинно'],
  en: ['Inaccurate', 'Off topic', 'Wrong tone', 'Too long'],
};

/** Drawn, not an emoji: emoji fonts are missing on many operators' Linux desks. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      aria-hidden="true"
      style={down ? { transform: 'rotate(180deg)' } : undefined}
    >
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"
      />
    </svg>
  );
}

function CitationChip({ citation }: { citation: Citation }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="np-citation">
      <button
        type="button"
        className="np-link"
        title={citation.quote}
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {citation.title}
      </button>
      {open ? <blockquote className="np-quote">{citation.quote}</blockquote> : null}
    </li>
  );
}

export function SuggestionCard({
  draft,
  strings,
  streaming,
  onInsert,
  onCopy,
  onRate,
  text: shownText,
  rewriteStyles = [],
  onRewrite,
  onTextChange,
  onDismiss,
  onRestore,
  onCopied,
}: SuggestionCardProps) {
  const [notice, setNotice] = useState('');
  const [rated, setRated] = useState<'up' | 'down' | 'asking' | undefined>();
  const [dismissal, setDismissal] = useState<'asking' | 'done' | undefined>();
  /** Texts before each rewrite, newest last: «Отменить» steps back through them. */
  const [history, setHistory] = useState<string[]>([]);
  const [rewriting, setRewriting] = useState<RewriteStyle | undefined>();
  const final = draft.final;
  const text = shownText ?? draft.text;
  const parts = splitSlots(text);
  const reasons = strings.insert === 'Вставить' ? DOWN_REASONS.ru : DOWN_REASONS.en;
  const styles = final && onRewrite && onTextChange ? rewriteStyles : [];

  const insert = async () => {
    const outcome = await onInsert(draft.index);
    if (outcome.inserted) setNotice(strings.inserted);
    else setNotice((await onCopy(text)) ? strings.insertFailed : strings.error);
  };
  const copy = async () => {
    const copied = await onCopy(text);
    if (copied) onCopied?.(draft.index);
    setNotice(copied ? strings.copied : strings.error);
  };
  const rewrite = async (style: RewriteStyle) => {
    if (!onRewrite || !onTextChange) return;
    setRewriting(style);
    const result = await onRewrite(draft.index, style, text);
    setRewriting(undefined);
    if (!result.ok) {
      setNotice(`${strings.error}: ${result.error.message}`);
      return;
    }
    if (result.data.changes.length === 0 || result.data.text === text) {
      setNotice(strings.rewriteNoChange);
      return;
    }
    setHistory((previous) => [...previous, text]);
    onTextChange(draft.index, result.data.text);
    setNotice(`${strings.rewritten}: ${strings.rewrite[style].toLowerCase()}`);
  };
  const undo = () => {
    const previous = history.at(-1);
    if (previous === undefined || !onTextChange) return;
    setHistory(history.slice(0, -1));
    onTextChange(draft.index, history.length === 1 ? undefined : previous);
    setNotice('');
  };
  const dismiss = (reason?: string) => {
    setDismissal('done');
    onDismiss?.(draft.index, reason);
  };

  if (dismissal === 'done') {
    return (
      <article
        className="np-card np-card-dismissed"
        aria-label={`${draft.index + 1}`}
        data-index={draft.index}
      >
        <span>{strings.dismissed}</span>
        <button
          type="button"
          onClick={() => {
            setDismissal(undefined);
            onRestore?.(draft.index);
          }}
        >
          {strings.restore}
        </button>
      </article>
    );
  }

  return (
    <article className="np-card" aria-label={`${draft.index + 1}`} data-index={draft.index}>
      <header className="np-card-head">
        <span className="np-badge">Alt+{draft.index + 1}</span>
        {final?.title ? <span className="np-card-title">{final.title}</span> : null}
        {final ? (
          <span className={`np-confidence np-confidence-${final.confidence.level}`}>
            {strings.confidence[final.confidence.level]}
          </span>
        ) : null}
        {final?.short ? <span className="np-badge">{strings.short}</span> : null}
        {history.length > 0 ? <span className="np-badge">{strings.rewritten}</span> : null}
        {onDismiss ? (
          <button
            type="button"
            className="np-dismiss"
            aria-label={strings.dismiss}
            title={strings.dismiss}
            disabled={!final}
            aria-expanded={dismissal === 'asking'}
            onClick={() => setDismissal(dismissal === 'asking' ? undefined : 'asking')}
          >
            <Cross />
          </button>
        ) : null}
      </header>
      {dismissal === 'asking' ? (
        <fieldset className="np-reasons np-fieldset" aria-label={strings.dismiss}>
          {strings.dismissReasons.map((reason) => (
            <button key={reason} type="button" onClick={() => dismiss(reason)}>
              {reason}
            </button>
          ))}
          <button type="button" onClick={() => dismiss()}>
            {strings.dismissNoReason}
          </button>
        </fieldset>
      ) : null}
      <p className="np-text" aria-busy={!final && streaming}>
        {parts.map((part, index) =>
          part.slot ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
            <mark key={index} className="np-slot">
              {part.text}
            </mark>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
            <span key={index}>{part.text}</span>
          ),
        )}
      </p>
      {final?.safety && final.safety.length > 0 ? (
        // Beside the text, never in it: what «Вставить» puts in the reply box is the text alone.
        <SuggestionSafety
          flags={final.safety}
          strings={strings}
          titleOf={(documentId) =>
            final.citations.find((citation) => citation.documentId === documentId)?.title
          }
        />
      ) : null}
      {final?.preconditions && final.preconditions.length > 0 ? (
        // The text states as done what the operator has yet to do: say what, before they send it.
        <p className="np-missing np-preconditions" role="note">
          <strong>{strings.firstDo}:</strong> {final.preconditions.join('; ')}
        </p>
      ) : null}
      {final?.askedBefore ? (
        // The team's history voted for this answer: the past question it answered, as evidence.
        <p className="np-asked-before">
          {strings.askedBefore}: «{final.askedBefore.question}»
        </p>
      ) : null}
      {final && final.missingSlots.length > 0 ? (
        <p className="np-missing">
          {strings.missingSlots}: {final.missingSlots.join(', ')}
        </p>
      ) : null}
      {styles.length > 0 ? (
        <div className="np-rewrite">
          {styles.map((style) => (
            <button
              key={style}
              type="button"
              disabled={rewriting !== undefined}
              aria-busy={rewriting === style}
              onClick={() => void rewrite(style)}
            >
              {strings.rewrite[style]}
            </button>
          ))}
          {history.length > 0 ? (
            <button type="button" disabled={rewriting !== undefined} onClick={undo}>
              {strings.rewriteUndo}
            </button>
          ) : null}
        </div>
      ) : null}
      {final && final.citations.length > 0 ? (
        <div className="np-sources">
          <span className="np-muted">{strings.sources}:</span>
          <ul>
            {final.citations.map((citation) => (
              <CitationChip key={citation.chunkId} citation={citation} />
            ))}
          </ul>
        </div>
      ) : null}
      <footer className="np-card-actions">
        <button type="button" className="np-primary" disabled={!final} onClick={() => void insert()}>
          {strings.insert}
        </button>
        <button type="button" disabled={!text} onClick={() => void copy()}>
          {strings.copy}
        </button>
        <span className="np-spacer" />
        {rated === 'up' || rated === 'down' ? (
          <span className="np-muted">{strings.thanks}</span>
        ) : (
          <>
            <button
              type="button"
              aria-label={strings.thumbsUp}
              title={strings.thumbsUp}
              disabled={!final}
              onClick={() => {
                setRated('up');
                onRate(draft.index, 'up');
              }}
            >
              <Thumb />
            </button>
            <button
              type="button"
              aria-label={strings.thumbsDown}
              title={strings.thumbsDown}
              disabled={!final}
              aria-expanded={rated === 'asking'}
              onClick={() => setRated('asking')}
            >
              <Thumb down />
            </button>
          </>
        )}
      </footer>
      {rated === 'asking' ? (
        <div className="np-reasons">
          {reasons.map((reason) => (
            <button
              key={reason}
              type="button"
              onClick={() => {
                setRated('down');
                onRate(draft.index, 'down', reason);
              }}
            >
              {reason}
            </button>
          ))}
        </div>
      ) : null}
      {notice ? (
        <p className="np-notice" role="status">
          {notice}
        </p>
      ) : null}
    </article>
  );
}
