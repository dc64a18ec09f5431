import { describe, expect, it } from 'vitest';
import { findPhrase, wordTokens } from './tokens.ts';

const found = (text: string, phrase: string, maxGap = 1) =>
  findPhrase(wordTokens(text), phrase, maxGap).map((match) => text.slice(match.start, match.end));

describe('findPhrase', () => {
  it('finds a phrase in other forms of its words, with a word between them', () => {
    expect(found('Мы вернём вам деньги завтра', 'вернуть деньги')).toEqual(['вернём вам деньги']);
    expect(found('Мы вернём вам деньги завтра', 'вернуть деньги', 0)).toEqual([]);
  });

  it('tells apart words whose stems are only three letters long, in the phrase or in the text', () => {
    // «обман» and «обменять» both stem to «обм…»: the letter after the stem decides.
    expect(found('Цепочка порвалась, хочу обменять', 'обман')).toEqual([]);
    expect(found('Это обман! Не терплю обмана', 'обман')).toEqual(['обман', 'обмана']);
    expect(found('Это обман, а не брак', 'обменять')).toEqual([]);
    expect(found('Хочу обменять кольцо', 'обменять')).toEqual(['обменять']);
  });

  it('does not take a three-letter word for the start of a longer one', () => {
    // «пор» of «до сих пор» stems to «пор», which starts «порва…» («порвалась»).
    expect(found('Заказ до сих пор не пришёл', 'порвалась')).toEqual([]);
    expect(found('Цепочка порвалась', 'порвалась')).toEqual(['порвалась']);
    expect(found('Цепочка порвалась, заказ до сих пор не пришёл', 'порвалась')).toEqual(['порвалась']);
  });
});
