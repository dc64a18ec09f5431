import { describe, expect, it } from 'vitest';
import {
  maskPersonalData,
  type PersonalDataKind,
  RedactionError,
  redactionMapSchema,
  redactPersonalData,
  restorePersonalData,
} from './index.ts';

/** The kinds and values found, in order of appearance. */
function foundIn(text: string, language?: 'ru' | 'en'): Array<[PersonalDataKind, string]> {
  return redactPersonalData(text, language ? { language } : {}).found.map((item) => [item.kind, item.value]);
}

describe('phones', () => {
  it.each([
    '+7 (916) 123-45-67',
    '+79161234567',
    '89161234567',
    '8 916 123 45 67',
    '8-916-123-45-67',
    '8(916)1234567',
    '7 916 123 4567',
    '+7 916 123-4567',
    '8 (4012) 12-34-56',
    '+7.916.123.45.67',
  ])('masks %s', (phone) => {
    const result = redactPersonalData(`Мой номер ${phone}, перезвоните`);
    expect(result.text).toBe('Мой номер [PHONE_1], перезвоните');
  });

  it('masks international numbers with + and, in English, North American ones', () => {
    expect(foundIn('WhatsApp: +44 20 7946 0958')).toEqual([['phone', '+44 20 7946 0958']]);
    expect(foundIn('call me at (555) 123-4567 please', 'en')).toEqual([['phone', '(555) 123-4567']]);
    expect(foundIn('call 1-800-275-2273', 'en')).toEqual([['phone', '1-800-275-2273']]);
  });

  it('gives every spelling of one number the same placeholder', () => {
    const result = redactPersonalData('Тел. 8 (916) 123-45-67, он же +79161234567');
    expect(result.text).toBe('Тел. [PHONE_1], он же [PHONE_1]');
  });

  it('reads ten bare digits as a phone right after «мой номер»', () => {
    expect(foundIn('мой номер 9161234567, пишите')).toEqual([['phone', '9161234567']]);
    expect(foundIn('номер 9161234567')).toEqual([]);
  });

  it('masks a short landline only after a phone cue', () => {
    expect(foundIn('городской телефон 123-45-67')).toEqual([['phone', '123-45-67']]);
    expect(foundIn('доставлено 123-45-67 штук')).toEqual([]);
  });

  it('reads a number with + as a phone, never as a card', () => {
    expect(foundIn('мой номер +49 151 49524519')).toEqual([['phone', '+49 151 49524519']]);
  });

  it('does not take a date, a version or another kind’s number near a phone word for a phone', () => {
    expect(foundIn('телефон 79884958809, заберу 2025-03-12 или 14.01.2025')).toEqual([
      ['phone', '79884958809'],
    ]);
    expect(foundIn('Spotify mobile ver. 8.4.22.515', 'en')).toEqual([]);
    // A wrong SNILS right after its word: not a SNILS (check digits) and not a phone either.
    expect(foundIn('не принимает СНИЛС 88852133482')).toEqual([]);
  });

  it('does not read a cue word cut out of a longer word («дозвонитесь» is not «звоните»)', () => {
    expect(foundIn('Если не дозвонитесь на +79275904009, наберите жену: 8 966 714 45 95.')).toEqual([
      ['phone', '+79275904009'],
      ['phone', '8 966 714 45 95'],
    ]);
  });

  it('leaves prices, dates, times and links alone', () => {
    const text =
      'Цена 15 000 руб, списали 2 990,00 ₽ 12.03.2024 в 10:00; видео https://rutube.ru/video/89161234567/ и ID89161234567';
    expect(foundIn(text)).toEqual([]);
  });
});

describe('e-mails', () => {
  it('masks personal addresses, Cyrillic domains included', () => {
    expect(foundIn('пишите на Ivan.Petrov+shop@mail.ru или на анна@почта.рф.')).toEqual([
      ['email', 'Ivan.Petrov+shop@mail.ru'],
      ['email', 'анна@почта.рф'],
    ]);
  });

  it('keeps a company’s role mailboxes and social handles', () => {
    expect(foundIn('Напишите на help@rutube.ru или partners@rutube.ru, @AppleSupport')).toEqual([]);
  });
});

describe('bank cards', () => {
  it.each([
    '4111 1111 1111 1111',
    '4111111111111111',
    '5555-5555-5555-4444',
    '2200 0000 0000 0004',
    '2221 0000 0000 0009',
  ])('masks %s and returns only its last four digits', (card) => {
    const result = redactPersonalData(`Номер карты ${card}, спишите`);
    expect(result.text).toBe('Номер карты [CARD_1], спишите');
    const lastFour = card.replace(/\D/gu, '').slice(-4);
    expect(result.found[0]?.value).toBe(`**** **** **** ${lastFour}`);
    expect(JSON.stringify(result)).not.toContain(card.replace(/\D/gu, '').slice(0, 12));
    expect(restorePersonalData(result.text, result.map)).toBe(
      `Номер карты **** **** **** ${lastFour}, спишите`,
    );
  });

  it('leaves card-shaped numbers that fail the Luhn check or belong to no network', () => {
    expect(foundIn('карта 4111 1111 1111 1112')).toEqual([]);
    expect(foundIn('карта 9111 1111 1111 1119')).toEqual([]);
  });

  it('keeps order, ticket and tracking references of any shape, and lists of them', () => {
    expect(foundIn('Ticket WB-889779155, phone (687) 786-4947', 'en')).toEqual([['phone', '(687) 786-4947']]);
    expect(foundIn('заказы 89161234567, 89161234568 и 89161234569 не пришли')).toEqual([]);
    expect(foundIn('трек-номер: 89161234567')).toEqual([]);
    expect(foundIn('Заказ 12345, мой телефон 89161234567')).toEqual([['phone', '89161234567']]);
  });

  it('never masks an order number, even one that passes the Luhn check', () => {
    expect(foundIn('Заказ №4111111111111111 не пришёл, номер заказа 5555 5555 5555 4444')).toEqual([]);
    expect(foundIn('order #4111111111111111', 'en')).toEqual([]);
  });
});

describe('passports', () => {
  it.each([
    'паспорт 45 12 345678',
    'Паспорт: 4512 345678',
    'паспортные данные 4512345678',
    'серия 4512 номер 345678',
    'серия 45 12 № 345678',
  ])('masks «%s»', (text) => {
    const result = redactPersonalData(`${text}, выдан ОВД`);
    expect(result.found.map((item) => item.kind)).toEqual(['passport']);
    expect(result.text).not.toMatch(/\d{3}/u);
  });

  it('reads the 4+6 shape as a passport only where a cue supports it', () => {
    expect(foundIn('посылка весит 45 12 345678')).toEqual([]);
  });

  it('gives the same passport written two ways one placeholder', () => {
    expect(redactPersonalData('паспорт 4512 345678, ещё раз: серия 45 12 номер 345678').text).toBe(
      'паспорт [PASSPORT_1], ещё раз: серия [PASSPORT_1]',
    );
  });
});

describe('SNILS', () => {
  it('masks a valid SNILS in any grouping', () => {
    for (const snils of ['112-233-445 95', '112 233 445 95', '11223344595']) {
      expect(foundIn(`СНИЛС ${snils}`)).toEqual([['snils', snils]]);
    }
  });

  it('leaves a SNILS-shaped number with a wrong control number', () => {
    expect(foundIn('СНИЛС 112-233-445 96')).toEqual([]);
  });
});

describe('INN', () => {
  it('masks a valid 12-digit INN anywhere and a 10-digit one after its cue', () => {
    expect(foundIn('ИНН 500100732259')).toEqual([['inn', '500100732259']]);
    expect(foundIn('реквизиты: 500100732259')).toEqual([['inn', '500100732259']]);
    expect(foundIn('ИНН организации 7707083893')).toEqual([['inn', '7707083893']]);
  });

  it('leaves invalid check digits, and a bare 10-digit number without the cue', () => {
    expect(foundIn('ИНН 500100732258')).toEqual([]);
    expect(foundIn('ИНН 7707083894')).toEqual([]);
    expect(foundIn('номер 7707083893')).toEqual([]);
  });
});

describe('names', () => {
  it.each([
    ['Меня зовут Анна Петрова, помогите', 'Анна Петрова'],
    ['ФИО: Сидоров Пётр Алексеевич', 'Сидоров Пётр Алексеевич'],
    ['получатель Иванова М.С.', 'Иванова М.С.'],
    ['Оформлено на имя Кузнецов Андрей.', 'Кузнецов Андрей'],
    ['Hi, my name is John Smith and', 'John Smith'],
    ['Вчера Смирнова Ольга Игоревна звонила', 'Смирнова Ольга Игоревна'],
  ])('masks the name in «%s»', (text, name) => {
    expect(foundIn(text)).toEqual([['name', name]]);
  });

  it('takes a lower-case name after «меня зовут» or «ФИО», up to the first function word', () => {
    expect(foundIn('меня зовут анна и я жду заказ')).toEqual([['name', 'анна']]);
    expect(foundIn('фио: иванов иван иванович, тел')).toEqual([['name', 'иванов иван иванович']]);
    expect(foundIn('получатель вася')).toEqual([]);
  });

  it('does not take a greeting, a pronoun or a team for a name', () => {
    expect(foundIn('С уважением, Команда RUTUBE')).toEqual([]);
    expect(foundIn('Меня зовут не помню как')).toEqual([]);
    expect(foundIn('Получатель Вы, всё верно')).toEqual([]);
  });
});

describe('addresses', () => {
  it('masks an address after its cue, up to the end of the sentence', () => {
    const result = redactPersonalData(
      'Адрес доставки: г. Москва, ул. Ленина, д. 5, кв. 12. Когда привезёте?',
    );
    expect(result.text).toBe('Адрес доставки: [ADDRESS_1]. Когда привезёте?');
  });

  it('masks a postcode, city and street without a cue', () => {
    expect(foundIn('Пришлите на 620014, г. Екатеринбург, пр-т Ленина, д. 24/8, кв. 3')).toEqual([
      ['address', '620014, г. Екатеринбург, пр-т Ленина, д. 24/8, кв. 3'],
    ]);
  });

  it('takes the city written just before a marked street, streets named after dates, and US addresses', () => {
    expect(foundIn('Курьер не нашёл Нижний Новгород, ул. Центральная, 32 к2, кв 72, хотя')).toEqual([
      ['address', 'Нижний Новгород, ул. Центральная, 32 к2, кв 72'],
    ]);
    expect(foundIn('по адресу Самара, 8 Марта 79, кв. 74, код домофона')).toEqual([
      ['address', 'Самара, 8 Марта 79, кв. 74'],
    ]);
    expect(foundIn('shipping address: 1388 Maple Ave, Apt 8, Austin, TX 96426. Thanks', 'en')).toEqual([
      ['address', '1388 Maple Ave, Apt 8, Austin, TX 96426'],
    ]);
  });

  it('does not read «к сожалению» or «с 10 до 18» as parts of an address', () => {
    expect(foundIn('К сожалению, работаем с 10 до 18, д. ждите')).toEqual([]);
    expect(foundIn('Укажите адрес электронной почты')).toEqual([]);
  });
});

describe('the conversation map', () => {
  it('keeps placeholders stable across messages and numbers new values on', () => {
    const first = redactPersonalData('Мой телефон 89161234567, почта a.ivanova@yandex.ru');
    const second = redactPersonalData('Другой номер +7 903 765-43-21, а старый 8 916 123 45 67', {
      known: first.map,
    });
    expect(second.text).toBe('Другой номер [PHONE_2], а старый [PHONE_1]');
    expect(second.map.entries.map((entry) => entry.placeholder)).toEqual([
      '[PHONE_1]',
      '[EMAIL_1]',
      '[PHONE_2]',
    ]);
    expect(first.map.entries).toHaveLength(2);
  });

  it('gives the operator’s draft the real values back', () => {
    const text = 'Меня зовут Ольга Смирнова, тел. +7 (999) 111-22-33, СНИЛС 112-233-445 95, ИНН 500100732259';
    const result = redactPersonalData(text);
    expect(result.text).toBe('Меня зовут [NAME_1], тел. [PHONE_1], СНИЛС [SNILS_1], ИНН [INN_1]');
    expect(restorePersonalData(result.text, result.map)).toBe(text);
    expect(restorePersonalData('Ольга, мы перезвоним на [PHONE_1]. [PHONE_9]', result.map)).toBe(
      'Ольга, мы перезвоним на +7 (999) 111-22-33. [PHONE_9]',
    );
  });

  it('masks for storage without keeping anything to restore from', () => {
    expect(maskPersonalData('карта 4111 1111 1111 1111, заказ 4111111111111111')).toBe(
      'карта [CARD_1], заказ 4111111111111111',
    );
  });

  it('redacts only the kinds asked for', () => {
    const result = redactPersonalData('тел. 89161234567, a.ivanova@yandex.ru', { kinds: ['email'] });
    expect(result.text).toBe('тел. 89161234567, [EMAIL_1]');
  });

  it('refuses a damaged map and an unknown kind, naming what is wrong', () => {
    const broken = { entries: [{ placeholder: '[PHONE_1]', kind: 'email', key: 'x', value: 'x' }] };
    expect(() => redactPersonalData('x', { known: broken as never })).toThrow(/does not name kind email/u);
    expect(() => redactPersonalData('x', { kinds: ['iban' as never] })).toThrow(RedactionError);
    expect(redactionMapSchema.safeParse(redactPersonalData('тел. 89161234567').map).success).toBe(true);
  });
});

describe('names the caller knows', () => {
  const text = 'Прошу вернуть деньги, курьер так и не приехал. Ольга';

  it('masks a name the caller read from a bare sign-off, wherever it appears, with one placeholder', () => {
    expect(redactPersonalData(text).text).toBe(text);
    const result = redactPersonalData(`${text}\nОльга, 8 916 123-45-67`, { names: ['Ольга'] });
    expect(result.text).toBe('Прошу вернуть деньги, курьер так и не приехал. [NAME_1]\n[NAME_1], [PHONE_1]');
  });

  it('masks only whole words and ignores what cannot be a name', () => {
    expect(redactPersonalData('Вероника и Вера', { names: ['Вер', '7', ''] }).text).toBe('Вероника и Вера');
  });

  it('refuses names that are not a list of strings', () => {
    expect(() => redactPersonalData(text, { names: 'Ольга' as never })).toThrow(/names: expected a list/);
  });
});
