import {
  detectInjection,
  type KnowledgeSafety,
  type SafetyFlagKind,
  scanCustomerMessage,
  scanKnowledgeText,
  storedSafety,
} from '@naparnik/ingest/safety';
import type { ConversationMessage, SafetyFlag, Suggestion } from '../contract/index.ts';
import { CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from '../engines/offline/confidence.ts';
import type { SupportedLanguage } from './language.ts';

/**
 * The safety stage (issue 13), after the check stage: the operator is told when a customer message
 * reads as prompt injection, and a suggestion resting on a flagged knowledge-base entry is never a
 * plain, confident answer — it goes last, at low confidence, carrying the flag; one whose own text
 * still speaks to the model is dropped. The check stage has already cut what the guard rules
 * forbid (card data and codes asked for, money beyond policy, links outside the allowed domains).
 */

const KIND_NAMES: Readonly<Record<SupportedLanguage, Readonly<Record<SafetyFlagKind, string>>>> = {
  ru: {
    'prompt-injection': 'команды для ассистента',
    'sensitive-data-request': 'просьба о данных карты или кодах',
    'money-promise': 'обещание денег сверх политики',
    'external-link': 'ссылка на сторонний сайт',
  },
  en: {
    'prompt-injection': 'commands to the assistant',
    'sensitive-data-request': 'a request for card data or codes',
    'money-promise': 'a money promise beyond policy',
    'external-link': 'a link to an outside site',
  },
};

const CONVERSATION_MESSAGES: Readonly<
  Record<SupportedLanguage, Partial<Readonly<Record<SafetyFlagKind, string>>>>
> = {
  ru: {
    'prompt-injection':
      'Сообщение клиента похоже на попытку командовать ассистентом (prompt injection). Проверьте подсказки перед отправкой.',
    'sensitive-data-request':
      'В сообщении клиента просьба о данных карты, CVV, паролях или кодах. Никогда не запрашивайте и не пересылайте их.',
  },
  en: {
    'prompt-injection':
      'The customer’s message reads like commands to the assistant (prompt injection). Check the suggestions before sending.',
    'sensitive-data-request':
      'The customer’s message asks for card data, CVV, passwords or codes. Never ask for them or pass them on.',
  },
};

/** Customer messages that read as prompt injection or ask for card data or codes: one flag per message and kind. */
export function conversationFlags(
  messages: readonly ConversationMessage[],
  language: SupportedLanguage,
): SafetyFlag[] {
  const flags: SafetyFlag[] = [];
  messages.forEach((message, index) => {
    if (message.role !== 'customer') return;
    const kinds = new Set(scanCustomerMessage(message.text).map((finding) => finding.kind));
    for (const kind of kinds) {
      const text = CONVERSATION_MESSAGES[language][kind];
      if (text) flags.push({ kind, source: 'conversation', messageIndex: index, message: text });
    }
  });
  return flags;
}

function knowledgeFlags(
  documentId: string,
  title: string,
  verdict: KnowledgeSafety,
  language: SupportedLanguage,
): SafetyFlag[] {
  const names = verdict.flags.map((kind) => KIND_NAMES[language][kind]).join(', ');
  const message =
    language === 'en'
      ? `The knowledge-base entry “${title}” is flagged: ${names}. Do not send it unchecked; tell the knowledge manager.`
      : `Статья базы знаний «${title}» помечена как подозрительная: ${names}. Не отправляйте её без проверки и сообщите менеджеру базы знаний.`;
  return verdict.flags.map((kind) => ({ kind, source: 'knowledge', documentId, message }));
}

export interface GuardedSuggestions {
  suggestions: Suggestion[];
  /** The flags of the knowledge-base entries behind the suggestions, once per entry and kind. */
  flags: SafetyFlag[];
}

/** Answers this likely are worth a flag even when the check stage left nothing of them to offer. */
const FLAG_ANSWERS_FROM = CONFIDENCE_THRESHOLDS.medium;
const FLAG_ANSWERS_TOP = 3;

/** The safety verdict of a knowledge text under a link policy, as `scanKnowledgeText` gives it. */
export type KnowledgeScanner = (
  text: string,
  allowedDomains: readonly string[] | undefined,
) => KnowledgeSafety | undefined;

/**
 * `scanKnowledgeText`, remembered for the most recently used texts. Entries without a stored
 * verdict (every clean one) were scanned again on every request, ~3% of an assist request's CPU at
 * 100k chunks; a verdict depends on the text and the link policy only, and the same entries come
 * back request after request, so the remembered one is the verdict a scan would give.
 */
export function createKnowledgeScanCache(maxEntries = 4_096): KnowledgeScanner {
  const verdicts = new Map<string, KnowledgeSafety | undefined>();
  return (text, allowedDomains) => {
    const key = `${allowedDomains?.join('\n') ?? ''}\u0000${text}`;
    if (verdicts.has(key)) {
      const verdict = verdicts.get(key);
      // Map order is insertion order: moved to the end, the least recently used stays first.
      verdicts.delete(key);
      verdicts.set(key, verdict);
      return verdict;
    }
    const verdict = scanKnowledgeText(text, { allowedDomains });
    verdicts.set(key, verdict);
    if (verdicts.size > maxEntries) verdicts.delete(verdicts.keys().next().value!);
    return verdict;
  };
}

const scanUncached: KnowledgeScanner = (text, allowedDomains) => scanKnowledgeText(text, { allowedDomains });

/**
 * Suggestions from flagged entries last and at low confidence, with the flags; the rest as they
 * were. A likely answer that is flagged is reported even when nothing of it is offered, so the
 * operator knows why the obvious entry is missing.
 */
export function guardSuggestions(
  suggestions: readonly Suggestion[],
  answers: readonly HitAssessment[],
  context: {
    language: SupportedLanguage;
    allowedDomains?: readonly string[] | undefined;
    /** How entries without a stored verdict are judged (a cache of the scan in the pipeline). */
    scanKnowledge?: KnowledgeScanner;
  },
): GuardedSuggestions {
  const scan = context.scanKnowledge ?? scanUncached;
  const verdicts = new Map<string, KnowledgeSafety | undefined>();
  const verdictOf = (answer: HitAssessment) => {
    const { hit } = answer;
    if (!verdicts.has(hit.documentId)) {
      // Stored at ingest; judged here too, for entries ingested before the detector existed.
      verdicts.set(hit.documentId, storedSafety(hit.metadata) ?? scan(hit.text, context.allowedDomains));
    }
    return verdicts.get(hit.documentId);
  };
  const plain: Suggestion[] = [];
  const flagged: Suggestion[] = [];
  const flags = new Map<string, SafetyFlag>();
  for (const suggestion of suggestions) {
    if (detectInjection(suggestion.text).length > 0) continue;
    const own: SafetyFlag[] = [];
    for (const citation of suggestion.citations) {
      const answer = answers.find((candidate) => candidate.hit.documentId === citation.documentId);
      const verdict = answer ? verdictOf(answer) : undefined;
      if (!answer || !verdict) continue;
      own.push(...knowledgeFlags(answer.hit.documentId, answer.hit.title, verdict, context.language));
    }
    if (own.length === 0) {
      plain.push(suggestion);
      continue;
    }
    for (const flag of own) flags.set(`${flag.documentId}:${flag.kind}`, flag);
    const capped = Math.min(suggestion.confidence.score, CONFIDENCE_THRESHOLDS.medium - 0.001);
    flagged.push({ ...suggestion, confidence: toConfidence(capped), safety: own });
  }
  for (const answer of answers.slice(0, FLAG_ANSWERS_TOP)) {
    if (answer.score < FLAG_ANSWERS_FROM) continue;
    const verdict = verdictOf(answer);
    if (!verdict) continue;
    for (const flag of knowledgeFlags(answer.hit.documentId, answer.hit.title, verdict, context.language))
      flags.set(`${flag.documentId}:${flag.kind}`, flag);
  }
  return {
    suggestions: [...plain, ...flagged].map((suggestion, index) => ({ ...suggestion, index })),
    flags: [...flags.values()],
  };
}
