/**
 * Word lists for the sentiment of retail support messages, Russian and English. Entries are
 * prefixes of lower-cased, ё→е words unless marked exact ("=word"); weights are per occurrence.
 * Kept as data so that adding a word is a one-line change with a test beside it.
 */

export interface LexiconEntry {
  /** A word prefix, or an exact word when it starts with "=". */
  form: string;
  weight: number;
}

function entries(weight: number, forms: string): LexiconEntry[] {
  return forms
    .split(/\s+/u)
    .filter(Boolean)
    .map((form) => ({ form, weight }));
}

export const NEGATIVE_WORDS: readonly LexiconEntry[] = [
  ...entries(
    -1.5,
    'ужасн ужас отвратит кошмар безобраз мерзк отврат позор хамств хамск =хам =хамы =хамит издева разочаров возмут возмущ бесит бесят недопустим омерзит',
  ),
  ...entries(
    -1,
    'плох недовол обман брак =бракованный =бракованное =бракованная =бракованные сломал слома порвал треснул облез потемнел почернел окислил груб расстро огорч надоел =достали =достал игнор задерж опоздал опоздан жутк гадост злюсь =зла =злой безответствен некомпетент непрофессионал',
  ),
  ...entries(-1.5, 'terrible awful horrible disgust worst unacceptabl outrag ridiculous =rude =hate'),
  ...entries(
    -1,
    'disappoint angry upset broken =bad poor damag defect annoy frustrat useless incompet unprofessional tarnish scratch delay =late =wrong',
  ),
];

export const POSITIVE_WORDS: readonly LexiconEntry[] = [
  ...entries(0.3, '=спасибо =благодарю =thanks =thank'),
  ...entries(
    1,
    'отличн прекрасн замечательн великолеп восхит восторг =супер =класс классн =доволен =довольна =довольны =довольным хорош понрав нравит =рада =рад =люблю красив =круто крут молодц оперативн помогл здорово чудесн шикарн идеальн =неплохо',
  ),
  ...entries(0.6, 'благодар быстро вежлив'),
  ...entries(
    1,
    'great excellent =love =loved happy perfect awesome amazing wonderful =good =nice beautiful pleased appreciat helpful fantastic',
  ),
];

/** Words after which the next few words count the other way. */
export const NEGATORS: ReadonlySet<string> = new Set(
  'не ни нет никак никогда ничего not no never nothing cannot t'.split(' '),
);

/** Neutral verbs that are a complaint when negated: «не пришёл», "hasn't arrived". */
export const NEGATED_COMPLAINTS: readonly string[] = [
  'приш',
  'получ',
  'работа',
  'отвеча',
  'ответил',
  'достав',
  'привез',
  'вернул',
  'перезвон',
  'связал',
  'начисл',
  'меняетс',
  'arriv',
  'receiv',
  'work',
  'respond',
  'answer',
  'deliver',
  'refund',
  'credit',
  'repl',
];

/**
 * Still waiting for what was due, with no complaint word to carry it: «до сих пор нет», «всё ещё
 * ничего», "still no refund". Each occurrence counts as one negative word.
 */
export const WAITING_COMPLAINTS: readonly RegExp[] = [
  /(?<![\p{L}])(?:до сих пор|вс[её] ещ[её]|вс[её] никак|пока так и)\s+(?:нет|ничего|никого|никакого|никакой)(?![\p{L}])/giu,
  // «должен был прийти вчера, а его нет»: what was due has not come.
  /(?<![\p{L}])(?:а|но)\s+(?:его|её|ее|их)\s+(?:вс[её] ещ[её]\s+|так и\s+|до сих пор\s+)?нет(?![\p{L}])/giu,
  /(?<![\p{L}])долж(?:ен|на|но|ны)\s+(?:был\p{L}{0,2}\s+)(?:прийти|приехать|привезти|доставить|прибыть|поступить|быть)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:should have|was supposed to|were supposed to)\s+(?:arrived?|been delivered|be delivered|come)(?![\p{L}])/giu,
  /(?<![\p{L}])so far nothing(?![\p{L}])|(?<![\p{L}])still (?:no|nothing|not|hasn't|haven't|isn't|waiting)(?![\p{L}])/giu,
];

export const INTENSIFIERS: ReadonlySet<string> = new Set(
  'очень совсем крайне абсолютно вообще слишком полностью настолько так такой такая такое просто большое огромное very extremely really so totally absolutely completely utterly'.split(
    ' ',
  ),
);

/** Threats and insults: a strong negative whatever else the message says. */
export const STRONG_PATTERNS: readonly RegExp[] = [
  /роспотребнадзор\p{L}*/giu,
  /(?<![\p{L}])(?:суд|суда|суде|судом|суду|судебн\p{L}*|судиться|засужу)(?![\p{L}])/giu,
  /(?<![\p{L}])претензи\p{L}*/giu,
  /(?<![\p{L}])прокуратур\p{L}*/giu,
  /(?<![\p{L}])(?:защит\p{L}* прав потребител\p{L}*|озпп|зозпп)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:в полицию|полици\p{L}*)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:юрист\p{L}*|адвокат\p{L}*)/giu,
  /(?<![\p{L}])(?:напиш\p{L}*|остав\p{L}*|опублику\p{L}*|выложу|размещу)(?: \p{L}{1,12}){0,2} отзыв\p{L}*/giu,
  /(?<![\p{L}])(?:плох\p{L}*|негативн\p{L}*|отрицательн\p{L}*|гневн\p{L}*) отзыв\p{L}*/giu,
  /(?<![\p{L}])(?:мошенник\p{L}*|мошенничеств\p{L}*|обманщик\p{L}*|жулик\p{L}*|развод\p{L}{0,3} на деньги)/giu,
  /(?<![\p{L}])(?:идиот\p{L}*|дебил\p{L}*|туп(?:ые|ой|ая|ица|ицы)|урод\p{L}*|кретин\p{L}*|придур\p{L}*|дура|дурак\p{L}*|бездар\p{L}*|быдло|клоун\p{L}*)(?![\p{L}])/giu,
  /(?<![\p{L}])(?:lawyer|attorney|sue|suing|lawsuit|court|legal action|consumer protection|chargeback)s?(?![\p{L}])/giu,
  /(?<![\p{L}])(?:write|leave|post)(?: \p{L}{1,12}){0,2} (?:bad |negative |1-star |one-star )?review/giu,
  /(?<![\p{L}])(?:scam|scammers?|fraud|idiots?|stupid|morons?|incompetent clowns|clowns)(?![\p{L}])/giu,
];

/** Upper-case words that are names, not shouting. */
export const ACRONYMS: ReadonlySet<string> = new Set(
  'СДЭК ООО ОАО ЗАО ПАО ИНН КПП БИК РФ МСК ПВЗ СМС SMS USD RUB EUR DHL UPS EMS ASAP FAQ URL OK ОК ВКОНТАКТЕ WB OZON'.split(
    ' ',
  ),
);
