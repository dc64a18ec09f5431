import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanForRetrieval, stripQuotedHistory, stripSignature } from './clean.ts';

const MB = 1024 * 1024;

describe('cleanForRetrieval', () => {
  it.each([
    [
      'greeting and thanks around a chat message',
      'Здравствуйте! Заказ № 12345 так и не пришёл. Спасибо!',
      'Заказ № 12345 так и не пришёл.',
    ],
    [
      '«Добрый день» before the question',
      'Добрый день, подскажите, где мой заказ?',
      'подскажите, где мой заказ?',
    ],
    [
      'a greeting that names the operator',
      'Добрый день, Анна! Кольцо потемнело через неделю.',
      'Кольцо потемнело через неделю.',
    ],
    [
      '«Уважаемая служба поддержки»',
      'Уважаемая служба поддержки! Прошу вернуть деньги за серьги.',
      'Прошу вернуть деньги за серьги.',
    ],
    [
      'a «С уважением» signature with name and phone',
      'Кольцо потемнело через неделю.\n\nС уважением,\nМария Иванова\n+7 900 123-45-67',
      'Кольцо потемнело через неделю.',
    ],
    [
      'the Mail.ru mobile footer and «Спасибо за ответ, но»',
      'Спасибо за ответ, но браслет так и не приехал.\nОтправлено из мобильной Почты Mail.ru',
      'браслет так и не приехал.',
    ],
    [
      'Gmail history in Russian («… написал(а):» and quoted lines)',
      'Хочу вернуть серьги\n\n26 нояб. 2026 г., в 12:03, Аурелия <support@aurelia.ru> написал(а):\n> Здравствуйте! Чем помочь?',
      'Хочу вернуть серьги',
    ],
    [
      'an Outlook «От: … Отправлено: …» block',
      'Вопрос по заказу\n\nОт: Аурелия <support@aurelia.ru>\nОтправлено: 26 ноября 2026 г. 12:03\nКому: я',
      'Вопрос по заказу',
    ],
    [
      '«-----Original Message-----»',
      'Когда будет доставка?\n-----Original Message-----\nFrom: shop',
      'Когда будет доставка?',
    ],
    [
      'trailing «Заранее спасибо за ответ!»',
      'Пришлите, пожалуйста, чек. Заранее спасибо за ответ!',
      'Пришлите, пожалуйста, чек.',
    ],
    [
      '«Буду благодарна за быстрый ответ.»',
      'Где мой заказ? Буду благодарна за быстрый ответ.',
      'Где мой заказ?',
    ],
    [
      'trailing thanks for answering quickly («спасибо что так быстро отвечаете»)',
      'да, называла. спасибо что так быстро отвечаете',
      'да, называла.',
    ],
    [
      'trailing "thanks for getting back so quickly"',
      'Yes, I did. Thanks for getting back so quickly!',
      'Yes, I did.',
    ],
    ['a message that is only thanks', 'Спасибо большое!', ''],
    [
      'HTML markup and entities',
      '<p>Добрый&nbsp;день!</p><p>Кольцо &laquo;Нежность&raquo; потемнело</p><blockquote>старое письмо</blockquote>',
      'Кольцо «Нежность» потемнело',
    ],
    [
      'URLs',
      'Вот фото браслета https://disk.yandex.ru/i/abc123 и ещё www.example.ru/x',
      'Вот фото браслета и ещё',
    ],
    ['zero-width and control characters', 'Серьги\u200b не\u0007 при\u00adшли\ufeff', 'Серьги не пришли'],
    [
      'thanks in the middle of a sentence stays',
      'Кольцо пришло без коробки, спасибо что хоть пришло',
      'Кольцо пришло без коробки, спасибо что хоть пришло',
    ],
    [
      'an English e-mail with greeting, sign-off and device footer',
      'Hi team,\n\nMy order #12345 has not arrived yet.\n\nThanks in advance!\nJohn\n\nSent from my iPhone',
      'My order #12345 has not arrived yet.',
    ],
    [
      'an English "On … wrote:" header wrapped over two lines',
      'The clasp is broken.\n\nOn Tue, Nov 24, 2026 at 12:03 PM Aurelia Support <support@aurelia.ru>\nwrote:\n> Hello!',
      'The clasp is broken.',
    ],
    [
      'an inline "Best regards"',
      'Hello, the clasp on my bracelet broke. Best regards, Kate',
      'the clasp on my bracelet broke.',
    ],
    [
      'a "--" signature separator',
      'Please cancel the order.\n-- \nJohn Smith\nACME Ltd',
      'Please cancel the order.',
    ],
    ['HTML line breaks become spaces', 'Hello!<br>Where is my<br/>order?', 'Where is my order?'],
  ])('removes %s', (_name, input, expected) => {
    expect(cleanForRetrieval(input)).toBe(expected);
  });

  it('keeps line breaks when asked, for sentence splitting', () => {
    const text = 'Здравствуйте\nзаказ не пришёл\n\n\nномер 12345\nСпасибо!';
    expect(cleanForRetrieval(text, { keepLineBreaks: true })).toBe('заказ не пришёл\nномер 12345');
  });

  it('returns an empty string for anything that is not a string', () => {
    expect(cleanForRetrieval(undefined as unknown as string)).toBe('');
    expect(cleanForRetrieval(42 as unknown as string)).toBe('');
  });
});

describe('stripQuotedHistory', () => {
  it.each([
    [
      'drops «>» lines of an inline reply',
      'Да, верно\n> Вы заказывали кольцо?\nРазмер 17',
      'Да, верно\nРазмер 17',
    ],
    [
      'cuts at a Yandex header «26.11.2026, 12:03, "Аурелия" <a@b.ru>:»',
      'Спасибо, получила.\n\n26.11.2026, 12:03, "Аурелия" <support@aurelia.ru>:\nЗдравствуйте!',
      'Спасибо, получила.',
    ],
    ['cuts at an Apple Mail forward', 'См. ниже\nBegin forwarded message:\nFrom: shop', 'См. ниже'],
    ['keeps a message without history', 'Где мой заказ?', 'Где мой заказ?'],
    [
      'keeps «написал:» that is not a header',
      'Курьер мне написал:\nзаказ задерживается',
      'Курьер мне написал:\nзаказ задерживается',
    ],
  ])('%s', (_name, input, expected) => {
    expect(stripQuotedHistory(input)).toBe(expected);
  });
});

describe('stripSignature', () => {
  it('keeps a thanks line that is followed by a question', () => {
    expect(stripSignature('Спасибо\nА когда будет доставка?')).toBe('Спасибо\nА когда будет доставка?');
  });

  it('does not cut at «С уважением» when a long text follows', () => {
    const text = `С уважением к вашему труду, но заказ не пришёл.\n${'Подробности заказа. '.repeat(10)}`;
    expect(stripSignature(text)).toBe(text.trimEnd());
  });

  it.each([
    ['Когда привезут заказ? Анна', 'Когда привезут заказ?'],
    ['Когда привезут заказ?\nАнна', 'Когда привезут заказ?'],
    ['Доставка в какой город? Москва', 'Доставка в какой город? Москва'],
  ])('drops a bare name closing «%s»', (text, expected) => {
    expect(stripSignature(text)).toBe(expected);
  });
});

describe('cleanForRetrieval on hostile input', { timeout: 60_000 }, () => {
  const fragments = [
    '<',
    '<a ',
    '>',
    '> ',
    '&#',
    '&amp;',
    '&#x',
    'http://',
    'www.',
    '\n',
    '\r\n',
    ' ',
    '\t',
    'С уважением',
    'wrote:',
    'написал(а):',
    '-----Original Message-----',
    'От: ',
    'Отправлено: ',
    'Здравствуйте',
    'Спасибо',
    '!',
    '?',
    '.',
    ',',
    '<!--',
    '-->',
    '<script>',
    '</script>',
    '<blockquote>',
    '--',
    '1',
    '@',
    '\u200b',
    '\u0000',
    'Анна',
  ];
  const hostile = fc.array(fc.constantFrom(...fragments), { maxLength: 300 }).map((parts) => parts.join(''));

  it('never throws and returns one tidy line, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), hostile), (text) => {
        const cleaned = cleanForRetrieval(text);
        expect(typeof cleaned).toBe('string');
        expect(cleaned).toBe(cleaned.trim());
        expect(cleaned).not.toMatch(/\s{2}|[\n\t\u200b]|\p{Cc}/u);
        expect(cleaned.length).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on history and signature stripping either', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), hostile), (text) => {
        expect(typeof stripQuotedHistory(text)).toBe('string');
        expect(typeof stripSignature(text)).toBe('string');
      }),
    );
  });

  const oneMegabyte: [string, string][] = [
    ['«<» repeated', '<'.repeat(MB)],
    ['«<a » repeated', '<a '.repeat(MB / 3)],
    ['«<!--» without an end', '<!--'.repeat(MB / 4)],
    ['«<script>» without an end', '<script>'.repeat(MB / 8)],
    ['spaces then a letter', `${' '.repeat(MB)}x`],
    ['line breaks then a letter', `${'\n'.repeat(MB)}x`],
    ['«> » repeated', '> '.repeat(MB / 2)],
    ['letters then «@»', `${'a'.repeat(MB)}@`],
    ['«&#» repeated', '&#'.repeat(MB / 2)],
    ['«http://» repeated', 'http://'.repeat(MB / 7)],
    ['sign-offs on every line', 'С уважением\n'.repeat(MB / 12)],
    ['«wrote:» headers with digits', 'wrote:\n1'.repeat(MB / 8)],
    ['long lines ending in «:»', `${'1'.repeat(399)}:\n`.repeat(MB / 400)],
    ['one space between every character', 'я '.repeat(MB / 2)],
  ];
  // Hang guards against catastrophic backtracking, not speed targets (those are benchmarks).
  it.each(oneMegabyte)('finishes on 1 MB of %s', { timeout: 60_000 }, (_name, text) => {
    expect(cleanForRetrieval(text).length).toBeLessThanOrEqual(text.length);
    expect(stripQuotedHistory(text).length).toBeLessThanOrEqual(text.length);
  });

  it('cleans 10 MB of e-mail', { timeout: 120_000 }, () => {
    const email =
      'Здравствуйте! По заказу № 12345 ничего не пришло, оплатила 1 500 ₽. https://aurelia.ru/x?y=1 ' +
      '<b>кольцо</b> &laquo;Нежность&raquo;\n> старое письмо\nС уважением,\nАнна\n';
    const text = email.repeat(Math.ceil((10 * MB) / email.length));
    const cleaned = cleanForRetrieval(text);
    expect(cleaned.startsWith('По заказу № 12345 ничего не пришло')).toBe(true);
  });
});
