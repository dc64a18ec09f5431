import { languageKey } from './search-filter.ts';

/**
 * What the in-memory indexes filter on, per slot: kind and language as one-byte codes, tags as
 * one bitset per tag. A filter becomes a predicate over slots that costs a few array reads, so
 * filtering happens inside the ranking loop instead of on an over-fetched pool afterwards.
 */
export interface AttributeFilter {
  kinds?: readonly string[];
  languages?: readonly string[];
  /** Tag tokens (`tagToken()`); a slot matches when it carries any of them. */
  tagTokens?: readonly string[];
}

export interface SlotAttributes {
  /**
   * Records a slot's attributes; the indexes never reuse a slot, so each is set once (or again
   * after a call that threw, which records nothing).
   */
  set(slot: number, kind: string, language: string, tagTokens: readonly string[]): void;
  /** Undefined when the filter lets every slot through. */
  predicate(filter: AttributeFilter | undefined): ((slot: number) => boolean) | undefined;
}

export function createSlotAttributes(): SlotAttributes {
  let kindCodes = new Uint8Array(1024);
  let languageCodes = new Uint8Array(1024);
  const kindTable = new Map<string, number>();
  const languageTable = new Map<string, number>();
  const tagBits = new Map<string, Uint32Array>();

  const code = (table: Map<string, number>, value: string): number => {
    let result = table.get(value);
    if (result === undefined) {
      result = table.size + 1;
      if (result > 255) throw new Error('index: more than 255 distinct kinds or languages');
      table.set(value, result);
    }
    return result;
  };
  const codeSet = (table: Map<string, number>, values: readonly string[]): Uint8Array => {
    const set = new Uint8Array(256);
    for (const value of values) {
      const valueCode = table.get(value);
      if (valueCode !== undefined) set[valueCode] = 1;
    }
    return set;
  };

  return {
    set(slot, kind, language, tagTokens) {
      if (slot >= kindCodes.length) {
        let length = kindCodes.length;
        while (length <= slot) length *= 2;
        kindCodes = enlarge(kindCodes, length);
        languageCodes = enlarge(languageCodes, length);
      }
      // Both codes before writing either, so a refused slot keeps nothing of this call.
      const kindCode = code(kindTable, kind);
      const languageCode = code(languageTable, languageKey(language));
      kindCodes[slot] = kindCode;
      languageCodes[slot] = languageCode;
      for (const token of tagTokens) {
        let bits = tagBits.get(token);
        if (!bits || bits.length <= slot >>> 5) {
          const grown = new Uint32Array(Math.max(32, ((kindCodes.length >>> 5) + 1) * 2));
          if (bits) grown.set(bits);
          bits = grown;
          tagBits.set(token, bits);
        }
        bits[slot >>> 5] = bits[slot >>> 5]! | (1 << (slot & 31));
      }
    },

    predicate(filter) {
      const kinds = filter?.kinds?.length ? codeSet(kindTable, filter.kinds) : undefined;
      const languages = filter?.languages?.length
        ? codeSet(languageTable, filter.languages.map(languageKey))
        : undefined;
      let tags: Uint32Array | undefined;
      if (filter?.tagTokens?.length) {
        let length = 0;
        for (const token of filter.tagTokens) length = Math.max(length, tagBits.get(token)?.length ?? 0);
        tags = new Uint32Array(length);
        for (const token of filter.tagTokens) {
          const bits = tagBits.get(token);
          if (bits) for (let word = 0; word < bits.length; word++) tags[word] = tags[word]! | bits[word]!;
        }
      }
      if (!kinds && !languages && !tags) return undefined;
      return (slot) =>
        (!kinds || kinds[kindCodes[slot]!] === 1) &&
        (!languages || languages[languageCodes[slot]!] === 1) &&
        (!tags || ((tags[slot >>> 5] ?? 0) & (1 << (slot & 31))) !== 0);
    },
  };
}

function enlarge(array: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(length);
  next.set(array);
  return next;
}
