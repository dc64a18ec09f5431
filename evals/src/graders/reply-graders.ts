/**
 * Deterministic graders of a drafted reply, for every engine (offline and model-drafted replies
 * are judged by the same rules, so the report can put them side by side):
 *
 * - cites a retrieved chunk: at least one citation, each naming a chunk of the collection;
 * - facts grounded: every number, date, amount, order id and link in the reply appears in a
 *   cited source or in the conversation (the service's own fact finder, `findFacts`);
 * - language matches: the reply is written in the conversation's language;
 * - no banned promise: the offline rule checker finds no banned phrase of the team's script;
 * - no personal value leaked: the reply holds no phone, e-mail, card, passport, SNILS or INN that
 *   the conversation did not hold;
 * - and, for model engines, no personal value of the conversation in any request sent to the model.
 */
import { checkFacts } from '@naparnik/assist-service';
import { redactPersonalData } from '@naparnik/ingest';
import type { EvalConversation } from '../targets/eval-target.ts';

/** The evals' fixed "now" (the same as the targets' clock): relative dates must not drift. */
const EVAL_NOW = new Date('2025-01-15T12:00:00.000Z');

export interface GradedReply {
  citesSource: boolean;
  /** Facts found in no cited source and not in the conversation (raw, as written). */
  ungrounded: string[];
  languageMatches: boolean;
  /** Messages of the banned-phrase findings. */
  bannedPromises: string[];
  /** Personal values in the reply that the conversation did not contain. */
  leaked: string[];
}

export interface ReplyToGrade {
  text: string;
  citations: ReadonlyArray<{ chunkId: string }>;
  conversation: EvalConversation;
  chunkTexts: ReadonlyMap<string, string>;
  /** The rule checker's findings on the reply. */
  findings: ReadonlyArray<{ type: string; message: string }>;
}

const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LETTER = /\p{L}/gu;

/** `ru` when most letters are Cyrillic, else `en`: the two languages the demo scripts cover. */
export function writtenLanguage(text: string): 'ru' | 'en' {
  const letters = text.match(LETTER)?.length ?? 0;
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  return letters > 0 && cyrillic / letters >= 0.5 ? 'ru' : 'en';
}

export function expectedLanguage(conversation: EvalConversation): 'ru' | 'en' {
  if (conversation.language) return conversation.language.toLowerCase().startsWith('en') ? 'en' : 'ru';
  return writtenLanguage(
    conversation.messages
      .filter((message) => message.role === 'customer')
      .map((message) => message.text)
      .join(' '),
  );
}

/** Personal values (as written) in a text. */
export function personalValues(text: string): string[] {
  return redactPersonalData(text).found.map((found) => text.slice(found.start, found.end));
}

export function gradeReply(reply: ReplyToGrade): GradedReply {
  const conversationTexts = reply.conversation.messages.map((message) => message.text);
  const cited = reply.citations.map((citation) => reply.chunkTexts.get(citation.chunkId));
  const language = expectedLanguage(reply.conversation);
  const facts = checkFacts(
    reply.text,
    [...cited.filter((text): text is string => text !== undefined), ...conversationTexts],
    { now: EVAL_NOW, language },
  );
  const conversationText = conversationTexts.join('\n');
  const normalised = (value: string) => value.replace(/[\s()-]/gu, '').toLowerCase();
  const known = new Set(personalValues(conversationText).map(normalised));
  return {
    citesSource: cited.length > 0 && cited.every((text) => text !== undefined),
    ungrounded: facts.ungrounded.map((fact) => fact.raw),
    languageMatches: writtenLanguage(reply.text) === language,
    bannedPromises: reply.findings
      .filter((finding) => finding.type === 'banned-phrase')
      .map((finding) => finding.message),
    leaked: personalValues(reply.text).filter((value) => !known.has(normalised(value))),
  };
}

/**
 * Requests sent to a model that carry a personal value of any of the conversations, as written:
 * the service must have replaced each one with a placeholder before sending.
 */
export function personalValuesSent(
  conversations: readonly EvalConversation[],
  sent: readonly unknown[],
): Array<{ value: string; requests: number }> {
  const bodies = sent.map((body) => (typeof body === 'string' ? body : JSON.stringify(body)));
  const values = new Set(
    conversations.flatMap((conversation) =>
      conversation.messages.flatMap((message) => personalValues(message.text)),
    ),
  );
  return [...values]
    .map((value) => ({ value, requests: bodies.filter((body) => body.includes(value)).length }))
    .filter((entry) => entry.requests > 0);
}

/** Share-of-cases metrics (over answered cases) and counts, named for the report. */
export function replyMetrics(grades: readonly GradedReply[]): Record<string, number> {
  const n = grades.length || 1;
  return {
    'reply.cites_source': grades.filter((grade) => grade.citesSource).length / n,
    'reply.facts_grounded': grades.filter((grade) => grade.ungrounded.length === 0).length / n,
    'reply.language_match': grades.filter((grade) => grade.languageMatches).length / n,
    'reply.banned_promise_count': grades.filter((grade) => grade.bannedPromises.length > 0).length,
    'reply.personal_leak_count': grades.filter((grade) => grade.leaked.length > 0).length,
  };
}
