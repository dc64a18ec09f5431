import { describe, expect, it } from 'vitest';
import type { DraftFinding } from '../text/types.ts';
import { findAddressForms } from './address-form.ts';
import { checkDraft, type DraftContext } from './draft-check.ts';
import type { ScriptRulesLike, ScriptStepLike } from './script-types.ts';

/** The FORMATS.md example script, as the loader hands it over. */
const steps: ScriptStepLike[] = [
  {
    id: 'greeting',
    step: 'greeting',
    channels: ['chat', 'messenger', 'email'],
    variants: ['Здравствуйте, {{customer_name}}!'],
    detect: ['здравствуйте', 'добрый день', 'добрый вечер', 'доброе утро'],
    required: true,
    position: 'start',
  },
  {
    id: 'closing',
    step: 'closing',
    channels: ['email'],
    variants: ['Хорошего дня!'],
    required: true,
    position: 'end',
  },
  { id: 'apology', step: 'apology', variants: ['Приносим извинения за ожидание.'], required: false },
];
const rules: ScriptRulesLike = {
  banned: [
    {
      phrase: 'вернём деньги в любом случае',
      reason: 'Возврат возможен только по условиям политики возврата.',
      suggestion: 'Мы вернём деньги, если товар подходит под условия возврата.',
    },
    { pattern: 'гарантир\\w* возврат', reason: 'Не обещаем возврат до проверки.' },
  ],
  required: [
    { phrase: 'номер обращения', channels: ['email'], reason: 'В письме указываем номер обращения.' },
  ],
  length: { chat: 600, messenger: 600, email: 3000 },
};
const context: DraftContext = {
  channel: 'chat',
  isFirstReply: true,
  steps,
  rules,
  address: 'vy',
  language: 'ru',
  ruleDocumentIds: { scriptId: 'script-ru' },
};

const types = (findings: readonly DraftFinding[]) => findings.map((finding) => finding.type);
const spans = (draft: string, findings: readonly DraftFinding[]) =>
  findings
    .filter((finding) => finding.span)
    .map((finding) => draft.slice(finding.span!.start, finding.span!.end));

describe('checkDraft', () => {
  it('passes a draft that follows the script', () => {
    expect(
      checkDraft('Здравствуйте, Анна! Ваш заказ передан в доставку, трек придёт по SMS.', context),
    ).toEqual([]);
  });

  it('asks for a greeting in the first reply, citing the step', () => {
    expect(checkDraft('Ваш заказ передан в доставку.', context)).toEqual([
      {
        type: 'missing-greeting',
        severity: 'warning',
        message: 'Нет шага скрипта «приветствие» в начале ответа.',
        suggestion: 'Здравствуйте, {{customer_name}}!',
        ruleId: 'script-ru/greeting',
      },
    ]);
  });

  it('does not ask for a greeting in later replies', () => {
    expect(checkDraft('Ваш заказ передан в доставку.', { ...context, isFirstReply: false })).toEqual([]);
  });

  it('notes a greeting that is not at the start', () => {
    const draft = `Ваш заказ передан в доставку. ${'Трек придёт по SMS в течение дня. '.repeat(5)}Добрый день!`;
    const findings = checkDraft(draft, context);
    expect(types(findings)).toEqual(['missing-greeting']);
    expect(findings[0]!.severity).toBe('info');
    expect(spans(draft, findings)).toEqual(['Добрый день']);
  });

  it('requires the closing only on the channels the step names', () => {
    const draft = 'Здравствуйте! Заказ в пути. Номер обращения 555.';
    expect(types(checkDraft(draft, context))).toEqual([]);
    expect(types(checkDraft(draft, { ...context, channel: 'email' }))).toEqual(['missing-closing']);
    expect(types(checkDraft(`${draft} Хорошего дня!`, { ...context, channel: 'email' }))).toEqual([]);
  });

  it.each([
    [
      '«Вернём вам деньги в любом случае»',
      'Здравствуйте! Вернём вам деньги в любом случае.',
      'Вернём вам деньги в любом случае',
    ],
    [
      '«вернем» spelt with «е»',
      'Здравствуйте! Мы вернем деньги в любом случае.',
      'вернем деньги в любом случае',
    ],
    ['«ГАРАНТИРУЕМ ВОЗВРАТ» by pattern', 'Здравствуйте! ГАРАНТИРУЕМ ВОЗВРАТ средств.', 'ГАРАНТИРУЕМ ВОЗВРАТ'],
    ['«гарантирую возврат» by pattern', 'Здравствуйте! Я гарантирую возврат.', 'гарантирую возврат'],
  ])('flags the banned phrase in %s with its span', (_name, draft, flagged) => {
    const findings = checkDraft(draft, context);
    expect(types(findings)).toEqual(['banned-phrase']);
    expect(spans(draft, findings)).toEqual([flagged]);
    expect(findings[0]).toMatchObject({ severity: 'error', ruleId: 'script-ru/rules' });
  });

  it('gives the banned phrase’s suggestion', () => {
    const [finding] = checkDraft('Здравствуйте! Вернём деньги в любом случае.', context);
    expect(finding?.suggestion).toBe('Мы вернём деньги, если товар подходит под условия возврата.');
    expect(finding?.message).toBe('Возврат возможен только по условиям политики возврата.');
  });

  it('does not flag «деньги вернём, если…» for the banned phrase', () => {
    expect(checkDraft('Здравствуйте! Деньги вернём, если изделие не носили.', context)).toEqual([]);
  });

  it('requires «номер обращения» in e-mail only, in any word form', () => {
    const email = { ...context, channel: 'email' as const };
    expect(types(checkDraft('Здравствуйте! Заказ в пути. Хорошего дня!', email))).toEqual([
      'missing-required-phrase',
    ]);
    expect(checkDraft('Здравствуйте! Номер вашего обращения 555. Хорошего дня!', email)).toEqual([]);
  });

  it('reports a chat reply over 600 characters from the first extra character', () => {
    const draft = `Здравствуйте! ${'Ваш заказ в пути. '.repeat(40)}`;
    const findings = checkDraft(draft, context);
    expect(types(findings)).toEqual(['too-long']);
    expect(findings[0]!.span).toEqual({ start: 600, end: draft.length });
    expect(findings[0]!.message).toBe(`Ответ длиннее лимита канала: ${draft.length} из 600 символов.`);
  });

  it('flags «ты» forms when the script says «вы», with the «вы» form as suggestion', () => {
    const draft = 'Здравствуйте! Ты можешь вернуть кольцо, напиши нам или обратись в магазин.';
    const findings = checkDraft(draft, context);
    expect(types(findings)).toEqual(['address-form', 'address-form', 'address-form', 'address-form']);
    expect(spans(draft, findings)).toEqual(['Ты', 'можешь', 'напиши', 'обратись']);
    expect(findings.map((finding) => finding.suggestion)).toEqual(['Вы', 'можете', 'напишите', 'обратитесь']);
  });

  it('flags «вы» forms when the script says «ты»', () => {
    const draft = 'Привет! Вы можете посмотреть размеры на нашем сайте, напишите, если что.';
    const findings = checkDraft(draft, { ...context, address: 'ty', steps: [] });
    expect(spans(draft, findings)).toEqual(['Вы', 'можете', 'напишите']);
    expect(findings.map((finding) => finding.suggestion)).toEqual(['Ты', 'можешь', 'напиши']);
  });

  it('flags the minority form when the script says nothing about address', () => {
    const draft = 'Здравствуйте! Вы можете вернуть кольцо в течение 14 дней, напиши в чат.';
    const findings = checkDraft(draft, { ...context, address: undefined });
    expect(spans(draft, findings)).toEqual(['напиши']);
    expect(findings[0]!.message).toContain('смешаны «ты» и «вы»');
  });

  it('does not check address forms in an English draft', () => {
    const draft = 'Hello! You can return the ring within 14 days.';
    expect(checkDraft(draft, { ...context, language: 'en', steps: [], rules: {} })).toEqual([]);
  });

  it('writes its messages in English for an English script', () => {
    const findings = checkDraft('Your order is on its way.', {
      ...context,
      language: 'en',
      steps: [
        {
          id: 'greeting',
          step: 'greeting',
          variants: ['Hello, {{customer_name}}!'],
          required: true,
          position: 'start',
        },
      ],
    });
    expect(findings.map((finding) => finding.message)).toEqual([
      'The reply has no greeting at the start of the reply.',
    ]);
  });

  it('recognises a step by its variants when the script gives no detect list', () => {
    const thanks: ScriptStepLike = {
      id: 'thanks',
      step: 'thanks',
      variants: ['Благодарим за ожидание!'],
      required: true,
    };
    expect(
      checkDraft('Здравствуйте! Благодарим за ожидание, заказ в пути.', { ...context, steps: [thanks] }),
    ).toEqual([]);
    expect(types(checkDraft('Здравствуйте! Заказ в пути.', { ...context, steps: [thanks] }))).toEqual([
      'missing-thanks',
    ]);
  });

  it('reports a required apology as a missing step', () => {
    const apology: ScriptStepLike = {
      id: 'apology',
      step: 'apology',
      variants: ['Приносим извинения.'],
      required: true,
    };
    const [finding] = checkDraft('Заказ в пути.', { ...context, steps: [apology], ruleDocumentIds: {} });
    expect(finding).toMatchObject({ type: 'missing-step', message: 'Нет шага скрипта «извинение».' });
    expect(finding).not.toHaveProperty('ruleId');
  });

  it('survives an invalid pattern in the script', () => {
    expect(checkDraft('Здравствуйте!', { ...context, rules: { banned: [{ pattern: '([' }] } })).toEqual([]);
  });
});

describe('findAddressForms', () => {
  it.each<[string, string[]]>([
    ['Ты можешь вернуть', ['ty:Ты', 'ty:можешь']],
    ['Вы можете вернуть', ['vy:Вы', 'vy:можете']],
    ['Тебе придёт SMS, твой заказ в пути', ['ty:Тебе', 'ty:твой']],
    ['Вам придёт SMS, ваш заказ в пути', ['vy:Вам', 'vy:ваш']],
    ['Сделайте фото и проверьте застёжку', ['vy:Сделайте', 'vy:проверьте']],
    ['Не переживай, всё решим', ['ty:переживай']],
    ['Размеры есть на сайте и в интернете', []],
    ['Это лишь вопрос времени', []],
    ['Ты занимаешься этим?', ['ty:Ты', 'ty:занимаешься']],
  ])('finds in «%s» %j', (text, expected) => {
    expect(findAddressForms(text).map((use) => `${use.form}:${use.word}`)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['занимаешься', 'занимаетесь'],
    ['воспользуйся', 'воспользуйтесь'],
    ['будь', 'будьте'],
    ['идёшь', 'идёте'],
  ])('turns «%s» into «%s»', (word, counterpart) => {
    expect(findAddressForms(word)[0]?.counterpart).toBe(counterpart);
  });

  it.each<[string, string]>([
    ['обратитесь', 'обратись'],
    ['воспользуйтесь', 'воспользуйся'],
    ['занимаетесь', 'занимаешься'],
    ['проверьте', 'проверь'],
  ])('turns «%s» back into «%s»', (word, counterpart) => {
    expect(findAddressForms(word)[0]?.counterpart).toBe(counterpart);
  });
});
