import { describe, expect, it } from 'vitest';
import { analyze } from '../text/analyze.ts';
import { createTransliterator, soundSpelling } from './transliteration.ts';

const collection = createTransliterator(
  analyze(
    'Перенести видео с YouTube можно в Студии. Приложение есть для Android и iOS, на телевизорах Samsung. ' +
      'Shorts монетизируются. Комментарии к видео. Пространство канала. Напишите в Google Play. Вайлдберриз.',
  ),
);
const equivalentsOf = (word: string) => analyze(word).flatMap((stem) => collection.equivalents(stem));

describe('transliteration', () => {
  it('reads brand names customers write in Cyrillic as the Latin names the knowledge uses', () => {
    expect(equivalentsOf('ютуба')).toEqual(['youtub']);
    expect(equivalentsOf('андроиде')).toEqual(['android']);
    expect(equivalentsOf('самсунга')).toEqual(['samsung']);
    expect(equivalentsOf('шортс')).toEqual(['short']);
    expect(equivalentsOf('гугл')).toEqual(['googl']);
  });

  it('reads a Latin spelling as the Cyrillic word the knowledge uses', () => {
    expect(soundSpelling('вайлдберриз')).toBe(soundSpelling('vaildberiz'));
    expect(equivalentsOf('vaildberriz')).toEqual(analyze('Вайлдберриз'));
  });

  it('does not take a Russian word for a Latin one that merely shares its consonants', () => {
    expect(equivalentsOf('комнате')).toEqual([]);
    expect(equivalentsOf('спс')).toEqual([]);
    expect(equivalentsOf('ок')).toEqual([]);
  });

  it('finds no twin where the knowledge has none: a word written one way only, a word with digits', () => {
    expect(collection.equivalents('видео')).toEqual([]);
    expect(collection.equivalents('youtub')).toEqual([]);
    expect(collection.equivalents('mp4')).toEqual([]);
  });
});
