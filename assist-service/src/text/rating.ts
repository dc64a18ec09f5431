/**
 * The customer's rating on a five-point scale, as marketplaces and review sites show it: «★☆☆☆☆»,
 * «Оценка: 1», «2 из 5», «1 звезда», "Rating: 2/5", "1 star". A bad rating is a reason to escalate
 * even when the words are calm. Numbers that are not about a rating («2 кольца», «заказ 1/5»
 * without a rating word) are not taken.
 */

export interface Rating {
  /** 1…5. */
  stars: number;
  raw: string;
}

const STAR_GLYPHS = /([★⭐]{1,5})(☆{0,4})(?![★⭐☆])/u;
const RATING_WORD = String.raw`(?:оценк\p{L}{0,3}|рейтинг\p{L}{0,2}|rating|rated|score)`;
const SCALE = String.raw`(?:[ \t]{0,2}(?:из|/|out of|of)[ \t]{0,2}5(?![\p{N}]))`;
const STAR_WORD = String.raw`(?:звезд\p{L}{0,3}|звёзд\p{L}{0,3}|балл\p{L}{0,2}|stars?)`;
const PATTERNS = [
  // «Оценка: 1», «оценка 2 из 5», "Rating: 1/5", "rated 2 stars"
  new RegExp(
    String.raw`${RATING_WORD}[ \t]{0,3}[:—–-]?[ \t]{0,3}([1-5])(?![\p{N}]|[.,]\p{N})${SCALE}?`,
    'iu',
  ),
  // «1 звезда», «2 из 5 звёзд», "1 star", "2 out of 5 stars"
  new RegExp(String.raw`(?<![\p{N}.,])([1-5])${SCALE}?[ \t]{0,2}${STAR_WORD}(?![\p{L}])`, 'iu'),
  // «поставила 1 из 5», "gave it 2/5" (a scale is required: «поставила 2 кольца» is no rating)
  new RegExp(String.raw`(?:постав\p{L}{0,4}|gave|give)(?:[ \t]{1,3}it)?[ \t]{1,3}([1-5])${SCALE}`, 'iu'),
];

/** The first rating found in the text, or undefined. */
export function detectRating(text: string): Rating | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const sample = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const glyphs = STAR_GLYPHS.exec(sample);
  if (glyphs) {
    // «★★☆☆☆» or «⭐⭐⭐⭐⭐»: five marks in all; a lone «⭐» is decoration.
    const filled = [...glyphs[1]!].length;
    if (filled + glyphs[2]!.length === 5) return { stars: filled, raw: glyphs[0] };
  }
  for (const pattern of PATTERNS) {
    const match = pattern.exec(sample);
    if (match) return { stars: Number(match[1]), raw: match[0] };
  }
  return undefined;
}

/** A rating the page put on the customer card («rating», «stars», «оценка»), when it is 1…5. */
export function ratingFromFields(fields: Readonly<Record<string, string>> | undefined): Rating | undefined {
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (!/^(?:rating|stars|score|оценка|рейтинг)$/iu.test(name.trim())) continue;
    const match = /^\s*([1-5])(?:[.,]0)?\s*(?:(?:из|\/|of)\s*5)?\s*$/iu.exec(value);
    if (match) return { stars: Number(match[1]), raw: value.trim() };
  }
  return undefined;
}
