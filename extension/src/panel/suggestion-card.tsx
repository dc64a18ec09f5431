import type { Citation } from '@naparnik/assist-service/contract';
import { useState } from 'react';
import { type DraftSuggestion, splitSlots } from './assist-state.ts';
import type { Strings } from './strings.ts';

export interface SuggestionCardProps {
  draft: DraftSuggestion;
  strings: Strings;
  streaming: boolean;
  onInsert(index: number): Promise<{ inserted: boolean }>;
  onCopy(text: string): Promise<boolean>;
  onRate(index: number, rating: 'up' | 'down', reason?: string): void;
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

export function SuggestionCard({ draft, strings, streaming, onInsert, onCopy, onRate }: SuggestionCardProps) {
  const [notice, setNotice] = useState('');
  const [rated, setRated] = useState<'up' | 'down' | 'asking' | undefined>();
  const final = draft.final;
  const parts = splitSlots(draft.text);
  const reasons = strings.insert === 'Вставить' ? DOWN_REASONS.ru : DOWN_REASONS.en;

  const insert = async () => {
    const outcome = await onInsert(draft.index);
    if (outcome.inserted) setNotice(strings.inserted);
    else setNotice((await onCopy(draft.text)) ? strings.insertFailed : strings.error);
  };
  const copy = async () => setNotice((await onCopy(draft.text)) ? strings.copied : strings.error);

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
      </header>
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
      {final && final.missingSlots.length > 0 ? (
        <p className="np-missing">
          {strings.missingSlots}: {final.missingSlots.join(', ')}
        </p>
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
        <button type="button" disabled={!draft.text} onClick={() => void copy()}>
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
