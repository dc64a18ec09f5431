import { describe, expect, it } from 'vitest';
import type { Channel, Suggestion } from '../../contract/index.ts';
import type { SearchHit } from '../../retrieval/knowledge-base.ts';
import type { ScriptProfile, ScriptStepEntry } from '../../retrieval/script-profiles.ts';
import type { HitAssessment } from './confidence.ts';
import { checkOwnSuggestions } from './self-check.ts';
import { buildSuggestion, type SuggestionContext } from './suggestions.ts';
import { renderSlots } from './understanding.ts';

function step(
  overrides: Partial<ScriptStepEntry> & Pick<ScriptStepEntry, 'step' | 'variants'>,
): ScriptStepEntry {
  return {
    type: 'script-step',
    id: overrides.id ?? overrides.step,
    address: 'vy',
    language: 'ru',
    detect: [],
    required: false,
    position: 'any',
    documentId: `script-ru/${overrides.id ?? overrides.step}`,
    chunkId: `script-ru/${overrides.id ?? overrides.step}#0`,
    ...overrides,
  };
}

const STEPS: ScriptStepEntry[] = [
  step({
    step: 'greeting',
    variants: ['Здравствуйте!'],
    detect: ['здравствуйте'],
    required: true,
    position: 'start',
  }),
  step({
    id: 'thanks-marketplace',
    step: 'thanks',
    channels: ['marketplace'],
    variants: ['Спасибо, что нашли время оставить отзыв.'],
    detect: ['спасибо'],
    required: true,
  }),
  step({
    step: 'hold',
    channels: ['chat'],
    variants: ['Пожалуйста, подождите 2–3 минуты — проверяю информацию по заказу.'],
  }),
];

const PROFILE: ScriptProfile = {
  collection: 'demo',
  updatedAt: '2026-01-01T00:00:00.000Z',
  steps: STEPS,
  rules: [
    {
      type: 'script-rules',
      address: 'vy',
      language: 'ru',
      documentId: 'script-ru/rules',
      chunkId: 'script-ru/rules#0',
      rules: {
        banned: [{ phrase: 'вернём деньги в любом случае', reason: 'Только по условиям возврата.' }],
        required: [],
        length: {},
      },
    },
  ],
  routing: [],
  departments: [],
};

function context(channel: Channel, firstReply = true): SuggestionContext {
  return {
    voice: { steps: STEPS, language: 'ru', channel, firstReply, hurry: false, negative: false, values: {} },
    channel,
    maxLength: undefined,
    render: renderSlots('ru'),
    engine: 'offline',
  };
}

function template(documentId: string, score: number, metadata: Record<string, unknown>): HitAssessment {
  const hit: SearchHit = {
    documentId,
    chunkId: `${documentId}#0`,
    score: 0.03,
    kind: 'template',
    title: documentId,
    titlePath: [],
    text: String(metadata.text),
    source: 'templates.yaml',
    language: 'ru',
    tags: [],
    metadata: { type: 'template', ...metadata },
    signals: {},
  };
  return { hit, score, questionCoverage: score, queryCoverage: score };
}

const REFUSAL = template('tpl-refusal', 0.9, {
  text: 'К сожалению, {{product}} вернуть или обменять не получится.',
  notFor: ['defect-claim'],
});
const WARRANTY = template('tpl-warranty', 0.6, {
  text: 'Примем изделие на гарантийную проверку: пришлите фото дефекта.',
});
const CANCEL = template('tpl-cancel', 0.95, {
  text: 'Заказ № {{order_id}} отменён.',
  preconditions: ['отменить заказ в системе'],
});
const DELAY = template('tpl-delay', 0.7, {
  text: 'Посылка застрахована. Мы вернём деньги в любом случае. Ответим до конца дня.',
});

function build(assessments: HitAssessment[], suggestionContext: SuggestionContext): Suggestion[] {
  return assessments.map((assessment, index) => ({
    ...buildSuggestion(assessment, suggestionContext),
    index,
  }));
}

/** The check over suggestions built from these answers, in a later chat reply. */
function checkInChat(answers: HitAssessment[], customerText: string): Suggestion[] {
  const chat = context('chat', false);
  return checkOwnSuggestions(build(answers, chat), {
    profile: PROFILE,
    context: chat,
    answers,
    messages: [{ role: 'customer', text: customerText }],
  });
}

describe('checkOwnSuggestions', () => {
  it('never answers a defect claim with a return refusal: the next fitting answer takes its place', () => {
    const chat = context('chat');
    const checked = checkOwnSuggestions(build([REFUSAL], chat), {
      profile: PROFILE,
      context: chat,
      answers: [REFUSAL, WARRANTY],
      messages: [{ role: 'customer', text: 'Серебряное кольцо почернело через неделю, хочу вернуть' }],
    });
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-warranty']);
  });

  it('never answers a defect claim with a refusal the knowledge base did not declare notFor it', () => {
    // A team's own sheet: «обменять нельзя» with no situations declared.
    const undeclared = template('faq-ring-exchange', 0.9, {
      text: 'Золотое кольцо надлежащего качества обменять нельзя, но мастерская подгонит размер.',
    });
    const checked = checkInChat(
      [undeclared, WARRANTY],
      'Мне прислали кольцо с царапиной, хочу обменять на новое',
    );
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-warranty']);
  });

  it('offers no refusal to a customer who never spoke of a return', () => {
    const checked = checkInChat([REFUSAL, WARRANTY], 'Как почистить золотое кольцо с бриллиантом дома?');
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-warranty']);
  });

  it('keeps the refusal when the customer claims no defect', () => {
    const chat = context('chat');
    const checked = checkOwnSuggestions(build([REFUSAL], chat), {
      profile: PROFILE,
      context: chat,
      answers: [REFUSAL, WARRANTY],
      messages: [{ role: 'customer', text: 'Кольцо не понравилось, я его не носила' }],
    });
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-refusal']);
  });

  it('offers a reply declared onlyFor a cancel request only to a customer who asked to cancel', () => {
    const onlyCancel = template('tpl-cancel', 0.95, {
      text: 'Заказ № {{order_id}} отменён.',
      preconditions: ['отменить заказ в системе'],
      onlyFor: ['cancel-request'],
    });
    const check = (text: string) => {
      const chat = context('chat');
      return checkOwnSuggestions(build([onlyCancel], chat), {
        profile: PROFILE,
        context: chat,
        answers: [onlyCancel, WARRANTY],
        messages: [{ role: 'customer', text }],
      }).map((suggestion) => suggestion.citations[0]?.documentId);
    };
    expect(check('хочу узнать, где мой заказ 6620193')).toEqual(['tpl-warranty']);
    expect(check('Не хочу отменять заказ, скажите, когда его отправят')).toEqual(['tpl-warranty']);
    // (the hold message comes with a reply the operator must first act on)
    expect(check('Отмените заказ 6620193, пожалуйста')).toEqual(['script-ru/hold', 'tpl-cancel']);
  });

  it('keeps the preconditions of every answer a draft cites, not only of the first', () => {
    const chat = context('chat');
    const fromCancel = buildSuggestion(CANCEL, chat);
    // A model draft: the FAQ-like answer cited first, the template that says «отменён» second.
    const draft: Suggestion = {
      ...fromCancel,
      index: 0,
      kind: 'generated',
      citations: [...buildSuggestion(WARRANTY, chat).citations, ...fromCancel.citations],
    };
    const all = checkOwnSuggestions([draft], {
      profile: PROFILE,
      context: chat,
      answers: [WARRANTY, CANCEL],
      // a situation the conversation is in (the cancellation asked for) makes the check look
      messages: [{ role: 'customer', text: 'Отмените заказ 5531902, серебряное кольцо не нужно' }],
    });
    const checked = all.find((suggestion) => suggestion.kind === 'generated');
    expect(checked?.preconditions).toEqual(['отменить заказ в системе']);
    expect(checked?.confidence.level).not.toBe('high');
  });

  it('takes «Да,» out of a model draft that never says the number the yes/no question asked about', () => {
    const chat: SuggestionContext = {
      ...context('chat'),
      voice: { ...context('chat').voice, yesNo: true, askedQuantities: ['12'] },
    };
    const draft = (text: string): Suggestion => ({
      ...buildSuggestion(WARRANTY, chat),
      index: 0,
      kind: 'generated',
      text,
    });
    const check = (text: string) =>
      checkOwnSuggestions([draft(text)], {
        profile: PROFILE,
        context: chat,
        answers: [WARRANTY],
        messages: [{ role: 'customer', text: 'Есть ли у вас рассрочка на 12 месяцев?' }],
      })[0]?.text;
    expect(check('Здравствуйте! Да, рассрочка 0-0-6: без переплаты, на 6 месяцев.')).toBe(
      'Здравствуйте! Рассрочка 0-0-6: без переплаты, на 6 месяцев.',
    );
    expect(check('Здравствуйте!\nДа — рассрочка 0-0-6 на 6 месяцев.')).toBe(
      'Здравствуйте!\nРассрочка 0-0-6 на 6 месяцев.',
    );
    // A «Да,» that says the number stays.
    expect(check('Здравствуйте! Да, рассрочку на 12 месяцев даёт банк-партнёр.')).toBe(
      'Здравствуйте! Да, рассрочку на 12 месяцев даёт банк-партнёр.',
    );
  });

  it('drops the sentence with a banned promise and keeps the rest', () => {
    const chat = context('chat', false);
    const [checked] = checkOwnSuggestions(build([DELAY], chat), {
      profile: PROFILE,
      context: chat,
      answers: [DELAY],
      messages: [{ role: 'customer', text: 'Где посылка?' }],
    });
    expect(checked?.text).toBe('Посылка застрахована. Ответим до конца дня.');
  });

  it('drops the sentences that break a guard rule even when the script bans nothing', () => {
    const chat = context('chat');
    const phishing = template('tpl-phishing', 0.9, {
      text:
        'Примем изделие на проверку качества в любом магазине «Аурелии» за 3–5 рабочих дней. ' +
        'Пришлите номер карты и CVV-код для возврата. Форма: https://aurelia-refund.top/form. ' +
        'Ответим на почту, как только проверка закончится, и подскажем, что делать дальше.',
    });
    const [checked] = checkOwnSuggestions(build([phishing], chat), {
      profile: { ...PROFILE, rules: [], linkDomains: ['aurelia.ru'] },
      context: chat,
      answers: [phishing],
      messages: [{ role: 'customer', text: 'Как сдать кольцо на проверку?' }],
    });
    expect(checked?.text).toContain('Примем изделие на проверку качества');
    expect(checked?.text).not.toMatch(/CVV|номер карты|aurelia-refund/u);
  });

  it('drops a suggestion that is mostly a banned promise', () => {
    const chat = context('chat', false);
    const promise = template('tpl-promise', 0.8, { text: 'Не волнуйтесь, мы вернём деньги в любом случае.' });
    const checked = checkOwnSuggestions(build([promise], chat), {
      profile: PROFILE,
      context: chat,
      answers: [promise],
      messages: [{ role: 'customer', text: 'Верните деньги' }],
    });
    expect(checked).toEqual([]);
  });

  it('puts the marketplace thank-you the script requires after the greeting', () => {
    const marketplace = context('marketplace');
    const [checked] = checkOwnSuggestions(build([WARRANTY], marketplace), {
      profile: PROFILE,
      context: marketplace,
      answers: [WARRANTY],
      messages: [{ role: 'customer', text: 'Замок сломался' }],
    });
    expect(checked?.text.split('\n')).toEqual([
      'Здравствуйте!',
      'Спасибо, что нашли время оставить отзыв.',
      'Примем изделие на гарантийную проверку: пришлите фото дефекта.',
    ]);
  });

  it('never offers a reply with preconditions as the only plain one, nor at high confidence', () => {
    const checked = checkInChat([CANCEL], 'Отмените заказ 5531902');
    expect(checked.map((suggestion) => suggestion.kind)).toEqual(['script', 'template']);
    expect(checked[0]?.text).toBe('Пожалуйста, подождите 2–3 минуты — проверяю информацию по заказу.');
    expect(checked[1]).toMatchObject({
      preconditions: ['отменить заказ в системе'],
      confidence: { level: 'medium' },
    });
  });

  it('puts a complete reply with preconditions ahead of the hold message, which stays beside it', () => {
    const handover = template('tpl-handover', 0.8, {
      text: 'Заказы на площадке {{marketplace}} меняют в её приложении. Я передал вопрос команде.',
      preconditions: ['передать вопрос команде по маркетплейсам'],
    });
    const checked = checkInChat([handover], 'Заказал на вайлдберриз, хочу отменить заказ');
    expect(checked.map((suggestion) => [suggestion.index, suggestion.kind])).toEqual([
      [0, 'template'],
      [1, 'script'],
    ]);
    expect(checked[0]).toMatchObject({
      preconditions: ['передать вопрос команде по маркетплейсам'],
      confidence: { level: 'medium' },
      missingSlots: [],
    });
  });

  it('keeps a reply written for the customer’s situation ahead of a plain answer to another question', () => {
    const handover = template('tpl-handover', 0.8, {
      text: 'Заказы на площадке {{marketplace}} отменяют в её приложении. Я передал вопрос команде.',
      preconditions: ['передать вопрос команде по маркетплейсам'],
      for: ['marketplace-order'],
    });
    const siteCancel = template('tpl-site-cancel', 0.5, {
      text: 'Заказ можно отменить в личном кабинете, пока он не передан в доставку.',
    });
    const checked = checkInChat([handover, siteCancel], 'Заказала на озоне, хочу отменить');
    // The hold message takes the weakest reply's place, as always.
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual([
      'tpl-handover',
      'script-ru/hold',
    ]);
  });

  it('moves a plain reply ahead of one with preconditions', () => {
    const checked = checkInChat([CANCEL, WARRANTY], 'Отмените заказ');
    expect(checked.map((suggestion) => [suggestion.index, suggestion.citations[0]?.documentId])).toEqual([
      [0, 'tpl-warranty'],
      [1, 'tpl-cancel'],
    ]);
  });

  it('offers a template written for the situation when nothing else fits it, whatever its score', () => {
    const chat = context('chat');
    const intake = template('tpl-intake', 0.12, {
      text: 'Примем изделие на гарантийную проверку.',
      for: ['defect-claim'],
    });
    const checked = checkOwnSuggestions(build([REFUSAL], chat), {
      profile: PROFILE,
      context: chat,
      answers: [REFUSAL, intake],
      messages: [{ role: 'customer', text: 'Браслет порвался через неделю' }],
    });
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-intake']);
  });

  it('fills the marketplace the customer named into a hand-over reply', () => {
    const chat = context('chat', false);
    const handover = template('tpl-handover', 0.6, {
      text: 'Заказы на площадке {{marketplace}} обслуживаются по её правилам.',
      for: ['marketplace-order'],
    });
    const [checked] = checkOwnSuggestions(build([handover], chat), {
      profile: PROFILE,
      context: chat,
      answers: [handover],
      messages: [{ role: 'customer', text: 'Отмените заказ на вб' }],
    });
    expect(checked).toMatchObject({
      text: 'Заказы на площадке Wildberries обслуживаются по её правилам.',
      missingSlots: [],
    });
  });

  it('keeps a reply whose missing required phrase only the operator can add', () => {
    const email = context('email', false);
    const profile: ScriptProfile = {
      ...PROFILE,
      rules: PROFILE.rules.map((rules) => ({
        ...rules,
        rules: {
          ...rules.rules,
          required: [{ phrase: 'с уважением', reason: 'подпись в письме', channels: ['email'] }],
        },
      })),
    };
    const checked = checkOwnSuggestions(build([WARRANTY], email), {
      profile,
      context: email,
      answers: [WARRANTY],
      messages: [{ role: 'customer', text: 'Сколько стоит доставка?' }],
    });
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-warranty']);
  });

  it('does not add a step line that lost the required phrase with its slot, nor one already there', () => {
    const closing = step({
      id: 'closing-email',
      step: 'closing',
      channels: ['email'],
      variants: [
        'Если останутся вопросы, ответьте на это письмо — номер обращения {{ticket_id}} сохранится.',
      ],
    });
    const email: SuggestionContext = { ...context('email', false) };
    email.voice = { ...email.voice, steps: [...STEPS, closing] };
    const profile: ScriptProfile = {
      ...PROFILE,
      steps: [...STEPS, closing],
      rules: PROFILE.rules.map((rules) => ({
        ...rules,
        rules: {
          ...rules.rules,
          required: [{ phrase: 'номер обращения', reason: 'номер обращения в письме', channels: ['email'] }],
        },
      })),
    };
    const cost = template('tpl-cost', 0.7, { text: 'Курьерская доставка стоит 350 ₽.' });
    const [checked] = checkOwnSuggestions(build([cost], email), {
      profile,
      context: email,
      answers: [cost],
      messages: [{ role: 'customer', text: 'Сколько стоит доставка?' }],
    });
    expect(checked?.text.match(/ответьте на это письмо/gu)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(checked?.text).not.toContain('{{');
  });
});

describe('checkOwnSuggestions and what the conversation already says', () => {
  const returnReply = (suggestions: Suggestion[]) =>
    suggestions.find((suggestion) => suggestion.citations[0]?.documentId === 'tpl-return-bijouterie');

  const BIJOUTERIE_RETURN = template('tpl-return-bijouterie', 0.9, {
    text: '{{product}} можно вернуть в течение 7 дней.',
    preconditions: [
      { text: 'уточнить, что изделие — бижутерия, часы или аксессуар', answeredBy: ['non-precious-item'] },
      'проверить дату получения заказа',
    ],
  });

  it('hides a precondition the customer has answered and keeps the ones still open', () => {
    const checked = returnReply(checkInChat([BIJOUTERIE_RETURN], 'Хочу вернуть серьги, это бижутерия'));
    expect(checked?.preconditions).toEqual(['проверить дату получения заказа']);
  });

  it('shows the precondition while the customer has not said what the item is made of', () => {
    const checked = returnReply(checkInChat([BIJOUTERIE_RETURN], 'Хочу вернуть серьги'));
    expect(checked?.preconditions).toHaveLength(2);
  });

  it('gives back the confidence a precondition held below "high" once the customer answered it', () => {
    const answered = template('tpl-return-watch', 0.9, {
      text: '{{product}} можно вернуть в течение 7 дней.',
      preconditions: [{ text: 'уточнить, что изделие — часы', answeredBy: ['non-precious-item'] }],
    });
    const reply = (suggestions: Suggestion[]) =>
      suggestions.find((suggestion) => suggestion.citations[0]?.documentId === 'tpl-return-watch');
    const open = reply(checkInChat([answered], 'Хочу вернуть подарок'));
    const said = reply(checkInChat([answered], 'Хочу вернуть часы'));
    expect(open?.confidence.level).toBe('medium');
    expect(said?.confidence).toEqual({ score: 0.9, level: 'high' });
    expect(said?.preconditions).toBeUndefined();
  });

  it('offers a template written for the situation that the search did not find, at "medium"', () => {
    const warrantyFor = template('tpl-warranty-for', 0, {
      text: 'Примем изделие на гарантийную проверку: пришлите фото дефекта.',
      for: ['defect-claim'],
    });
    const chat = context('chat', false);
    const checked = checkOwnSuggestions([], {
      profile: { ...PROFILE, situationAnswers: [warrantyFor.hit] },
      context: chat,
      answers: [],
      messages: [{ role: 'customer', text: 'Серьги почернели через неделю, это подделка?' }],
    });
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual(['tpl-warranty-for']);
    expect(checked[0]?.confidence).toEqual({ score: 0.3, level: 'medium' });
  });

  it('does not offer a situation template when the customer is in no situation it is written for', () => {
    const warrantyFor = template('tpl-warranty-for', 0, { text: 'Примем изделие.', for: ['defect-claim'] });
    const chat = context('chat', false);
    const checked = checkOwnSuggestions([], {
      profile: { ...PROFILE, situationAnswers: [warrantyFor.hit] },
      context: chat,
      answers: [],
      messages: [{ role: 'customer', text: 'Сколько стоит доставка?' }],
    });
    expect(checked).toEqual([]);
  });

  const siteAddress = ((): HitAssessment => {
    const assessment = template('faq-address', 0.6, { text: 'Адрес можно изменить до передачи в доставку.' });
    const metadata = { answer: assessment.hit.text, notFor: ['marketplace-order'] };
    return { ...assessment, hit: { ...assessment.hit, kind: 'faq', metadata } };
  })();
  const weak = template('tpl-weak', 0.15, { text: 'Доставка занимает 2–5 дней.' });

  it('puts the likelier reply first when the one ahead of it was dropped for the situation', () => {
    const handover = template('tpl-handover', 0.5, {
      text: 'Передам вопрос команде маркетплейсов.',
      for: ['marketplace-order'],
    });
    const checked = checkInChat(
      [siteAddress, weak, handover],
      'Хочу поменять адрес доставки в заказе с озона',
    );
    expect(checked.map((suggestion) => suggestion.citations[0]?.documentId)).toEqual([
      'tpl-handover',
      'tpl-weak',
    ]);
  });

  it('offers nothing when only a weak alternative is left after the check', () => {
    expect(checkInChat([siteAddress, weak], 'Хочу поменять адрес доставки в заказе с озона')).toEqual([]);
  });
});
