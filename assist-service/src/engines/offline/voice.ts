import { resolveSections } from '@naparnik/ingest/naparnik-schema';
import type { Channel } from '../../contract/index.ts';
import type { ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import { dropOptionalSlots, SLOT_PLACEHOLDER } from '../../text/optional-clauses.ts';
import { withoutDateToCome } from './slots.ts';

export type StepName = ScriptStepEntry['step'];

export interface VoiceContext {
  /** The script steps of the collection, any language and channel; filtered here. */
  steps: readonly ScriptStepEntry[];
  language: string;
  channel: Channel;
  /** No operator has written yet: greet and introduce. */
  firstReply: boolean;
  hurry: boolean;
  /** The customer is upset: apologise before answering. */
  negative: boolean;
  /**
   * The customer reports something that went wrong with their item or order (a defect, a wrong
   * item): the issue stays open after one reply, whatever it says.
   */
  problem?: boolean;
  /**
   * No problem to be sorry for: the customer asks in advance («Если кольцо не подойдёт…»,
   * `asksInAdvance`), or reports nothing wrong, no misfit (`reportsMisfit`) and no anger. The reply
   * does not open with sympathy for a problem nobody has had.
   */
  supposed?: boolean;
  /**
   * The customer asks a yes/no question (`asksYesNo`). When they do not, an answer's leading «Да,»
   * or «Нет,» ("Yes,", "No,") answers a question nobody asked and goes.
   */
  yesNo?: boolean;
  /**
   * Numbers the customer's yes/no question asks about (`askedQuantities`): an answer that does not
   * say them does not open with «Да,» («на 12 месяцев?» → «рассрочка на 6 месяцев»).
   */
  askedQuantities?: readonly string[];
  values: Readonly<Record<string, string>>;
  /** The values from the helpdesk card and the operator alone, for slots declared `source: system`. */
  cardValues?: Readonly<Record<string, string>>;
}

/** The channels scripts can name; a conversation on another channel takes every step. */
const SCRIPT_CHANNELS: ReadonlySet<string> = new Set(['chat', 'messenger', 'email', 'marketplace', 'social']);

export function stepFits(step: { channels?: readonly string[] | undefined }, channel: Channel): boolean {
  if (!step.channels || !SCRIPT_CHANNELS.has(channel)) return true;
  return step.channels.includes(channel);
}

/** The steps for this language (or, when the team has no script in it, none: no mixed languages). */
export function stepsFor(context: Pick<VoiceContext, 'steps' | 'language' | 'channel'>): ScriptStepEntry[] {
  return context.steps.filter(
    (step) => step.language === context.language && stepFits(step, context.channel),
  );
}

const PLACEHOLDER = new RegExp(SLOT_PLACEHOLDER.source, 'gu');

/**
 * A step variant with its placeholders filled. Script phrases are the team's voice, not content:
 * an unknown value is dropped with the words around it rather than marked for the operator
 * («{{customer_name}}, здравствуйте!» → «Здравствуйте!»).
 */
export function fillStep(variant: string, values: Readonly<Record<string, string>>): string {
  const known = (name: string) => values[name] !== undefined && values[name].trim() !== '';
  return dropOptionalSlots(resolveSections(variant, known), (name) => !known(name))
    .replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole)
    .trim();
}

/** The variant that uses the most known values and leaves the fewest out (a named greeting beats an anonymous one). */
export function pickVariant(
  step: ScriptStepEntry,
  given: Readonly<Record<string, string>>,
): string | undefined {
  let best: { text: string; filled: number; unfilled: number } | undefined;
  for (const variant of step.variants) {
    const values = withoutDateToCome([variant], given);
    const names = [...variant.matchAll(PLACEHOLDER)].map((match) => match[1]!);
    if (step.step === 'introduction' && names.some((name) => values[name] === undefined)) continue;
    const filled = names.filter((name) => values[name] !== undefined).length;
    const unfilled = names.length - filled;
    if (!best || filled > best.filled || (filled === best.filled && unfilled < best.unfilled)) {
      best = { text: fillStep(variant, values), filled, unfilled };
    }
  }
  return best?.text || undefined;
}

export interface WrappedReply {
  text: string;
  /** documentIds of the steps used, for citations. */
  stepIds: string[];
}

/**
 * The answer in the team's voice: greeting, introduction and apology before it on a first reply,
 * closing after it. A customer in a hurry gets only what the script requires. `open`: the answer
 * leaves the issue open whatever its words (the script's own hold message, in any language), so
 * no closing follows it.
 */
export function wrapInScript(
  answer: string,
  context: VoiceContext,
  options: { open?: boolean } = {},
): WrappedReply {
  const steps = stepsFor(context);
  const find = (name: StepName) => steps.find((step) => step.step === name);
  const wanted: StepName[] = [];
  if (context.firstReply) wanted.push('greeting');
  if (context.firstReply && !context.hurry) wanted.push('introduction');
  if (context.negative && !context.hurry && !apologises(answer)) wanted.push('apology');
  const head: string[] = [];
  // Steps the script places at the end (an e-mail's signature) go after the closing.
  const tail: string[] = [];
  const stepIds: string[] = [];
  for (const name of wanted) {
    const step = find(name);
    const text = step ? pickVariant(step, context.values) : undefined;
    // An answer that greets by itself is a whole letter: nothing goes before its greeting.
    if (name === 'greeting' && text && alreadySays(answer, text)) break;
    if (step && text && !alreadySays(answer, text)) {
      (step.position === 'end' ? tail : head).push(text);
      stepIds.push(step.documentId);
    }
  }
  const closingStep = find('closing');
  // A closing («Могу ли я ещё чем-то помочь?») ends a finished answer: not a greeting alone, not
  // right after a question to the customer, not while we still owe them something, and not while
  // the customer's issue is open — they are upset, pressing («до сих пор нет»), or report a
  // defect or a wrong item: one reply does not settle that, whatever it says.
  const issueOpen = context.negative || context.hurry || context.problem === true;
  const picked =
    closingStep && !options.open && !issueOpen && closes(answer)
      ? pickVariant(closingStep, context.values)
      : undefined;
  // A template that already ends with the team's closing («Будем рады видеть вас снова!») keeps one.
  const closing = picked && !alreadySays(answer, picked) ? picked : undefined;
  if (closingStep && closing) stepIds.push(closingStep.documentId);

  let body = answer.trim();
  const name = context.values.customer_name;
  if (name && head.some((line) => line.includes(name))) body = dropLeadingName(body, name);
  const separator = context.channel === 'email' ? '\n\n' : '\n';
  const text = [head.join(' '), body, closing ?? '', ...tail]
    .filter((part) => part.length > 0)
    .join(separator);
  return { text, stepIds };
}

const APOLOGY = /(?:извин|прости|прошу прощения|жаль|сожале|неприятно|sorry|apolog|regret)/iu;
/** Asking the customer for something: the conversation waits for their answer. */
const ASKS_CUSTOMER =
  /(?:\?|(?<!\p{L})(?:подскажите|пришлите|напишите|уточните|укажите|сообщите|назовите|пришлите|could you|can you|please (?:send|tell|let)|let (?:me|us) know)(?!\p{L}))/iu;
/** A promise to come back: the issue stays open until we do. */
const STAYS_OPEN =
  /(?<!\p{L})(?:вернусь|вернёмся|вернемся|ответим|ответит|свяжемся|свяжутся|сообщим|уточню|уточняю|проверю|проверяю|we will (?:get back|reply|contact)|we'll (?:get back|reply)|will reply|get back to you)(?!\p{L})/iu;

/**
 * A sentence of sympathy an answer may open with: «Жаль, что кольцо не подошло.», «Нам очень жаль,
 * что…», «Понимаю, как неприятно, когда украшение не подошло.», "Sorry the ring didn't fit.",
 * "I understand how disappointing it is…" — after the customer's name, when the reply has one.
 */
const SYMPATHY_OPENER =
  /^((?:[\p{Lu}][\p{L}-]*(?:\s+[\p{Lu}][\p{L}-]*)?,\s+)?)(?:(?:нам\s+)?(?:очень\s+)?жаль|(?:мы\s+)?сожалеем|понима(?:ю|ем),?\s+как\s+(?:неприятно|обидно)|i\s+understand\s+how\s+(?:disappointing|frustrating|upsetting|annoying)|(?:(?:i'm|i\s+am|we're|we\s+are)\s+)?(?:so\s+|very\s+)?sorry)(?![\p{L}])[^.!?\n]*[.!?]+[ \t]*\n?[ \t]*/iu;

/**
 * The answer without the sentence of sympathy it opens with, when the customer only supposes the
 * problem; the next sentence starts the answer (after the name, in lower case). Unchanged when it
 * opens otherwise, or when nothing would be left.
 */
export function withoutSympathyOpener(answer: string): string {
  const found = SYMPATHY_OPENER.exec(answer);
  if (!found) return answer;
  const name = found[1] ?? '';
  const rest = answer.slice(found[0].length);
  if (!/[\p{L}\p{N}]/u.test(rest)) return answer;
  const first = rest.charAt(0);
  return `${name}${name ? first.toLowerCase() : first.toUpperCase()}${rest.slice(1)}`;
}

/** «Да, …», «Нет. …», "Yes, …", "No — …" opening an answer. */
const YES_NO_OPENER = /^(?:да|нет|yes|no)(?:\s*[,.!:]\s*|\s+[—–-]\s+)(?=[\p{L}\p{N}«"])/iu;

/**
 * The answer without the «Да,» or «Нет,» it opens with, the next word capitalised: «Нет, скачать
 * видео не получится» → «Скачать видео не получится». Unchanged when it opens otherwise.
 */
export function withoutYesNo(answer: string): string {
  const found = YES_NO_OPENER.exec(answer);
  if (!found) return answer;
  const rest = answer.slice(found[0].length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * The reply without the «Да,» / «Нет,» its answer opens with, after a greeting sentence when it
 * has one («Здравствуйте! Да, рассрочка…» → «Здравствуйте! Рассрочка…»). A first sentence that ends
 * with «!» or a line break is a greeting; a «Нет,» further in is left alone.
 */
export function replyWithoutYesNo(reply: string): string {
  const opened = withoutYesNo(reply);
  if (opened !== reply) return opened;
  const greeting = /^[^.!?\n]{1,80}(?:!|\n)\s*/u.exec(reply)?.[0];
  if (!greeting) return reply;
  const rest = reply.slice(greeting.length);
  const mended = withoutYesNo(rest);
  return mended === rest ? reply : greeting + mended;
}

/** Whether the answer already apologises or sympathises («Нам очень жаль, что…»). */
export function apologises(answer: string): boolean {
  return APOLOGY.test(answer);
}

/** Whether the answer is one a closing may follow: it says something, asks nothing, owes nothing. */
export function closes(answer: string): boolean {
  const body = answer.trim();
  return body.length > 0 && !ASKS_CUSTOMER.test(body) && !STAYS_OPEN.test(body);
}

/** An answer that already apologises needs no second apology. */
function alreadySays(answer: string, phrase: string): boolean {
  return answer.toLowerCase().includes(phrase.toLowerCase().slice(0, 12));
}

/** «Анна, ваш заказ…» after «Здравствуйте, Анна!» → «Ваш заказ…». */
export function dropLeadingName(text: string, name: string): string {
  if (!text.startsWith(name)) return text;
  const rest = text.slice(name.length).replace(/^\s*,\s*/u, '');
  if (rest === text.slice(name.length)) return text;
  return rest.charAt(0).toLocaleUpperCase() + rest.slice(1);
}
