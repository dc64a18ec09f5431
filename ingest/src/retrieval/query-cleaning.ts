/**
 * What a customer types around the question: greetings, introductions, thanks, links,
 * zero-width characters. Stop-words already keep most of it out of the full-text index, but it
 * still pulls character n-grams and embeddings towards other messages that greet the same way
 * («Здравствуйте! Меня зовут Дмитрий…» resembles every other greeting more than the question).
 * Cleaning is conservative: when it would leave nothing, the original text is searched.
 */

const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"«»]+/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const MENTION = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_]{2,}/gu;

/** A greeting or form of address that opens a message, as a whole clause. */
const LEADING_GREETING = new RegExp(
  '^(?:' +
    [
      'здравствуйте',
      'здраствуйте',
      'здрасте',
      'здравствуй',
      'добрый\\s+(?:день|вечер|утро|ночи)',
      'доброе\\s+утро',
      'доброго\\s+(?:дня|времени\\s+суток)',
      'доброй\\s+ночи',
      'приветствую',
      'привет',
      'салют',
      'hello',
      'hi',
      'hey',
      'good\\s+(?:morning|afternoon|evening|day)',
      'greetings',
    ].join('|') +
    String.raw`)(?![\p{L}\p{N}])(?:\s+(?:всем|there|team|all)(?![\p{L}\p{N}]))?[\s,!.:;)(-]*`,
  'iu',
);

/** «Меня зовут Дмитрий.», "My name is Anna," — an introduction up to the end of its clause. */
const INTRODUCTION = /(?:^|(?<=[.!?,]\s*))(?:[Мм]еня\s+зовут|[Mm]y\s+name\s+is)\s+\p{Lu}[\p{L}-]*[.!,]?\s*/gu;

/** Thanks and sign-offs that close a message. */
const TRAILING_THANKS = new RegExp(
  String.raw`(?:[\s,.!]*(?:` +
    [
      'заранее\\s+спасибо',
      'спасибо\\s+заранее',
      'заранее\\s+благодарю',
      'спасибо(?:\\s+большое)?',
      'благодарю',
      'с\\s+уважением[^\\n]*',
      'thanks?(?:\\s+(?:you|in\\s+advance|a\\s+lot))*',
      'regards[^\\n]*',
    ].join('|') +
    String.raw`)[\s,.!)(]*)+$`,
  'iu',
);

/** Text with links, addresses, zero-width characters and pleasantries removed; never empty when the input was not. */
export function cleanQuery(text: string): string {
  const stripped = text
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(MENTION, ' ');
  let cleaned = stripped.trim();
  for (let pass = 0; pass < 3; pass++) {
    const next = cleaned.replace(LEADING_GREETING, '').replace(INTRODUCTION, '').trim();
    if (next === cleaned) break;
    cleaned = next;
  }
  cleaned = cleaned.replace(TRAILING_THANKS, '').replace(/\s+/gu, ' ').trim();
  if (/[\p{L}\p{N}]/u.test(cleaned)) return cleaned;
  const fallback = stripped.replace(/\s+/gu, ' ').trim();
  return fallback || text.trim();
}
