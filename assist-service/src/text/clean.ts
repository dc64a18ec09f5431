/**
 * Turns a raw customer message (chat line, e-mail with history and signature, HTML) into the words
 * that say what the customer wants, for retrieval and summaries.
 *
 * Everything here runs on untrusted text of any size, so every regular expression is linear:
 * no nested or adjacent unbounded quantifiers over the same characters, patterns that look at a
 * whole line only run on short lines, and trailing patterns only run on a short tail.
 */
import { decodeEntities, stripHtml } from './html.ts';
import { bareSignOff } from './names.ts';

/** Control characters except line feed and tab (carriage returns are line breaks by then). */
const CONTROL = /[^\P{Cc}\n\t]/gu;
/** Zero-width and direction marks, soft hyphen, BOM. */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
const LINE_BREAK = /\r\n|[\r\u2028\u2029\u0085]/gu;
const LINE_SPLIT = /\r\n|[\n\r\u2028\u2029\u0085]/u;
/** Three or more line breaks (with blanks between) are one paragraph break: less to split later. */
const BLANK_RUN = /\n[ \t]*(?:\n[ \t]*){2,}/gu;
/** Whitespace runs other than a lone space: replacing only these keeps ordinary prose cheap. */
const WHITESPACE = /[^\S ]\s*| \s+/g;
const SPACES_BUT_NEWLINE = /[^\S\n ][^\S\n]*| [^\S\n]+/g;
const LINE_GAP = / ?\n\s*/gu;
const URL = /(?<![\p{L}\p{N}@.])(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"«»]*/giu;

/** Lines longer than this are prose, never a header or a sign-off. */
const SHORT_LINE = 400;

// --- quoted history ----------------------------------------------------------------------------

const FORWARD_SEPARATOR =
  /^-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|переадресованное сообщение|forwarded message)/iu;
const FORWARD_INTRO = /^(?:begin forwarded message|начало переадресованного сообщения)\s*:/iu;
/** «26 нояб. 2026 г., в 12:03, Аурелия <…> написал(а):», "On Tue, … wrote:". */
const WROTE = /(?:wrote|написал\(а\)|написала|написал|пишет|schrieb|a écrit)\s*:$/iu;
/** Gmail and Yandex in Russian: «пн, 26 нояб. 2026 г. в 12:03, Аурелия <a@b.ru>:». */
const ADDRESS_HEADER = /<[^<>\s]{1,200}@[^<>\s]{1,200}> ?:$/u;
const FROM_HEADER = /^(?:from|от|отправитель)\s*:\s*\S/iu;
const SENT_HEADER = /^(?:sent|date|отправлено|дата)\s*:/iu;
const OUTLOOK_RULE = /^_{20,}$/u;

function isHistoryStart(lines: readonly string[], index: number): boolean {
  const line = lines[index]!.trim();
  if (line.length === 0 || line.length > SHORT_LINE) return false;
  if (FORWARD_SEPARATOR.test(line) || FORWARD_INTRO.test(line) || OUTLOOK_RULE.test(line)) return true;
  if (line.endsWith(':') && /\d/u.test(line) && ADDRESS_HEADER.test(line)) return true;
  const looksDated = /[\d@<]/u.test(line);
  if (looksDated && WROTE.test(line)) return true;
  const next = lines[index + 1]?.trim() ?? '';
  // A long "On … wrote:" header wraps onto the next line.
  if (looksDated && next.length < 200 && /^(?:on|в|\p{L}{2},)\s/iu.test(line) && WROTE.test(next))
    return true;
  if (FROM_HEADER.test(line)) {
    for (let ahead = index + 1; ahead <= index + 4 && ahead < lines.length; ahead++) {
      if (SENT_HEADER.test(lines[ahead]!.trim())) return true;
    }
  }
  return false;
}

/**
 * The message without quoted e-mail history: «> …» lines are dropped, and everything from the first
 * reply or forward header («-----Original Message-----», «… написал(а):», "On … wrote:", an
 * Outlook «От: … Отправлено: …» block) on is cut.
 */
export function stripQuotedHistory(text: string): string {
  if (typeof text !== 'string') return '';
  try {
    const lines = text.replace(BLANK_RUN, '\n\n').split(LINE_SPLIT);
    const kept: string[] = [];
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      if (line.trimStart().startsWith('>')) continue;
      if (isHistoryStart(lines, index)) break;
      kept.push(line);
    }
    return kept.join('\n').trimEnd();
  } catch {
    return text;
  }
}

// --- signatures ------------------------------------------------------------------------------

const DEVICE_FOOTER =
  /^(?:sent from|sent via|get outlook for|отправлено (?:из|с|со)|отправлено с помощью|скачайте|download)(?![\p{L}])/iu;
const SIGN_OFF =
  /^(?:с уважением|с наилучшими пожеланиями|с благодарностью|всего (?:доброго|хорошего|наилучшего)|best regards|kind regards|warm regards|regards|best wishes|cheers|sincerely|yours sincerely|yours truly|thanks and regards)(?![\p{L}])/iu;
const SIGN_OFF_INLINE =
  /(?:^|[.!?…]\s{1,3})(?:с уважением|best regards|kind regards|regards)(?![\p{L}])[,.]?[^.!?]{0,60}$/iu;
/** Thanks on its own line before a name: a sign-off only when nothing after it asks anything. */
const THANKS_SIGN_OFF =
  /^(?:заранее спасибо|спасибо(?: заранее| большое| вам)?|благодарю|thanks(?: in advance| a lot)?|thank you(?: in advance)?|many thanks)(?![\p{L}])[ !.,]*$/iu;
const DASH_SEPARATOR = /^(?:--|—|-- |__)$/u;

/** The message without its sign-off («С уважением, …», «--», "Best regards") and device footers. */
export function stripSignature(text: string): string {
  if (typeof text !== 'string') return '';
  try {
    const lines = text.split(LINE_SPLIT).filter((line) => !isDeviceFooter(line.trim()));
    // Counted from the end once, so that looking at "what follows" stays linear.
    const linesAfter = new Array<number>(lines.length + 1).fill(0);
    const longestAfter = new Array<number>(lines.length + 1).fill(0);
    const questionAfter = new Array<boolean>(lines.length + 1).fill(false);
    for (let index = lines.length - 1; index >= 0; index--) {
      const line = lines[index]!.trim();
      linesAfter[index] = linesAfter[index + 1]! + (line.length > 0 ? 1 : 0);
      longestAfter[index] = Math.max(longestAfter[index + 1]!, line.length);
      questionAfter[index] = questionAfter[index + 1]! || line.includes('?');
    }
    let cut = lines.length;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!.trim();
      const rest = linesAfter[index + 1]!;
      if (line.length === 0 || line.length > 80 || rest > 8) continue;
      const isSignOff = SIGN_OFF.test(line) && rest <= 4 && longestAfter[index + 1]! <= 80;
      const isThanksSignOff =
        THANKS_SIGN_OFF.test(line) &&
        rest <= 2 &&
        longestAfter[index + 1]! <= 40 &&
        !questionAfter[index + 1];
      if (DASH_SEPARATOR.test(line) || isSignOff || isThanksSignOff) {
        cut = index;
        break;
      }
    }
    const kept = lines.slice(0, cut);
    const lastIndex = findLastNonEmpty(kept);
    if (lastIndex >= 0) {
      const last = kept[lastIndex]!;
      if (last.length <= SHORT_LINE * 4) {
        const inline = SIGN_OFF_INLINE.exec(last);
        if (inline) kept[lastIndex] = last.slice(0, inline.index + (/^[.!?…]/u.test(inline[0]) ? 1 : 0));
      }
      // A bare name closing the message («…когда привезут? Анна») is a signature too.
      const signOff = bareSignOff(kept[lastIndex]!);
      if (signOff) kept[lastIndex] = kept[lastIndex]!.slice(0, signOff.start).trimEnd();
    }
    return kept.join('\n').trimEnd();
  } catch {
    return text;
  }
}

function isDeviceFooter(line: string): boolean {
  return line.length > 0 && line.length < 120 && DEVICE_FOOTER.test(line);
}

function findLastNonEmpty(lines: readonly string[]): number {
  for (let index = lines.length - 1; index >= 0; index--) {
    if (lines[index]!.trim().length > 0) return index;
  }
  return -1;
}

// --- greetings and pleasantries --------------------------------------------------------------

const GREETING =
  /^(?:здравствуйте|здравствуй|здраствуйте|здрасте|добрый день|добрый вечер|доброе утро|доброй ночи|доброго (?:времени суток|дня|вечера)|приветствую(?: вас)?|привет|hello|hi|hey|good (?:morning|afternoon|evening|day)|greetings|dear)(?![\p{L}])(?: (?:team|all|there|everyone|support team|support|sir or madam|sir|madam|команда|коллеги|друзья|уважаемые|служба поддержки))?/iu;
const RESPECTFUL_ADDRESS = /^уважаем\p{L}{0,4}(?: [\p{L}-]{1,30}){0,4}? ?[,!]/iu;
const NAME_AFTER_GREETING = /^,? ?\p{Lu}\p{Ll}{1,30}(?:[ -]\p{Lu}\p{Ll}{1,30})?(?= ?[,!.])/u;
const LEADING_THANKS =
  /^(?:(?:большое |огромное )?спасибо(?: (?:большое|огромное|вам|за (?:ответ|быстрый ответ|помощь|информацию|оперативность)))*|благодарю(?: вас)?(?: за (?:ответ|помощь|информацию))?|thanks(?: a lot| so much)?(?: for (?:the|your) (?:reply|response|answer|help|quick reply))?|thank you(?: so much| very much)?(?: for (?:the|your) (?:reply|response|answer|help|quick reply))?)(?![\p{L}]) ?[!.,;:)]+/iu;
const TRAILING_PLEASANTRY =
  /(?:^|(?<=[.!?…,)] ?)|(?<=\n))(?:(?:заранее )?(?:большое )?спасибо(?: (?:заранее|большое|огромное|вам|за (?:ответ|помощь|понимание)))*(?:,? что (?:вы )?(?:так |очень )?(?:быстро |оперативно )?(?:отвечаете|ответили|помогаете|помогли|откликнулись))?|благодарю(?: (?:заранее|вас))*|буду (?:очень )?(?:благодарна|благодарен|признательна|признателен)(?: за (?:быстрый |скорый |оперативный )?ответ)?|жду (?:вашего )?ответа|хорошего (?:вам )?(?:дня|вечера)|всего (?:доброго|хорошего|наилучшего)|удачи|(?:thanks|thank you)(?: in advance| a lot| so much| very much)?(?: for (?:replying|answering|getting back(?: to me)?)(?: so (?:quickly|fast))?)?|many thanks|have a (?:nice|good|great) day|looking forward to (?:hearing from you|your reply))(?![\p{L}])[ .!)…:(]*$/iu;
const LEADING_BUT = /^(?:но|однако|but|however)(?![\p{L}]),? ?/iu;
const LEADING_JUNK = /^[\s,.;:!)—–-]+/u;

function stripLeadingPleasantries(text: string): string {
  let result = text;
  for (let round = 0; round < 4; round++) {
    const before = result;
    const greeting = GREETING.exec(result) ?? RESPECTFUL_ADDRESS.exec(result);
    if (greeting) {
      let rest = result.slice(greeting[0].length);
      const name = NAME_AFTER_GREETING.exec(rest);
      if (name) rest = rest.slice(name[0].length);
      result = rest.replace(LEADING_JUNK, '');
    }
    const thanks = LEADING_THANKS.exec(result);
    if (thanks) {
      result = result.slice(thanks[0].length).replace(LEADING_JUNK, '').replace(LEADING_BUT, '');
    }
    if (result === before) break;
  }
  return result;
}

function stripTrailingPleasantries(text: string): string {
  let result = text;
  for (let round = 0; round < 4; round++) {
    // Only the tail is searched: the pattern is anchored at the end, the tail keeps it cheap.
    const tailStart = Math.max(0, result.length - 300);
    const match = TRAILING_PLEASANTRY.exec(result.slice(tailStart));
    if (!match) break;
    result = result.slice(0, tailStart + match.index).trimEnd();
    result = result.replace(/[,;:]$/u, '');
  }
  return result;
}

// --- the whole pipeline ----------------------------------------------------------------------

/** Control, zero-width and direction characters out, line breaks as «\n». */
export function removeInvisible(text: string): string {
  return text
    .replace(LINE_BREAK, '\n')
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(BLANK_RUN, '\n\n');
}

export interface CleanOptions {
  /** Keep line breaks (one per line, blank lines dropped) for sentence splitting; default false. */
  keepLineBreaks?: boolean;
}

/**
 * What retrieval should see of a message: no HTML, no quoted history, no signature or device
 * footer, no greeting or thanks at the start or end, no URLs, one line with single spaces.
 * Never throws; returns '' for anything that is not a string.
 */
export function cleanForRetrieval(text: string, options: CleanOptions = {}): string {
  if (typeof text !== 'string') return '';
  try {
    // Entities are decoded after the tags go, so «&lt;b&gt;» stays text; decoding can bring back
    // invisible characters, hence the second pass.
    let result = removeInvisible(decodeEntities(stripHtml(removeInvisible(text))));
    result = stripSignature(stripQuotedHistory(result));
    result = result.replace(URL, ' ');
    result = options.keepLineBreaks
      ? result.replace(SPACES_BUT_NEWLINE, ' ').replace(LINE_GAP, '\n').trim()
      : result.replace(WHITESPACE, ' ').trim();
    result = stripTrailingPleasantries(stripLeadingPleasantries(result));
    return result.replace(LEADING_JUNK, '').trim();
  } catch {
    return text.replace(WHITESPACE, ' ').trim();
  }
}
