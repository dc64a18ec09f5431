/**
 * «Официальнее»: business register. «ты» becomes «Вы» (pronouns, verbs and imperatives, found by
 * `rules/address-form.ts`; a past-tense verb after «ты» agrees: «ты получил» → «Вы получили»),
 * «Вы» and «Ваш» take a capital as in a letter to one person, emoji and smileys go, «!!!» becomes
 * «!» (and «?!» «?»), slang and familiar greetings get their standard words, English contractions are spelled out.
 */
import { findAddressForms } from '../../rules/address-form.ts';
import { wordTokens } from '../../text/tokens.ts';
import { CONTRACTIONS, FAMILIAR, type Language, SLANG, VY_FORMS } from './rewrite-lexicon.ts';
import {
  type Change,
  capitalise,
  guardedSteps,
  type Replacement,
  replaceAll,
  type Step,
  tidy,
} from './rewrite-text.ts';

const EMOJI =
  /(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2})(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;
/**
 * :) ;-) :D =( and the like, standing on their own. Only «:», «;» and «=» are eyes: «XP», «XD»
 * and «XO» are a Windows version, a memory card and a size.
 */
const EMOTICON = /(?<=^|\s)[:;=]-?[)(DPpОоO3]+(?=$|\s|[.,!?])/gu;
const EXCLAMATION_RUN = /[!?]{2,}/gu;
/** «Пока!» as the reply's last word is a familiar goodbye; «пока» elsewhere means «while». */
const RU_BYE = /(?<=^|[.!?…]\s*|\n)пока(?:-пока)?(?=\s*[!.)]*\s*$)/iu;

/** A «)» right after a digit or a lone letter closes a list marker: «1) оплата», «пункт в)». */
function listMarker(before: string): boolean {
  return /(?:^|[^\p{L}\p{N}])(?:\p{N}+|\p{L})$/u.test(before);
}

/**
 * Closing brackets that close nothing are the Russian chat smiley: «Спасибо)))». List markers
 * («1) оплата 2) доставка», «пункт в)») are not smileys and stay.
 */
function dropBracketSmileys(text: string, changes: Change[]): string {
  return text
    .split('\n')
    .map((line) => {
      let depth = 0;
      let result = '';
      for (let index = 0; index < line.length; index++) {
        const character = line[index]!;
        if (character === '(') depth++;
        if (character !== ')') {
          result += character;
          continue;
        }
        if (depth > 0 || listMarker(result)) {
          if (depth > 0) depth--;
          result += character;
          continue;
        }
        let end = index;
        while (line[end + 1] === ')') end++;
        changes.push({ rule: 'emoji', before: line.slice(index, end + 1), after: '' });
        if (line.slice(end + 1).trim() === '' && /[\p{L}\p{N}]\s*$/u.test(result))
          result = `${result.trimEnd()}.`;
        index = end;
      }
      return result;
    })
    .join('\n');
}

/** An emoji between a word and a capital ended a sentence: it leaves a full stop behind. */
function emojiGap(whole: string, offset: number, length: number): string {
  const before = whole.slice(0, offset).trimEnd();
  const after = whole.slice(offset + length).trimStart();
  // «…Спасибо 😊» at the very end keeps its full stop too.
  return /[\p{L}\p{N}]$/u.test(before) && (after === '' || /^\p{Lu}/u.test(after)) ? '.' : '';
}

function dropEmoji(text: string): Step {
  const changes: Change[] = [];
  const drop = (found: string, offset: number, whole: string) => {
    changes.push({ rule: 'emoji', before: found, after: '' });
    return emojiGap(whole, offset, found.length);
  };
  let result = text.replace(EMOJI, drop);
  result = result.replace(EMOTICON, drop);
  result = dropBracketSmileys(result, changes).replace(/\uFE0F/gu, '');
  return { text: tidy(result), changes };
}

function calmExclamations(text: string): Step {
  const changes: Change[] = [];
  const result = text.replace(EXCLAMATION_RUN, (run) => {
    const calm = run.includes('?') ? '?' : '!';
    changes.push({ rule: 'exclamation', before: run, after: calm });
    return calm;
  });
  return { text: result, changes };
}

const PAST = /^(\p{L}+[аеёиоуыя])(?:л|ла|ло)(ся|сь)?$/u;

/** «ты» → «Вы» in every form the address-form rules know, pronouns capitalised. */
function toVy(text: string): Step {
  const tokens = wordTokens(text);
  const edits: Array<{ start: number; end: number; after: string; before: string }> = [];
  for (const use of findAddressForms(text)) {
    if (use.form !== 'ty' || !use.counterpart) continue;
    const pronoun = VY_FORMS.has(use.counterpart.toLowerCase());
    edits.push({
      start: use.start,
      end: use.end,
      before: use.word,
      after: pronoun ? capitalise(use.counterpart) : use.counterpart,
    });
    if (use.word.toLowerCase() !== 'ты') continue;
    // The verb after «ты» in the past tense takes the plural: «ты получила» → «Вы получили».
    const index = tokens.findIndex((token) => token.start === use.start);
    for (const token of tokens.slice(index + 1, index + 3)) {
      const past = token.text.match(PAST);
      if (!past) continue;
      edits.push({
        start: token.start,
        end: token.end,
        before: token.text,
        after: `${past[1]}ли${past[2] ? 'сь' : ''}`,
      });
      break;
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.after + result.slice(edit.end);
  const changes = edits
    .reverse()
    .map((edit): Change => ({ rule: 'address-form', before: edit.before, after: edit.after }));
  return { text: result, changes };
}

function capitaliseVy(text: string): Step {
  const changes: Change[] = [];
  let result = text;
  for (const token of wordTokens(text).reverse()) {
    if (!VY_FORMS.has(token.norm) || token.text[0] !== token.text[0]!.toLowerCase()) continue;
    const upper = capitalise(token.text);
    result = result.slice(0, token.start) + upper + result.slice(token.end);
    changes.unshift({ rule: 'capitalise-vy', before: token.text, after: upper });
  }
  return { text: result, changes };
}

function pairs(
  list: ReadonlyArray<readonly [string, string]>,
  rule: Change['rule'],
  keepNames = false,
): Replacement[] {
  return list.map(([find, replace]) => ({ find, replace, rule, keepNames }));
}

export function rewriteFormal(text: string, language: Language): Step {
  const steps = guardedSteps(text);
  steps.apply(dropEmoji);
  steps.apply(calmExclamations);
  const familiar: Replacement[] = pairs(FAMILIAR[language], 'familiar-word');
  if (language === 'ru')
    familiar.push({ find: new RegExp(RU_BYE.source, 'giu'), replace: 'до свидания', rule: 'familiar-word' });
  steps.apply((current) => replaceAll(current, familiar));
  steps.apply((current) => replaceAll(current, pairs(SLANG[language], 'slang', true)));
  if (language === 'en') steps.apply((current) => replaceAll(current, pairs(CONTRACTIONS, 'contraction')));
  if (language === 'ru') {
    steps.apply(toVy);
    steps.apply(capitaliseVy);
  }
  const { text: rewritten, changes } = steps.result();
  return { text: tidy(rewritten), changes };
}
