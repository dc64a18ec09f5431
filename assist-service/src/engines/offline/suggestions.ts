import { resolveSections } from '@naparnik/ingest/naparnik-schema';
import type { Channel, Citation, Suggestion } from '../../contract/index.ts';
import type { ScriptProfile } from '../../retrieval/script-profiles.ts';
import { leadsWithRefusal, refusesReturn, type Situation } from '../../text/claims.ts';
import { splitSentences } from '../../text/sentences.ts';
import { numbersIn } from '../../text/signals.ts';
import { CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from './confidence.ts';
import { cutAtWord } from './retrieval-query.ts';
import { withoutDateToCome, withSystemSlots } from './slots.ts';
import {
  pickVariant,
  type StepName,
  stepFits,
  stepsFor,
  type VoiceContext,
  withoutSympathyOpener,
  withoutYesNo,
  wrapInScript,
} from './voice.ts';

/** Fills `{{slots}}`; unfilled ones stay visibly marked and are listed. */
export type Renderer = (
  text: string,
  values: Readonly<Record<string, string>>,
  slots?: Readonly<Record<string, { label?: string | undefined; required?: boolean | undefined }>>,
) => { text: string; filledSlots: Record<string, string>; missingSlots: string[] };

export interface SuggestionContext {
  voice: VoiceContext;
  channel: Channel;
  /** Longest reply: the request's maxLength or the script's length for the channel. */
  maxLength: number | undefined;
  render: Renderer;
  engine: string;
}

const QUOTE_LENGTH = 240;
const SHORT_ANSWER = 220;

/**
 * What a reply built on this hit cites: its entry, and the entries the search folded into it as
 * twins (the same answer filed again under another question or section), which say it too.
 */
export function citationsOf(assessment: HitAssessment): Citation[] {
  const { hit } = assessment;
  const quote = cutAtWord(hit.text.replace(/\s+/gu, ' ').trim(), QUOTE_LENGTH);
  return [hit, ...(hit.twins ?? [])].map((entry) => ({
    documentId: entry.documentId,
    chunkId: entry.chunkId,
    title: entry.title,
    quote,
  }));
}

interface TemplateShape {
  text: string;
  short?: string | undefined;
  channels?: readonly string[] | undefined;
  slots?: Record<string, { label?: string | undefined; required?: boolean | undefined }>;
  /**
   * What the operator must check or do first (FORMATS.md); the text states it as done. A check
   * may name the situations that answer it (`answeredBy`).
   */
  preconditions?: ReadonlyArray<string | { text?: unknown; answeredBy?: unknown }> | undefined;
  /** Situations the template must not be used for. */
  notFor?: readonly string[] | undefined;
  /** Situations the template is written for. */
  for?: readonly string[] | undefined;
}

function templateOf(assessment: HitAssessment): TemplateShape | undefined {
  const metadata = assessment.hit.metadata;
  if (!metadata || typeof metadata.text !== 'string') return undefined;
  return metadata as unknown as TemplateShape;
}

function faqAnswerOf(assessment: HitAssessment): string {
  const answer = assessment.hit.metadata?.answer;
  return typeof answer === 'string' && answer.trim() ? answer : assessment.hit.text;
}

/** The first sentences of an answer, up to about `limit` characters: its short form. */
export function shortenAnswer(text: string, limit = SHORT_ANSWER): string {
  const sentences = splitSentences(text);
  let result = '';
  for (const sentence of sentences) {
    const next = result ? `${result} ${sentence.trim()}` : sentence.trim();
    if (result && next.length > limit) break;
    result = next;
  }
  return result.length > 0 && result.length < text.trim().length ? result : cutToLength(text.trim(), limit);
}

/** At most `limit` characters; cut at a word with an ellipsis. */
export function cutToLength(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${cutAtWord(text, Math.max(1, limit - 1)).trimEnd()}…`;
}

/**
 * A name is a courtesy, not content: «{{customer_name}}, ваш заказ…» without a known name becomes
 * «Ваш заказ…» instead of a marker the operator must fill. A template can still declare it required.
 */
const OPTIONAL_NAMES = { customer_name: { required: false }, operator_name: { required: false } };

/** Slots the template's author declared (ingest lists every placeholder, undeclared ones bare). */
function declaredSlots(template: TemplateShape | undefined): TemplateShape['slots'] {
  const declared: NonNullable<TemplateShape['slots']> = {};
  for (const [name, spec] of Object.entries(template?.slots ?? {})) {
    if (spec.label !== undefined || 'ask' in spec || !(name in OPTIONAL_NAMES)) declared[name] = spec;
  }
  return declared;
}

function capitalize(text: string): string {
  const trimmed = text.trimStart();
  return trimmed.charAt(0).toLocaleUpperCase() + trimmed.slice(1);
}

/**
 * The operator's to-do before sending a template's text, when it declares one: every precondition
 * but those the conversation's situations answer («уточнить, из чего изделие» once the customer
 * said «это бижутерия»).
 */
export function preconditionsOf(assessment: HitAssessment, situations: readonly Situation[] = []): string[] {
  const template = assessment.hit.kind === 'template' ? templateOf(assessment) : undefined;
  const declared = Array.isArray(template?.preconditions) ? template.preconditions : [];
  const open: string[] = [];
  for (const item of declared) {
    if (typeof item === 'string') {
      if (item.trim() !== '') open.push(item);
      continue;
    }
    if (!item || typeof item.text !== 'string' || item.text.trim() === '') continue;
    const answeredBy: unknown[] = Array.isArray(item.answeredBy) ? item.answeredBy : [];
    if (!answeredBy.some((situation) => situations.includes(situation as Situation))) open.push(item.text);
  }
  return open;
}

/**
 * A template or FAQ answer declared `notFor` one of the conversation's situations is wrong for it:
 * a refusal to take back goods of proper quality is no answer to a defect claim, nor the site's
 * own address-change answer to a marketplace order (`text/claims.ts`). One declared `onlyFor`
 * situations is wrong outside them: «Заказ № … отменён» is for a customer who asked to cancel. Any
 * answer that refuses a return (`refusesReturn`) is wrong for a defect claim, declared or not.
 */
export function fitsSituations(assessment: HitAssessment, situations: readonly Situation[]): boolean {
  const { notFor, onlyFor } = assessment.hit.metadata ?? {};
  if (Array.isArray(notFor) && notFor.some((situation) => situations.includes(situation as Situation)))
    return false;
  // A refusal to take goods back never answers a defect claim, declared or not.
  if (situations.includes('defect-claim') && refusesReturn(assessment.hit.text)) return false;
  return !Array.isArray(onlyFor) || onlyFor.some((situation) => situations.includes(situation as Situation));
}

/**
 * `fitsSituations`, and for a customer who never spoke of returning, exchanging or a misfit
 * (`mentionsReturn`), no reply that leads with a refusal to take an item back: «Как почистить
 * золотое кольцо?» is no «кольцо вернуть не получится».
 */
export function fitsCustomer(
  assessment: HitAssessment,
  situations: readonly Situation[],
  asksAboutReturn: boolean,
): boolean {
  return (
    fitsSituations(assessment, situations) && (asksAboutReturn || !leadsWithRefusal(assessment.hit.text))
  );
}

/** Whether a template or FAQ answer is declared `for` one of the conversation's situations. */
export function writtenFor(assessment: HitAssessment, situations: readonly Situation[]): boolean {
  const declared = assessment.hit.metadata?.for;
  return Array.isArray(declared) && declared.some((situation) => situations.includes(situation as Situation));
}

/**
 * A reply whose text states as done what the operator has yet to do is never "high": below it,
 * the panel shows what to do first.
 */
export function cappedConfidence(score: number, preconditions: readonly string[]): Suggestion['confidence'] {
  const confidence = toConfidence(score);
  if (preconditions.length === 0 || confidence.level !== 'high') return confidence;
  return toConfidence(Math.min(score, CONFIDENCE_THRESHOLDS.high - 0.001));
}

/**
 * Whether a template still says anything once the values the conversation gave are in: one whose
 * every word sits in sections for them («{{^order_id}}подскажите, пожалуйста, номер заказа…
 * {{/order_id}}» after the customer wrote the number) has nothing left to say and is not offered.
 */
export function saysSomething(assessment: HitAssessment, values: Readonly<Record<string, string>>): boolean {
  const template = assessment.hit.kind === 'template' ? templateOf(assessment) : undefined;
  if (!template) return true;
  return resolveSections(template.text, (slot) => (values[slot] ?? '').trim() !== '').trim() !== '';
}

/**
 * Whether the answer leaves out a number the customer's yes/no question asked about («12» in «на
 * 12 месяцев?»): its «Да,» would say yes to something else. Read by the offline engine as it
 * composes and by the check stage over every engine's replies.
 */
export function lacksAsked(answer: string, asked: readonly string[] | undefined): boolean {
  if (!asked || asked.length === 0) return false;
  const said = numbersIn(answer);
  return asked.some((quantity) => !said.has(quantity));
}

/** A template that names channels and not this one is for another channel. */
export function fitsChannel(assessment: HitAssessment, channel: Channel): boolean {
  return hitFitsChannel(assessment.hit, channel);
}

/** `fitsChannel` for a search hit before it is assessed (the topic vote). */
export function hitFitsChannel(hit: HitAssessment['hit'], channel: Channel): boolean {
  const channels = hit.kind === 'template' ? hit.metadata?.channels : undefined;
  return !Array.isArray(channels) || stepFits({ channels: channels.map(String) }, channel);
}

/**
 * One suggestion from a template or FAQ hit: its answer (short when the customer is in a hurry
 * or the channel's length demands), slots filled, in the script's greeting and closing.
 */
export function buildSuggestion(
  assessment: HitAssessment,
  context: SuggestionContext,
): Omit<Suggestion, 'index'> {
  const { hit } = assessment;
  const template = hit.kind === 'template' ? templateOf(assessment) : undefined;
  const full = template ? template.text : faqAnswerOf(assessment);
  const shortForm = template ? (template.short ?? full) : shortenAnswer(full);

  const slots = { ...OPTIONAL_NAMES, ...declaredSlots(template) };
  const values = withoutDateToCome(
    [full, shortForm],
    withSystemSlots(context.voice.values, context.voice.cardValues ?? {}, slots),
  );
  const compose = (body: string, hurry: boolean) => {
    const rendered = context.render(body.trim(), values, slots);
    const said = capitalize(rendered.text);
    const answer =
      context.voice.yesNo === false || lacksAsked(said, context.voice.askedQuantities)
        ? withoutYesNo(said)
        : said;
    const wrapped = wrapInScript(context.voice.supposed ? withoutSympathyOpener(answer) : answer, {
      ...context.voice,
      hurry,
    });
    return { rendered, wrapped };
  };

  let short = context.voice.hurry && shortForm !== full;
  let { rendered, wrapped } = compose(short ? shortForm : full, context.voice.hurry);
  if (context.maxLength !== undefined && wrapped.text.length > context.maxLength) {
    short = shortForm !== full;
    ({ rendered, wrapped } = compose(shortForm, true));
  }
  const text = context.maxLength !== undefined ? cutToLength(wrapped.text, context.maxLength) : wrapped.text;
  const preconditions = preconditionsOf(assessment);
  return {
    text,
    kind: hit.kind === 'template' ? 'template' : 'faq',
    title: hit.title,
    language: context.voice.language,
    citations: citationsOf(assessment),
    confidence: cappedConfidence(assessment.score, preconditions),
    ...(preconditions.length > 0 ? { preconditions } : {}),
    filledSlots: rendered.filledSlots,
    missingSlots: rendered.missingSlots,
    short,
    engine: context.engine,
  };
}

/**
 * A reply made of script steps only, for turns with nothing to look up («Здравствуйте», «Спасибо»);
 * `body` names a step whose words are the reply (the thanks for a review that only praises).
 */
export function buildScriptSuggestion(
  profile: ScriptProfile,
  context: SuggestionContext,
  body?: StepName,
): Omit<Suggestion, 'index'> | undefined {
  const bodyStep = body ? stepsFor(context.voice).find((step) => step.step === body) : undefined;
  const line = bodyStep ? (pickVariant(bodyStep, context.voice.values) ?? '') : '';
  const wrapped = wrapInScript(line, { ...context.voice, negative: false });
  if (!wrapped.text.trim()) return undefined;
  const stepIds = bodyStep && line ? [...wrapped.stepIds, bodyStep.documentId] : wrapped.stepIds;
  const citations = profile.steps
    .filter((step) => stepIds.includes(step.documentId))
    .map((step) => ({
      documentId: step.documentId,
      chunkId: step.chunkId,
      title: step.title ?? step.step,
      quote: step.variants[0] ?? '',
    }));
  return {
    text: context.maxLength !== undefined ? cutToLength(wrapped.text, context.maxLength) : wrapped.text,
    kind: 'script',
    title: wrapped.stepIds.join(', '),
    language: context.voice.language,
    citations,
    confidence: toConfidence(0.5),
    filledSlots: {},
    missingSlots: [],
    short: false,
    engine: context.engine,
  };
}
