/**
 * What kind of answer a question asks for: a reason («почему»), an amount or a duration
 * («сколько», «как долго»), a time («когда»), a place («где»), a person («кто»), what something is
 * or what to do («что такое», «что делать»), a yes or a no («можно ли»), a way («как»), a choice
 * among options («какой»). «Сколько баллов начислят» and «Когда начисляются баллы» share their
 * words and ask different things; an entry written as an answer to the same kind of question is
 * evidence the lexical signals do not see (the retriever's `askedKind` weight).
 *
 * The list is general Russian and English grammar, written before it was measured; the kinds are
 * tried in this order and the first that matches names the question («Почему и как…» asks why).
 */
export type AskedKind = 'why' | 'amount' | 'when' | 'where' | 'who' | 'what' | 'yes-no' | 'how' | 'which';

const RU = '(?<![\\p{L}])';
const END = '(?![\\p{L}])';

function words(list: readonly string[]): RegExp {
  return new RegExp(`${RU}(?:${list.join('|')})${END}`, 'u');
}

const KINDS: ReadonlyArray<readonly [AskedKind, RegExp]> = [
  ['why', words(['почему', 'зачем', 'отчего', 'по какой причине', 'why', 'how come'])],
  [
    'amount',
    words([
      'сколько',
      'как долго',
      'какой срок',
      'каков срок',
      'какие сроки',
      'how much',
      'how many',
      'how long',
    ]),
  ],
  ['when', words(['когда', 'в какое время', 'через какое время', 'when'])],
  ['where', words(['где', 'куда', 'откуда', 'where'])],
  ['who', words(['кто', 'кому', 'кого', 'кем', 'who', 'whom'])],
  [
    'what',
    words([
      'что такое',
      'что это',
      'это что',
      'что значит',
      'что означает',
      'что за',
      'что делать',
      'что будет',
      'что происходит',
      'what is',
      'what are',
      'what does',
      'what happens',
      'what should',
      'what to do',
    ]),
  ],
  ['yes-no', words(['ли', 'can i', 'can you', 'do you', 'does', 'is it', 'are there', 'is there', 'will'])],
  // «так как», «как будто», «как раз», «как обычно» are not questions.
  ['how', /(?<![\p{L}])(?<!так )(?:как|каким образом|how)(?! будто| раз| обычно)(?![\p{L}])/u],
  ['which', words(['какой', 'какая', 'какие', 'какое', 'каких', 'каким', 'какую', 'какого', 'which'])],
];

function kindOf(text: string): AskedKind | undefined {
  const lower = text.toLowerCase().replaceAll('ё', 'е');
  for (const [kind, pattern] of KINDS) if (pattern.test(lower)) return kind;
  return undefined;
}

/**
 * The kind of question a customer's message asks: read in its sentences that end with «?» when it
 * has any (the context around them tells the story, not the question), else in the whole message.
 * Undefined when no question word is there («не загружается видео»).
 */
export function askedKind(message: string): AskedKind | undefined {
  const asking = message.match(/[^.!?\n]*\?/gu) ?? [];
  return (asking.length > 0 ? kindOf(asking.join(' ')) : undefined) ?? kindOf(message);
}

/** The kinds of question an entry answers, one per phrasing (title, question, sample questions). */
export function answeredKinds(phrasings: readonly string[]): Set<AskedKind> {
  const kinds = new Set<AskedKind>();
  for (const phrasing of phrasings) {
    const kind = kindOf(phrasing);
    if (kind) kinds.add(kind);
  }
  return kinds;
}
