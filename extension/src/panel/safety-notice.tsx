import type { SafetyFlag } from '@naparnik/assist-service/contract';
import type { Strings } from './strings.ts';

/**
 * What the service's safety detector found (issue 13), told to the operator: what was detected,
 * why it matters, what to do. The warning is its own element beside the suggestions, never part
 * of a suggestion's text, so nothing of it can be inserted into the reply. A sign and words carry
 * it, not colour alone.
 */

type Kind = SafetyFlag['kind'];

/** The title a flagged document goes by: a suggestion's citation or a retrieval hit names it. */
export type TitleOf = (documentId: string) => string | undefined;

interface SafetyProps {
  flags: readonly SafetyFlag[];
  strings: Strings;
  titleOf: TitleOf;
}

/** Knowledge flags grouped per document (one line each), in the order they came. */
function byDocument(flags: readonly SafetyFlag[]): Map<string, Kind[]> {
  const documents = new Map<string, Kind[]>();
  for (const flag of flags) {
    if (flag.source !== 'knowledge') continue;
    const id = flag.documentId ?? '';
    const kinds = documents.get(id) ?? [];
    if (!kinds.includes(flag.kind)) kinds.push(flag.kind);
    documents.set(id, kinds);
  }
  return documents;
}

function knowledgeLine(strings: Strings, documentId: string, kinds: readonly Kind[], titleOf: TitleOf) {
  const names = kinds.map((kind) => strings.safety.kindNames[kind]).join(', ');
  return strings.safety.knowledge(titleOf(documentId) ?? documentId, names);
}

/** A drawn warning sign (emoji fonts are missing on many operators' Linux desks). */
function WarningSign() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" className="np-safety-sign">
      <path fill="currentColor" d="M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z" />
    </svg>
  );
}

/**
 * The conversation's warning, above the suggestions: a suspicious customer message, or a
 * knowledge-base entry behind the likely answers. An alert, so a screen reader says it at once.
 */
export function SafetyAlert({ flags, strings, titleOf }: SafetyProps) {
  if (flags.length === 0) return null;
  const conversation = flags.filter((flag) => flag.source === 'conversation');
  const kinds = [...new Set(conversation.map((flag) => flag.kind))];
  const documents = byDocument(flags);
  const messageLines = kinds.map((kind) => {
    const where = conversation
      .filter((flag) => flag.kind === kind && flag.messageIndex !== undefined)
      .map((flag) => strings.safety.messageNumber(flag.messageIndex as number));
    return `${strings.safety.conversation[kind]}${where.length > 0 ? ` (${[...new Set(where)].join(', ')})` : ''}`;
  });
  const documentLines = [...documents].map(([documentId, documentKinds]) =>
    knowledgeLine(strings, documentId, documentKinds, titleOf),
  );
  return (
    <div className="np-safety" role="alert" data-naparnik="safety">
      <h3>
        <WarningSign />
        {strings.safety.title}
      </h3>
      <Explained
        lines={messageLines}
        why={strings.safety.why.conversation}
        todo={strings.safety.todo.conversation}
      />
      <Explained
        lines={documentLines}
        why={strings.safety.why.knowledge}
        todo={strings.safety.todo.knowledge}
      />
    </div>
  );
}

/** What was found (one line each), why it matters, what to do; nothing when nothing was found. */
function Explained({ lines, why, todo }: { lines: readonly string[]; why: string; todo: string }) {
  if (lines.length === 0) return null;
  return (
    <>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p>{why}</p>
      <p>
        <strong>{todo}</strong>
      </p>
    </>
  );
}

/** On a suggestion whose source is flagged: what, and what to do. A status, not a second alert. */
export function SuggestionSafety({ flags, strings, titleOf }: SafetyProps) {
  if (flags.length === 0) return null;
  return (
    <div className="np-safety np-safety-card" role="status">
      <p>
        <WarningSign />
        <strong>{strings.safety.cardNote}.</strong>
      </p>
      <ul>
        {[...byDocument(flags)].map(([documentId, kinds]) => (
          <li key={documentId}>{knowledgeLine(strings, documentId, kinds, titleOf)}</li>
        ))}
      </ul>
      <p>{strings.safety.todo.knowledge}</p>
    </div>
  );
}

/** Whether a suggestion rests on a flagged source: a shortcut does not insert it unread. */
export function isFlagged(suggestion: { safety?: readonly SafetyFlag[] | undefined } | undefined): boolean {
  return (suggestion?.safety?.length ?? 0) > 0;
}
