import type { ConversationMessage, Suggestion } from '../../contract/index.ts';
import { checkAgainstScript } from '../../pipeline/check.ts';
import { supportedLanguage } from '../../pipeline/language.ts';
import type { ScriptProfile } from '../../retrieval/script-profiles.ts';
import { stemSet } from '../../retrieval/stems.ts';
import { GUARD_FINDING_TYPES } from '../../rules/guard.ts';
import {
  type Claim,
  detectSituations,
  isProblem,
  marketplaceName,
  mentionsReturn,
  type Situation,
} from '../../text/claims.ts';
import { asksInAdvance } from '../../text/signals.ts';
import type { DraftFinding } from '../../text/types.ts';
import { assessHit, CONFIDENCE_THRESHOLDS, type HitAssessment, toConfidence } from './confidence.ts';
import {
  buildSuggestion,
  cappedConfidence,
  fitsChannel,
  fitsCustomer,
  fitsSituations,
  lacksAsked,
  preconditionsOf,
  type SuggestionContext,
  saysSomething,
  writtenFor,
} from './suggestions.ts';
import { pickVariant, replyWithoutYesNo, stepsFor, wrapInScript } from './voice.ts';

export interface SelfCheckInput {
  profile: ScriptProfile;
  context: SuggestionContext;
  /** The answers the suggestions were composed from, best first: replacements come from them. */
  answers: readonly HitAssessment[];
  messages: readonly ConversationMessage[];
  /** The conversation's situations when the understand stage has them; else detected here. */
  situations?: readonly Situation[];
}

/** The panel shows at most this many suggestions. */
const MAX_SUGGESTIONS = 3;
/** Findings mended by dropping the sentence that holds them: banned phrases and the guard rules. */
function mendedByDropping(finding: DraftFinding): boolean {
  return finding.type === 'banned-phrase' || GUARD_FINDING_TYPES.has(finding.type);
}
/** A reply cut down to less than this share of itself by dropped sentences is no reply. */
const MIN_KEPT_SHARE = 0.5;
/** Required steps the script's voice adds or leaves out by the moment (`voice.ts`), not fixed here. */
const STEPS_BY_MOMENT: ReadonlySet<string> = new Set([
  'missing-greeting',
  'missing-introduction',
  'missing-closing',
]);

/**
 * The engine checks its own suggestions before anyone sees them (the check stage):
 * 1. none is used for a situation its template is declared `notFor` (a refusal to take back goods
 *    of proper quality, when the customer claims a defect; a site order's cancellation, when the
 *    order is from a marketplace), or outside the situations it is declared `onlyFor` («Заказ №
 *    … отменён» to a customer who asked where the order is) — the next fitting answer takes its place;
 * 2. none breaks the team's script or the guard rules: a sentence with a banned phrase, a request
 *    for card data or codes, a money promise beyond policy or a link outside the allowed domains is
 *    dropped (the suggestion too, when little is left or the words remain), a required step («Спасибо за отзыв» on a
 *    marketplace) or phrase is put in from the script where the script can supply it;
 * 3. a precondition the conversation already answers («уточнить, из чего изделие» after «это
 *    бижутерия») is not shown, and the reply keeps the confidence it would have without it;
 * 4. they are offered most likely first, none when none is likely enough (a reply dropped for its
 *    situation can leave only a weak alternative);
 * 5. one that states as done what the operator must first do (`preconditions`) is never the only
 *    plain reply: a reply without preconditions goes first, or the script's hold message — first
 *    when the reply still has slots to look up, else right after it;
 * 6. none opens its answer with «Да,» / «Нет,» to a yes/no question about a number it never says
 *    (`lacksAsked`): a model's draft says «Да, рассрочка … 6 месяцев» to «на 12 месяцев?» as
 *    readily as a template would.
 */
export function checkOwnSuggestions(suggestions: readonly Suggestion[], given: SelfCheckInput): Suggestion[] {
  const claims = detectSituations(
    given.messages.filter((message) => message.role === 'customer').map((message) => message.text),
    { channel: given.context.channel },
  );
  const situations = given.situations ?? claims.map((claim) => claim.situation);
  // What the customer's words say (not the channel's implication) calls for answers written for it.
  const said = given.situations ?? claims.filter((claim) => !claim.implied).map((claim) => claim.situation);
  const input = withSituationAnswers(withMarketplace(given, claims), said);
  const fitting = withWrittenFor(
    replaceUnfitting(withSlotsFilled(suggestions, input), input, situations),
    input,
    said,
    situations,
  ).map((suggestion) => withoutAnsweredPreconditions(suggestion, input, situations));
  const checked = fitting
    .map((suggestion) => fixAgainstScript(suggestion, input))
    .filter((suggestion): suggestion is Suggestion => suggestion !== undefined)
    .map((suggestion) => withoutUnfoundedYesNo(suggestion, input));
  const offered = suggestions[0]?.confidence.score ?? 0;
  const ordered = situationFirst(likeliestFirst(checked, offered), input, said);
  return plainFirst(ordered, input, said).map((suggestion, index) => ({
    ...suggestion,
    index,
  }));
}

function withoutUnfoundedYesNo(suggestion: Suggestion, input: SelfCheckInput): Suggestion {
  if (suggestion.kind === 'script' || !lacksAsked(suggestion.text, input.context.voice.askedQuantities)) {
    return suggestion;
  }
  const text = replyWithoutYesNo(suggestion.text);
  return text === suggestion.text ? suggestion : { ...suggestion, text };
}

/**
 * The suggestions by confidence, as compose offered them: a reply dropped or replaced above may
 * leave a weak alternative in front of a stronger one (the operator reads the first). When compose
 * offered a likely enough first reply and none left is, there is nothing reliable to suggest — as
 * when compose finds none. (A composer that offers a weak first reply on its own, a model's draft
 * with little behind it, keeps it.)
 */
function likeliestFirst(suggestions: readonly Suggestion[], offered: number): Suggestion[] {
  const ordered = suggestions
    .map((suggestion, position) => ({ suggestion, position }))
    .sort(
      (left, right) =>
        right.suggestion.confidence.score - left.suggestion.confidence.score ||
        left.position - right.position,
    )
    .map(({ suggestion }) => suggestion);
  const first = ordered[0];
  const weak = (score: number) => score < CONFIDENCE_THRESHOLDS.medium;
  if (first && first.kind !== 'script' && weak(first.confidence.score) && !weak(offered)) return [];
  return ordered;
}

/**
 * A reply written for a problem the customer's words establish (a wrong item, a defect) goes
 * ahead of a reply that only shares words with the question, unless that one is likely enough to
 * be "high": the detector read what happened; word overlap below "high" is a guess.
 */
function situationFirst(
  suggestions: readonly Suggestion[],
  input: SelfCheckInput,
  situations: readonly Situation[],
): Suggestion[] {
  // Only what the customer reports as having happened; a request (a return) is what they want, and
  // which answer fits it is still the search's and the other situations' to say.
  const reported = situations.filter(isProblem);
  const first = suggestions[0];
  if (!first || reported.length === 0 || isWrittenFor(first, input, reported)) return [...suggestions];
  if (first.confidence.score >= CONFIDENCE_THRESHOLDS.high) return [...suggestions];
  const written = suggestions.find((suggestion) => isWrittenFor(suggestion, input, reported));
  if (!written) return [...suggestions];
  return [written, ...suggestions.filter((suggestion) => suggestion !== written)];
}

/**
 * The search found what the customer's words say; the situation is what they mean: a template or
 * an FAQ answer written for it that the search missed («почернели» is in none of its phrasings) is
 * still an answer to choose from, after those the search found (with no score of its own). A reply
 * template comes before an FAQ answer; of several of a kind, the one sharing most words with what
 * the customer wrote («готов к выдаче в магазине» picks the store's answer over the courier's).
 */
function withSituationAnswers(input: SelfCheckInput, situations: readonly Situation[]): SelfCheckInput {
  if (situations.length === 0) return input;
  const found = new Set(input.answers.map((answer) => answer.hit.documentId));
  const candidates = (input.profile.situationAnswers ?? []).filter(
    (hit) => hit.language === input.context.voice.language && !found.has(hit.documentId),
  );
  if (candidates.length === 0) return input;
  const said = stemSet(
    input.messages
      .filter((message) => message.role === 'customer')
      .map((message) => message.text)
      .join('\n'),
  );
  const unsearched = candidates
    .map((hit, position) => ({ assessed: assessHit(hit, said), position }))
    .sort(
      (left, right) =>
        Number(right.assessed.hit.kind === 'template') - Number(left.assessed.hit.kind === 'template') ||
        right.assessed.queryCoverage - left.assessed.queryCoverage ||
        left.position - right.position,
    )
    .map(({ assessed }): HitAssessment => ({ ...assessed, score: 0 }));
  return { ...input, answers: [...input.answers, ...unsearched] };
}

/** The marketplace the customer named fills a `{{marketplace}}` slot («на площадке Wildberries»). */
function withMarketplace(input: SelfCheckInput, claims: readonly Claim[]): SelfCheckInput {
  const cue = claims.find((claim) => claim.situation === 'marketplace-order')?.cue;
  const name = cue ? marketplaceName(cue) : undefined;
  if (!name || input.context.voice.values.marketplace !== undefined) return input;
  const values = { ...input.context.voice.values, marketplace: name };
  return { ...input, context: { ...input.context, voice: { ...input.context.voice, values } } };
}

/** Suggestions rebuilt where a value found here fills a slot they left for the operator. */
function withSlotsFilled(suggestions: readonly Suggestion[], input: SelfCheckInput): Suggestion[] {
  const values = input.context.voice.values;
  return suggestions.map((suggestion) => {
    const source = sourceOf(suggestion, input.answers);
    if (!source || !suggestion.missingSlots.some((slot) => values[slot] !== undefined)) return suggestion;
    return { ...buildSuggestion(source, input.context), index: suggestion.index };
  });
}

function sourceOf(suggestion: Suggestion, answers: readonly HitAssessment[]): HitAssessment | undefined {
  const documentId = suggestion.citations[0]?.documentId;
  return answers.find((answer) => answer.hit.documentId === documentId);
}

function replaceUnfitting(
  suggestions: readonly Suggestion[],
  input: SelfCheckInput,
  situations: readonly Situation[],
): Suggestion[] {
  // No situation at all still rules out replies declared `onlyFor` one.
  const used = new Set(suggestions.map((suggestion) => suggestion.citations[0]?.documentId));
  const asksAboutReturn = mentionsReturn(
    input.messages.filter((message) => message.role === 'customer').map((message) => message.text),
  );
  const fits = (answer: HitAssessment) =>
    fitsCustomer(answer, situations, asksAboutReturn) &&
    fitsChannel(answer, input.context.channel) &&
    saysSomething(answer, input.context.voice.values);
  const spare = input.answers.filter(
    (answer) =>
      answer.score >= CONFIDENCE_THRESHOLDS.medium && !used.has(answer.hit.documentId) && fits(answer),
  );
  const result: Suggestion[] = [];
  for (const suggestion of suggestions) {
    const source = sourceOf(suggestion, input.answers);
    if (!source || fits(source)) {
      result.push(suggestion);
      continue;
    }
    const replacement = spare.shift();
    if (replacement) result.push({ ...buildSuggestion(replacement, input.context), index: result.length });
  }
  return result;
}

/**
 * The suggestion without the preconditions its sources declare answered by the conversation's
 * situations; once none is left, its confidence is no longer held below "high" for them.
 */
function withoutAnsweredPreconditions(
  suggestion: Suggestion,
  input: SelfCheckInput,
  situations: readonly Situation[],
): Suggestion {
  const shown = suggestion.preconditions ?? [];
  const source = sourceOf(suggestion, input.answers);
  if (shown.length === 0 || situations.length === 0 || !source) return suggestion;
  // Every answer the suggestion cites brings its preconditions: a model draft rests on several
  // (an FAQ on how to cancel and the template that says «отменён»), not only on the first.
  const cited = new Set(suggestion.citations.map((citation) => citation.documentId));
  const sources = input.answers.filter((answer) => cited.has(answer.hit.documentId));
  const stillOpen = new Set(sources.flatMap((answer) => preconditionsOf(answer, situations)));
  const open = shown.filter((text) => stillOpen.has(text));
  if (open.length === shown.length) return suggestion;
  const { preconditions: _shown, ...rest } = suggestion;
  return {
    ...rest,
    ...(open.length > 0 ? { preconditions: open } : {}),
    confidence: cappedConfidence(Math.max(source.score, suggestion.confidence.score), open),
  };
}

/**
 * When the conversation is in a situation some templates are written `for` (a defect claim and
 * the warranty-claim template), one of them is offered if none is yet: the best the search found,
 * whatever its score — the customer's own words already say it fits, so it is offered at least at
 * "medium" (never "high" on that alone: the words may still be about something else). The one
 * offered must fit every situation (`ruling`), those the channel implies too.
 */
function withWrittenFor(
  suggestions: readonly Suggestion[],
  input: SelfCheckInput,
  situations: readonly Situation[],
  ruling: readonly Situation[] = situations,
): Suggestion[] {
  if (situations.length === 0) return [...suggestions];
  if (suggestions.some((suggestion) => isWrittenFor(suggestion, input, situations))) {
    return suggestions.map((suggestion) =>
      isWrittenFor(suggestion, input, situations) ? atLeastMedium(suggestion) : suggestion,
    );
  }
  const candidate = input.answers.find(
    (answer) =>
      writtenFor(answer, situations) &&
      fitsSituations(answer, ruling) &&
      fitsChannel(answer, input.context.channel) &&
      saysSomething(answer, input.context.voice.values),
  );
  if (!candidate) return [...suggestions];
  const offered = atLeastMedium({ ...buildSuggestion(candidate, input.context), index: suggestions.length });
  return [...suggestions.slice(0, MAX_SUGGESTIONS - 1), offered];
}

function atLeastMedium(suggestion: Suggestion): Suggestion {
  if (suggestion.confidence.score >= CONFIDENCE_THRESHOLDS.medium) return suggestion;
  return { ...suggestion, confidence: toConfidence(CONFIDENCE_THRESHOLDS.medium) };
}

function isWrittenFor(
  suggestion: Suggestion,
  input: SelfCheckInput,
  situations: readonly Situation[],
): boolean {
  // Any answer it rests on: a model draft cites the FAQ on tracking first and the late-delivery
  // template second, and is as much written for the late order as the template alone.
  return suggestion.citations.some((citation) => {
    const source = input.answers.find((answer) => answer.hit.documentId === citation.documentId);
    return source !== undefined && writtenFor(source, situations);
  });
}

/** The suggestion mended to the script, or undefined when it cannot be. */
function fixAgainstScript(suggestion: Suggestion, input: SelfCheckInput): Suggestion | undefined {
  const language = supportedLanguage(suggestion.language);
  const check = (text: string) =>
    checkAgainstScript(text, {
      profile: input.profile,
      channel: input.context.channel,
      language,
      firstReply: input.context.voice.firstReply,
    }).findings;
  let text = suggestion.text;
  const original = text.length;
  for (const finding of check(text)) {
    if (!mendedByDropping(finding) || !finding.span) continue;
    // Spans move as sentences go: find the banned words again in the current text.
    const quoted = suggestion.text.slice(finding.span.start, finding.span.end);
    const at = text.indexOf(quoted);
    if (at >= 0) text = withoutSentenceAt(text, at, at + quoted.length);
  }
  if (text.trim().length < original * MIN_KEPT_SHARE) return undefined;
  for (const finding of check(text)) {
    if (finding.severity === 'info' || STEPS_BY_MOMENT.has(finding.type)) continue;
    const fixed = insertMissing(text, finding, input);
    if (fixed !== undefined) text = fixed;
  }
  // A banned phrase left is a reason to drop the reply; a required phrase the script's steps cannot
  // supply here (a signature with the operator's name, a ticket number) is the operator's to add,
  // and the draft check shows it when they insert the reply.
  const remaining = check(text).filter(mendedByDropping);
  if (remaining.length > 0) return undefined;
  return text === suggestion.text ? suggestion : { ...suggestion, text };
}

/** The text without the sentence that holds [start, end). */
function withoutSentenceAt(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const open = Math.max(before.search(/[^.!?…\n]*$/u), 0);
  // The sentence starts after the spaces that follow the previous one; those spaces stay.
  const sentenceStart = open + (/^\s*/u.exec(before.slice(open))?.[0].length ?? 0);
  const after = text.slice(end);
  const stop = after.search(/[.!?…](?:\s|$)|\n/u);
  const sentenceEnd = stop === -1 ? text.length : end + stop + (after[stop] === '\n' ? 0 : 1);
  return `${text.slice(0, sentenceStart)}${text.slice(sentenceEnd).replace(/^[ \t]+/u, '')}`
    .replace(/[ \t]{2,}/gu, ' ')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

/**
 * A missing required step or phrase, put in from the script: a step's variant after the greeting
 * (or at the end, for a step the script places there), a phrase from the step that says it, else
 * the phrase itself when it is a sentence of its own.
 */
function insertMissing(text: string, finding: DraftFinding, input: SelfCheckInput): string | undefined {
  const steps = stepsFor({
    steps: input.context.voice.steps,
    language: input.context.voice.language,
    channel: input.context.channel,
  });
  if (finding.type === 'missing-required-phrase') {
    const phrase = finding.suggestion?.toLowerCase();
    if (!phrase) return undefined;
    const carrying = steps
      .flatMap((step) => step.variants.map((variant) => ({ step, variant })))
      .find(({ variant }) => variant.toLowerCase().includes(phrase));
    const line = carrying
      ? pickVariant({ ...carrying.step, variants: [carrying.variant] }, input.context.voice.values)
      : undefined;
    // The step's line counts only if it still says the phrase once its slots are filled («номер
    // обращения {{ticket_id}}» without a ticket number loses it) and is not in the text already.
    if (line?.toLowerCase().includes(phrase) && !text.includes(line)) return `${text}\n${line}`;
    return /[.!?]$/u.test(finding.suggestion ?? '') ? `${text}\n${finding.suggestion}` : undefined;
  }
  const stepName = finding.type.replace(/^missing-/u, '');
  const step = steps.find((candidate) => candidate.step === stepName && candidate.required);
  const line = step ? pickVariant(step, input.context.voice.values) : undefined;
  if (!step || !line || text.includes(line)) return undefined;
  if (step.position === 'end') return `${text}\n${line}`;
  const lines = text.split('\n');
  const greets =
    lines.length > 1 && /^[^\n]{0,60}[!.]$/u.test(lines[0] ?? '') && input.context.voice.firstReply;
  if (greets) return [lines[0], line, ...lines.slice(1)].join('\n');
  return `${line}\n${text}`;
}

/**
 * A suggestion with preconditions is not offered as the plain answer: when the first one has them,
 * a plain one moves ahead of it, or the script's hold message («подождите, проверяю…») is offered
 * beside it, for the operator to send while they do what the preconditions say: first when the
 * reply still lacks values to look up, second when the reply is complete.
 */
function plainFirst(
  suggestions: readonly Suggestion[],
  input: SelfCheckInput,
  situations: readonly Situation[],
): Suggestion[] {
  const conditioned = (suggestion: Suggestion) => (suggestion.preconditions?.length ?? 0) > 0;
  const first = suggestions[0];
  if (!first || !conditioned(first)) return [...suggestions];
  // A reply written for the customer's situation stays first: a plain answer to another question
  // is no better for having nothing to check.
  if (isWrittenFor(first, input, situations)) return withHold(first, suggestions, input);
  // A plain reply goes ahead only if it is itself likely enough to offer: a weak plain answer to
  // another question (a site-order FAQ for a marketplace order) is worse than the hold message.
  const plain = suggestions.find(
    (suggestion) => !conditioned(suggestion) && suggestion.confidence.score >= CONFIDENCE_THRESHOLDS.medium,
  );
  if (plain) return [plain, ...suggestions.filter((suggestion) => suggestion !== plain)];
  return withHold(first, suggestions, input);
}

function withHold(
  first: Suggestion,
  suggestions: readonly Suggestion[],
  input: SelfCheckInput,
): Suggestion[] {
  // «А если не понравится, можно будет вернуть?» asks in advance: there is no order to look into
  // yet, and «подождите, проверяю информацию по заказу» would say there is.
  const latest = input.messages.findLast((message) => message.role === 'customer');
  if (latest && asksInAdvance(latest.text)) return [...suggestions];
  const hold = holdSuggestion(first, input);
  if (!hold) return [...suggestions];
  // «Подождите, проверяю…» is for while the operator looks up what the reply still lacks (a track
  // number, an order's state). A reply with nothing left to fill already answers — a marketplace
  // hand-over: the shop cannot act on the order at all — and goes first with its «сначала: …».
  const ordered =
    first.missingSlots.length > 0 ? [hold, ...suggestions] : [first, hold, ...suggestions.slice(1)];
  // The hold message takes the weakest variant's place: the panel still shows at most three.
  return ordered.slice(0, Math.max(2, Math.min(MAX_SUGGESTIONS, suggestions.length)));
}

function holdSuggestion(first: Suggestion, input: SelfCheckInput): Suggestion | undefined {
  const voice = input.context.voice;
  const step = stepsFor(voice).find((candidate) => candidate.step === 'hold');
  const line = step ? pickVariant(step, voice.values) : undefined;
  if (!step || !line) return undefined;
  // «Please give me 2–3 minutes…» owes the customer an answer: no «Anything else?» after it.
  const wrapped = wrapInScript(line, voice, { open: true });
  return {
    index: 0,
    text: wrapped.text,
    kind: 'script',
    title: step.title ?? step.step,
    language: voice.language,
    citations: [
      { documentId: step.documentId, chunkId: step.chunkId, title: step.title ?? step.step, quote: line },
    ],
    confidence: first.confidence,
    filledSlots: {},
    missingSlots: [],
    short: false,
    engine: first.engine,
  };
}
