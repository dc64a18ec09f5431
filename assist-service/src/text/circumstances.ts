/**
 * When something happened, as customers add it to a request («хочу вернуть браслет, купила на
 * прошлой неделе», "I bought it last week"): a past time is a circumstance, not what is asked. No
 * entry of a knowledge base says «на прошлой неделе», so the words would count as a part of the
 * question nothing answers and halve the confidence in the answer that fits.
 *
 * Only references to the past: a coming day («к пятнице», «1 января») can be the question itself.
 */
const PAST_TIME = new RegExp(
  [
    // «вчера», «позавчера», «на днях», «недавно» is left: «купил их недавно» is how a warranty
    // question is asked.
    String.raw`(?:поза)?вчера(?:шн\p{L}*)?`,
    String.raw`на\s+днях`,
    // «на прошлой неделе», «в прошлом месяце», «в позапрошлом году», «на этой неделе»
    String.raw`(?:на|в)\s+(?:поза)?прошл\p{L}*\s+(?:недел\p{L}*|месяц\p{L}*|год\p{L}*)`,
    // «неделю назад», «3 дня назад», «пару недель назад», «месяц назад»
    String.raw`(?:(?:\d{1,3}|пару|несколько|два|две|три|четыре|пять|полгода)\s+)?(?:дн(?:я|ей)|день|недел\p{L}*|месяц\p{L}*|полгода|год\p{L}*|лет|час\p{L}*)\s+назад`,
    'yesterday',
    String.raw`the\s+day\s+before\s+yesterday`,
    String.raw`the\s+other\s+day`,
    String.raw`last\s+(?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`,
    String.raw`(?:(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|a\s+few|a\s+couple\s+of|several)\s+)?(?:days?|weeks?|months?|years?|hours?)\s+ago`,
  ]
    .map((pattern) => `(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}])`)
    .join('|'),
  'giu',
);

/** The text without its references to a past time («вчера», «на прошлой неделе», "last week"). */
export function withoutPastTime(text: string): string {
  return text.replace(PAST_TIME, ' ').replace(/[ \t]{2,}/gu, ' ');
}
