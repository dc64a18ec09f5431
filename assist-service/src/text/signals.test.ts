import { describe, expect, it } from 'vitest';
import {
  askedQuantities,
  asksInAdvance,
  asksYesNo,
  detectConversationLanguage,
  detectHurry,
  detectSentiment,
  hasReservation,
  reportsMisfit,
} from './signals.ts';
import type { ConversationMessage, SentimentLabel } from './types.ts';

describe('detectSentiment', () => {
  it.each<[string, SentimentLabel, boolean]>([
    ['Заказ так и не пришёл, это ужасно!!!', 'negative', false],
    ['Кольцо потемнело через неделю, очень разочарована', 'negative', false],
    ['Серьги не понравились', 'negative', false],
    ['Курьер не приехал и никто не отвечает', 'negative', false],
    ['ГДЕ МОЙ ЗАКАЗ???', 'negative', false],
    ['Спасибо большое, всё пришло, очень довольна!', 'positive', false],
    ['Браслет очень красивый, спасибо!', 'positive', false],
    ['Добрый день, подскажите размер кольца', 'neutral', false],
    ['Заранее спасибо, где мой заказ?', 'neutral', false],
    ['Довольно долго идёт доставка', 'neutral', false],
    ['Если не вернёте деньги, пойду в суд', 'negative', true],
    ['Напишу жалобу в Роспотребнадзор', 'negative', true],
    ['Отправлю претензию и напишу отзыв везде', 'negative', true],
    ['Спасибо, но вы мошенники', 'negative', true],
    ['Вы там идиоты?', 'negative', true],
    ['My order has not arrived, this is unacceptable!', 'negative', false],
    ['The clasp is broken and I am very disappointed', 'negative', false],
    ['Thanks, the ring is beautiful', 'positive', false],
    ['Where is my order?', 'neutral', false],
    ['I will contact my lawyer', 'negative', true],
    ['I will leave a bad review', 'negative', true],
    ['', 'neutral', false],
    // Three signs of anger (shouting, «!!!»/«???», pressing words) make a complaint strong.
    ['ЭТО ПРОСТО НЕВОЗМОЖНО!!! Жду возврат денег, сделайте сегодня же', 'negative', true],
    ['Why is my parcel STILL not here??? I need it RIGHT NOW', 'negative', true],
    ['Посылка до сих пор нет, подскажите', 'negative', false],
    ['Бонусы так и не начислили', 'negative', false],
    // What was due and has not come is a complaint without a complaint word.
    ['Посылка должна была прийти в пятницу', 'negative', false],
    ['Курьер обещал приехать утром, а его нет', 'negative', false],
    ['My order should have arrived on Monday', 'negative', false],
    ['Когда должен прийти заказ?', 'neutral', false],
    // A complaint the customer only supposes («если не понравится») is none; «если честно» is no condition.
    ['Курьер привезёт браслет завтра. Если не понравится, могу не брать?', 'neutral', false],
    ["If the ring doesn't fit or looks bad, can I refuse it?", 'neutral', false],
    ['Если честно, качество ужасное', 'negative', false],
    ['Серьги не понравились, если что могу прислать фото', 'negative', false],
  ])('reads «%s» as %s (strong: %s)', (text, label, strong) => {
    const sentiment = detectSentiment(text);
    expect(sentiment.label).toBe(label);
    expect(sentiment.strong).toBe(strong);
    expect(sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(sentiment.score).toBeLessThanOrEqual(1);
  });

  it('reads «не только …, но и …» as praise, not a denial', () => {
    expect(detectSentiment('Не только красивые, но и удобные серьги, спасибо!').label).toBe('positive');
    expect(detectSentiment('Серьги не красивые').label).not.toBe('positive');
  });

  it('names the negated phrase and the shouting among its cues', () => {
    expect(detectSentiment('Заказ так и не пришёл, это ужасно!!!').cues).toEqual([
      'не пришёл',
      'ужасно',
      '!!!',
    ]);
    expect(detectSentiment('ГДЕ МОЙ ЗАКАЗ???').cues).toContain('CAPS');
  });

  it('puts threats first among the cues and scores them at most -0.8', () => {
    const sentiment = detectSentiment('Спасибо за быстрый ответ, но я подам в суд');
    expect(sentiment.cues[0]).toBe('суд');
    expect(sentiment.score).toBeLessThanOrEqual(-0.8);
  });

  it('makes an intensified complaint stronger than a plain one', () => {
    expect(detectSentiment('очень плохо').score).toBeLessThan(detectSentiment('плохо').score);
  });

  it('does not take «судя по всему» or «СДЭК» for a threat or shouting', () => {
    const sentiment = detectSentiment('Судя по всему, СДЭК ПВЗ перенёс');
    expect(sentiment.strong).toBe(false);
    expect(sentiment.cues).not.toContain('CAPS');
  });
});

describe('detectHurry', () => {
  it.each<[string, string[]]>([
    ['Срочно! Сколько можно ждать?', ['Срочно', 'Сколько можно ждать']],
    ['Жду ответа уже третий день', ['Жду ответа уже']],
    ['Уже неделю жду заказ', ['Уже неделю жду']],
    ['Пожалуйста, побыстрее', ['побыстрее']],
    ['Ответьте как можно скорее', ['как можно скорее']],
    ['Пишу уже третий раз', ['Пишу уже третий раз']],
    ['Где заказ???', ['???']],
    ['Please reply asap', ['asap']],
    ['This is URGENT, still waiting for a refund', ['URGENT', 'still waiting']],
  ])('hears hurry in «%s»', (text, cues) => {
    expect(detectHurry(text)).toEqual({ hurry: true, cues });
  });

  it.each([
    'Подскажите размер кольца',
    'Когда будет доставка?',
    'Доставили быстрее, чем обещали',
    'When will it arrive?',
  ])('hears no hurry in «%s»', (text) => {
    expect(detectHurry(text)).toEqual({ hurry: false, cues: [] });
  });
});

describe('detectConversationLanguage', () => {
  const turn = (role: ConversationMessage['role'], text: string): ConversationMessage => ({ role, text });

  it.each<[string, ConversationMessage[], 'ru' | 'en']>([
    ['a Russian chat', [turn('customer', 'Где мой заказ?'), turn('operator', 'Сейчас проверю')], 'ru'],
    ['an English chat', [turn('customer', 'Where is my order?'), turn('operator', 'Let me check')], 'en'],
    [
      'a customer who switched to English in the latest turns',
      [
        turn('customer', 'Здравствуйте'),
        turn('customer', 'Sorry, English please'),
        turn('customer', 'Where is my ring?'),
      ],
      'en',
    ],
    [
      'one English word after Russian turns',
      [
        turn('customer', 'Где мой заказ, уже неделю жду'),
        turn('customer', 'Когда привезут?'),
        turn('customer', 'ok'),
      ],
      'ru',
    ],
    ['only operator turns in English', [turn('operator', 'Hello! How can I help?')], 'en'],
    ['nothing to tell by', [turn('customer', '👍')], 'ru'],
    ['no messages', [], 'ru'],
  ])('answers in the language of %s', (_name, messages, language) => {
    expect(detectConversationLanguage(messages)).toBe(language);
  });
});

describe('asksInAdvance', () => {
  it.each([
    'Если кольцо не подойдёт по размеру, можно будет поменять?',
    'Здравствуйте! А если серьги не понравятся, их можно будет вернуть?',
    'А вдруг не подойдёт размер?',
    "If the ring doesn't fit, can I exchange it?",
  ])('reads «%s» as asked in advance', (text) => {
    expect(asksInAdvance(text)).toBe(true);
  });

  it.each([
    'Кольцо не подошло по размеру. Если поменять нельзя, что можно сделать?',
    'Если честно, браслет сломался через день',
    'Серьги не понравились, можно вернуть?',
    'Здравствуйте!',
  ])('does not read «%s» as asked in advance', (text) => {
    expect(asksInAdvance(text)).toBe(false);
  });
});

describe('reportsMisfit', () => {
  it.each([
    'Кольцо мало, можно поменять на размер больше?',
    'Серьги не подошли по цвету, хочу вернуть',
    'Браслет не понравился',
    'Здравствуйте! Кольцо не налезает на палец',
    "The ring doesn't fit, can I exchange it?",
  ])('hears a misfit reported in «%s»', (text) => {
    expect(reportsMisfit([text])).toBe(true);
  });

  it.each([
    'хочу поменять размер кольца в заказе',
    'Подскажите, серьги из серебра можно вернуть если не понравились?',
    'Если кольцо не подойдёт по размеру, можно будет поменять?',
    'Can I return earrings if they are silver?',
    "Can I exchange the ring if it doesn't fit?",
  ])('hears none in «%s», a question or a supposition', (text) => {
    expect(reportsMisfit([text])).toBe(false);
  });
});

describe('asksYesNo', () => {
  it.each([
    'Можно ли оплатить заказ при получении картой?',
    'можно скачать видео на компьютер',
    'Есть рассрочка?',
    'Личный стрим сохранится?',
    'Can I pay on delivery',
    'Do you ship to Kazakhstan?',
    'Правда, что баллы сгорают через год?',
  ])('reads «%s» as a yes/no question', (text) => {
    expect(asksYesNo([text])).toBe(true);
  });

  it.each([
    'Как скачать видео?',
    'Сколько идёт доставка в Новосибирск? ',
    'У меня был день рождения, а баллы не пришли',
    'How can I pay on delivery?',
    'Здравствуйте! Подскажите, почему не приходит код',
    'Через что у вас можно стримить?',
    'Что можно вернуть без чека?',
    'На что можно потратить баллы?',
  ])('reads «%s» as no yes/no question', (text) => {
    expect(asksYesNo([text])).toBe(false);
  });
});

describe('hasReservation', () => {
  it.each([
    '★★★★☆ Серьги хорошие, но застежка тугая, еле застегнула',
    'Часы отличные, однако ремешок коротковат',
    'Всё понравилось, только вот упаковка мятая',
    'Красивое кольцо. Из минусов: долго везли',
    'Lovely ring, but the box was damaged',
  ])('finds the complaint after the praise in «%s»', (text) => {
    expect(hasReservation(text)).toBe(true);
  });

  it.each([
    'Не только красивые, но и удобные серьги, спасибо!',
    'Серьги супер, пришли быстро, упаковка подарочная. Спасибо!',
    'Новое кольцо — отличный подарок',
    'Great watch, my husband loves it',
  ])('finds none in praise only: «%s»', (text) => {
    expect(hasReservation(text)).toBe(false);
  });
});

describe('askedQuantities', () => {
  it('finds the numbers a yes/no question asks about, with what they count', () => {
    expect(askedQuantities(['Есть ли у вас рассрочка на 12 месяцев?'])).toEqual(['12']);
    expect(askedQuantities(['Можно вернуть через 7 дней? Заказ 5512001'])).toEqual(['7']);
    expect(askedQuantities(['Do you have a 12 months instalment plan?'])).toEqual(['12']);
    expect(askedQuantities(['Рассрочка на 12 мес есть?', 'А до 50 000 ₽ можно?'])).toEqual(['50000']);
    expect(askedQuantities(['Рассрочка на 12 мес есть?'])).toEqual(['12']);
  });

  it('finds none in a statement, an order number or a question without a quantity', () => {
    expect(askedQuantities(['Купила 3 дня назад. Как вернуть?'])).toEqual([]);
    expect(askedQuantities(['Где заказ 5512001?'])).toEqual([]);
    expect(askedQuantities(['Есть рассрочка?'])).toEqual([]);
  });
});
