/**
 * «Короче»: the same reply with fewer words. Fillers, wordy turns and announcing openings go;
 * a pleasantry said twice is said once; a sentence that repeats an earlier one goes; sentences
 * with nothing to act on («Надеюсь, это поможет») go. Numbers, order ids, links and placeholders
 * always stay: a sentence holding one is never dropped unless an earlier sentence has them all.
 */
import { isStopword, stem } from '../../text/analyze.ts';
import { normalizeWord, wordTokens } from '../../text/tokens.ts';
import {
  EMPTY_SENTENCES,
  FILLERS,
  type Language,
  PLEASANTRIES,
  type Pleasantry,
  PREAMBLES,
  WORDY,
} from './rewrite-lexicon.ts';
import {
  type Change,
  facts,
  guardedSteps,
  removeSentences,
  replaceAll,
  type SentenceRange,
  type Step,
  sentenceRanges,
} from './rewrite-text.ts';

/** A pleasantry is a short sentence; a longer one with a «спасибо» in it says more than thanks. */
const PLEASANTRY_MAX_WORDS: Readonly<Record<Pleasantry, number>> = {
  greeting: 4,
  thanks: 10,
  apology: 10,
  closing: 12,
};
/**
 * A later sentence repeats an earlier one when (nearly) all its content words are in the earlier one,
 * the earlier one adds little beyond them, and both carry the same negation and condition words:
 * «…не больше 10 дней» and «…больше 10 дней» are two different facts, and so are «Деньги вернутся,
 * если заказ отменят» and «Деньги вернутся».
 */
const REPEAT_SHARE = 0.85;
/** The share of the earlier sentence's content words the later one must have too. */
const REPEAT_BACK_SHARE = 0.6;
/** Words that turn a statement into its opposite or make it conditional; «hasn't» and «cannot» count as «not». */
const QUALIFIERS =
  /(?<![\p{L}\p{N}])(?:не|ни|нет|нельзя|без|если|кроме|только|not|no|never|none|nothing|without|cannot|if|unless|except|only)(?![\p{L}\p{N}])|n['’]t(?![\p{L}\p{N}])/giu;
const REPEAT_MIN_WORDS = 2;

function normalised(text: string): string {
  return wordTokens(text)
    .map((token) => token.norm)
    .join(' ');
}

export function pleasantryOf(sentence: string): Pleasantry | undefined {
  const words = normalised(sentence);
  const count = words.split(' ').filter(Boolean).length;
  for (const kind of ['greeting', 'thanks', 'apology', 'closing'] as const) {
    if (count > PLEASANTRY_MAX_WORDS[kind]) continue;
    const found = PLEASANTRIES[kind].some((phrase) => {
      const wanted = normalised(phrase);
      return kind === 'greeting' || kind === 'thanks'
        ? words === wanted || words.startsWith(`${wanted} `)
        : ` ${words} `.includes(` ${wanted} `);
    });
    if (found) return kind;
  }
  return undefined;
}

function contentStems(sentence: string): Set<string> {
  return new Set(
    wordTokens(sentence)
      .filter((token) => !isStopword(token.norm) && /\p{L}/u.test(token.norm))
      .map((token) => stem(normalizeWord(token.text))),
  );
}

function qualifiers(sentence: string): string {
  const found = [...sentence.matchAll(QUALIFIERS)].map((match) => {
    const word = normalizeWord(match[0]);
    return /^n['’]t$|^cannot$/u.test(word) ? 'not' : word;
  });
  return [...new Set(found)].sort().join(' ');
}

function dropSentences(text: string, language: Language): Step {
  const ranges = sentenceRanges(text);
  const drop = new Set<SentenceRange>();
  const changes: Change[] = [];
  const remove = (range: SentenceRange, rule: Change['rule']) => {
    drop.add(range);
    changes.push({ rule, before: range.text, after: '' });
  };

  // Empty sentences first: they carry nothing, whatever else the reply says.
  for (const range of ranges) {
    if (EMPTY_SENTENCES[language].some((pattern) => pattern.test(range.text.trim())))
      remove(range, 'empty-sentence');
  }

  // Pleasantries said twice: the first greeting, thanks and apology stay, and the last closing.
  const byKind = new Map<Pleasantry, SentenceRange[]>();
  for (const range of ranges) {
    if (drop.has(range) || facts(range.text).length > 0) continue;
    const kind = pleasantryOf(range.text);
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), range]);
  }
  for (const [kind, found] of byKind) {
    const keep = kind === 'closing' ? found.at(-1) : found[0];
    for (const range of found) if (range !== keep) remove(range, 'duplicate-pleasantry');
  }

  // A sentence repeating an earlier one (its words, and every fact it holds).
  const seen: Array<{ stems: Set<string>; facts: Set<string>; qualifiers: string }> = [];
  for (const range of ranges) {
    if (drop.has(range)) continue;
    const stems = contentStems(range.text);
    const own = new Set(facts(range.text));
    const qualified = qualifiers(range.text);
    const repeats =
      stems.size >= REPEAT_MIN_WORDS &&
      !pleasantryOf(range.text) &&
      seen.some((earlier) => {
        const shared = [...stems].filter((word) => earlier.stems.has(word)).length;
        return (
          shared / stems.size >= REPEAT_SHARE &&
          shared / earlier.stems.size >= REPEAT_BACK_SHARE &&
          earlier.qualifiers === qualified &&
          [...own].every((fact) => earlier.facts.has(fact))
        );
      });
    if (repeats) remove(range, 'redundant-sentence');
    else seen.push({ stems, facts: own, qualifiers: qualified });
  }
  return { text: removeSentences(text, drop), changes };
}

export function rewriteShorter(text: string, language: Language): Step {
  const steps = guardedSteps(text);
  steps.apply((current) =>
    replaceAll(
      current,
      PREAMBLES[language].map((find) => ({ find, replace: '', rule: 'preamble' })),
    ),
  );
  steps.apply((current) =>
    replaceAll(
      current,
      WORDY[language].map(([find, replace]) => ({ find, replace, rule: 'wordy-phrase' as const })),
    ),
  );
  steps.apply((current) =>
    replaceAll(
      current,
      FILLERS[language].map((find) => ({ find, replace: '', rule: 'filler' })),
    ),
  );
  steps.apply((current) => dropSentences(current, language));
  return steps.result();
}
