import { describe, expect, it } from 'vitest';
import { detectRating, ratingFromFields } from './rating.ts';

describe('detectRating', () => {
  it.each<[string, number | undefined]>([
    ['★☆☆☆☆ Кольцо потемнело через неделю', 1],
    ['Оценка: 2. Застёжка сломалась', 2],
    ['оценка 1 из 5, не рекомендую', 1],
    ['Поставила 1 из 5, серьги пришли в мятой коробке', 1],
    ['1 звезда, и то много', 1],
    ['Rating: 2/5. The chain is thinner than in the photo', 2],
    ['Only 1 star from me', 1],
    ['⭐⭐⭐⭐⭐ всё отлично', 5],
    ['Спасибо ⭐', undefined],
    ['Купила 2 кольца и 1 браслет', undefined],
    ['Заказ 12345, оплата 1/5 частями', undefined],
    ['Размер 17, пришёл 16', undefined],
  ])('reads «%s» as %j', (text, stars) => {
    expect(detectRating(text)?.stars).toBe(stars);
  });
});

describe('ratingFromFields', () => {
  it('reads a rating the page put on the card', () => {
    expect(ratingFromFields({ rating: '1' })?.stars).toBe(1);
    expect(ratingFromFields({ Оценка: '2 из 5' })?.stars).toBe(2);
    expect(ratingFromFields({ rating: 'отлично' })).toBeUndefined();
    expect(ratingFromFields({ order: '2' })).toBeUndefined();
    expect(ratingFromFields(undefined)).toBeUndefined();
  });
});
