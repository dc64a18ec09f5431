/**
 * «Дружелюбнее»: the team's own greeting, thanks and closing where the reply lacks them (from
 * the collection's script, in its language and for its channel; a plain default when the team has
 * no script), and bare instructions turned into requests («Пришлите фото» → «Пожалуйста, пришлите
 * фото»). Nothing is added that is not in the script.
 */
import type { Channel } from '../../contract/index.ts';
import type { ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import { findPhrase, wordTokens } from '../../text/tokens.ts';
import {
  EN_INSTRUCTION_VERBS,
  type Language,
  NOT_REQUESTS,
  PLEASANTRIES,
  type Pleasantry,
} from './rewrite-lexicon.ts';
import { type Change, type Step, sentenceRanges } from './rewrite-text.ts';
import { pickVariant, stepsFor } from './voice.ts';

export interface FriendlierContext {
  language: Language;
  channel: Channel;
  /** The collection's script steps (any language and channel); empty without a collection. */
  steps: readonly ScriptStepEntry[];
  customerName?: string | undefined;
}

type Added = 'greeting' | 'thanks' | 'closing';

const DEFAULTS: Readonly<Record<Language, Readonly<Record<Added, string>>>> = {
  ru: { greeting: 'Здравствуйте!', thanks: 'Спасибо за обращение!', closing: 'Хорошего дня!' },
  en: { greeting: 'Hello!', thanks: 'Thank you for contacting us!', closing: 'Have a nice day!' },
};
const NAMED_DEFAULT_GREETING: Readonly<Record<Language, (name: string) => string>> = {
  ru: (name) => `Здравствуйте, ${name}!`,
  en: (name) => `Hello, ${name}!`,
};
const PLACEHOLDER = /\{\{[^{}]*\}\}/u;

interface Phrase {
  text: string;
  documentId?: string;
}

/** The script's phrase for a step: a variant needing nothing unknown, else the best-filled one. */
function phraseFor(kind: Added, context: FriendlierContext): Phrase {
  const values: Record<string, string> = context.customerName ? { customer_name: context.customerName } : {};
  const step = stepsFor({ steps: context.steps, language: context.language, channel: context.channel }).find(
    (candidate) => candidate.step === kind,
  );
  if (step) {
    const plain = step.variants.find((variant) => !PLACEHOLDER.test(variant));
    const text = kind === 'greeting' || !plain ? pickVariant(step, values) : plain;
    if (text) return { text, documentId: step.documentId };
  }
  if (kind === 'greeting' && context.customerName)
    return { text: NAMED_DEFAULT_GREETING[context.language](context.customerName) };
  return { text: DEFAULTS[context.language][kind] };
}

function says(text: string, kind: Pleasantry, context: FriendlierContext): boolean {
  const tokens = wordTokens(text);
  const fromScript = stepsFor({ steps: context.steps, language: context.language, channel: context.channel })
    .filter((step) => step.step === kind)
    .flatMap((step) => step.detect ?? []);
  return [...PLEASANTRIES[kind], ...fromScript].some((phrase) => findPhrase(tokens, phrase, 0).length > 0);
}

const RU_POLITE_IMPERATIVE = /^\p{L}{3,}(?:ите|йте|ьте)(?:сь)?$/u;
const EN_MUST = /^(?:you\s+(?:must|need\s+to|have\s+to|should)\s+)(\p{L}+)/iu;

/** A sentence that is a bare instruction, made a request; undefined when it already is one. */
function soften(sentence: string, language: Language): string | undefined {
  if (/[?]\s*$/u.test(sentence)) return undefined;
  const lower = sentence.toLowerCase();
  if (language === 'ru') {
    if (lower.includes('пожалуйста')) return undefined;
    const first = wordTokens(sentence).find((token) => token.start === 0);
    if (!first) return undefined;
    if (!RU_POLITE_IMPERATIVE.test(first.norm) || NOT_REQUESTS.has(first.norm)) return undefined;
    return `Пожалуйста, ${first.text.toLowerCase()}${sentence.slice(first.end)}`;
  }
  if (/\bplease\b/iu.test(sentence)) return undefined;
  const must = sentence.match(EN_MUST);
  if (must && EN_INSTRUCTION_VERBS.has(must[1]!.toLowerCase()))
    return `Please ${must[1]!.toLowerCase()}${sentence.slice(must[0].length)}`;
  const first = sentence.match(/^\p{L}+/u)?.[0];
  if (!first || !EN_INSTRUCTION_VERBS.has(first.toLowerCase())) return undefined;
  if (first.toLowerCase() === 'let' && !/^let\s+(?:us|me)\s+know\b/iu.test(sentence)) return undefined;
  return `Please ${first.toLowerCase()}${sentence.slice(first.length)}`;
}

function softenImperatives(text: string, language: Language): Step {
  const changes: Change[] = [];
  let result = text;
  for (const range of sentenceRanges(text).reverse()) {
    const softer = soften(range.text, language);
    if (!softer) continue;
    result = result.slice(0, range.start) + softer + result.slice(range.end);
    changes.unshift({ rule: 'soften-imperative', before: range.text, after: softer });
  }
  return { text: result, changes };
}

export function rewriteFriendlier(text: string, context: FriendlierContext): Step {
  const softened = softenImperatives(text, context.language);
  const changes: Change[] = [...softened.changes];
  let body = softened.text.trim();
  const added = (kind: Added, phrase: Phrase): Change => ({
    rule: kind,
    before: '',
    after: phrase.text,
    ...(phrase.documentId ? { documentId: phrase.documentId } : {}),
  });

  const head: string[] = [];
  const hasGreeting = says(body.slice(0, Math.max(120, body.length * 0.3)), 'greeting', context);
  if (!hasGreeting) {
    const greeting = phraseFor('greeting', context);
    head.push(greeting.text);
    changes.push(added('greeting', greeting));
  }
  if (!says(body, 'thanks', context)) {
    const thanks = phraseFor('thanks', context);
    changes.push(added('thanks', thanks));
    const greetingSentence = hasGreeting ? sentenceRanges(body)[0] : undefined;
    if (greetingSentence) {
      // After the reply's own greeting, on its line: «Здравствуйте! Спасибо за обращение! …».
      body = `${body.slice(0, greetingSentence.end)} ${thanks.text}${body.slice(greetingSentence.end)}`;
    } else head.push(thanks.text);
  }
  const tail: string[] = [];
  const ending = body.slice(Math.max(0, Math.min(body.length - 160, body.length * 0.6)));
  if (!says(ending, 'closing', context)) {
    const closing = phraseFor('closing', context);
    tail.push(closing.text);
    changes.push(added('closing', closing));
  }
  const separator = context.channel === 'email' ? '\n\n' : '\n';
  return { text: [head.join(' '), body, ...tail].filter((part) => part.length > 0).join(separator), changes };
}
