/**
 * HTML to text for messages pasted from e-mail clients. Not a parser: enough to drop markup,
 * scripts, styles and quoted blocks in linear time on hostile input.
 */

/** Elements whose whole content is dropped: code, metadata, and quoted replies. */
const DROPPED_ELEMENT = /<(\/?)(script|style|head|title|blockquote)(?![\w-])[^<>]{0,1000}>/giu;
const BLOCK_TAG =
  /<\/?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|hr|pre)(?![\w-])[^<>]{0,1000}>/giu;
const ANY_TAG = /<\/?[a-z][a-z0-9:-]{0,30}(?:\s[^<>]{0,1000})?\/?>/giu;
const DECLARATION = /<![^<>]{0,1000}>/gu;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/giu;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  laquo: '«',
  raquo: '»',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  minus: '−',
  times: '×',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  deg: '°',
  middot: '·',
  bull: '•',
  shy: '',
  zwnj: '',
  zwj: '',
  thinsp: ' ',
  ensp: ' ',
  emsp: ' ',
  numero: '№',
};

function removeComments(text: string): string {
  if (!text.includes('<!--')) return text;
  const parts: string[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('<!--', position);
    if (open < 0) break;
    parts.push(text.slice(position, open));
    const close = text.indexOf('-->', open + 4);
    position = close < 0 ? text.length : close + 3;
  }
  parts.push(text.slice(position));
  return parts.join('');
}

/** Drops script/style/head/blockquote elements with their content; nesting counted, unclosed runs to the end. */
function removeDroppedElements(text: string): string {
  const parts: string[] = [];
  let keptFrom = 0;
  let depth = 0;
  let name = '';
  DROPPED_ELEMENT.lastIndex = 0;
  for (let match = DROPPED_ELEMENT.exec(text); match; match = DROPPED_ELEMENT.exec(text)) {
    const closing = match[1] === '/';
    const tagName = match[2]!.toLowerCase();
    if (depth === 0) {
      if (closing) continue;
      parts.push(text.slice(keptFrom, match.index), '\n');
      depth = 1;
      name = tagName;
    } else if (tagName === name) {
      depth += closing ? -1 : 1;
      if (depth === 0) keptFrom = match.index + match[0].length;
    }
  }
  if (depth === 0) parts.push(text.slice(keptFrom));
  return parts.join('');
}

/** Text of an HTML fragment: block elements become line breaks, other tags disappear. */
export function stripHtml(text: string): string {
  if (!/<[a-z!/]/iu.test(text)) return text;
  return removeDroppedElements(removeComments(text))
    .replace(BLOCK_TAG, '\n')
    .replace(ANY_TAG, '')
    .replace(DECLARATION, '');
}

/** Decodes character references (`&amp;`, `&#171;`, `&#x2014;`); unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
      const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return ' ';
      if (code < 0x20 && code !== 0x0a && code !== 0x09) return ' ';
      return String.fromCodePoint(code);
    },
  );
}
