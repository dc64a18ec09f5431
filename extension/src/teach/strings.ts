import type { Locale } from '../settings.ts';

const ru = {
  title: 'Научить Напарника этой странице',
  steps: [
    'Щёлкните по списку сообщений — области, где видна вся переписка.',
    'Щёлкните по одному сообщению клиента.',
    'Щёлкните по одному сообщению оператора (вашему или коллеги).',
    'Щёлкните по полю ответа, куда вы пишете клиенту.',
  ],
  step: (index: number) => `Шаг ${index + 1} из 4`,
  keys: '↑ — выделить внешний блок, ↓ — обратно, Esc — отмена',
  cancel: 'Отмена',
  back: 'Назад',
  outsideList: 'Это место вне выбранного списка сообщений. Щёлкните по сообщению внутри списка.',
  previewTitle: 'Так Напарник прочитает переписку',
  previewEmpty: 'По этим выборам не нашлось ни одного сообщения.',
  composerFound: 'Поле ответа найдено',
  composerMissing: 'Поле ответа не найдено',
  fragile:
    'Внимание: страница почти не даёт устойчивых признаков, рецепт может сломаться после её обновления.',
  save: 'Сохранить',
  retry: 'Заново',
  saving: 'Сохраняю…',
  saved: 'Рецепт сохранён для',
  saveFailed: 'Не удалось сохранить рецепт',
  roles: { customer: 'Клиент', operator: 'Оператор', bot: 'Бот', note: 'Заметка', system: 'Система' },
  problems: {
    'outside-list': 'Сообщения должны быть внутри выбранного списка.',
    'same-message': 'Оба щелчка попали в одно сообщение. Выберите два разных: клиента и оператора.',
    'no-message-selector': 'Не удалось найти общий признак сообщений. Попробуйте выбрать список поуже.',
    'no-role-rule': 'Сообщения клиента и оператора выглядят одинаково — не по чему различить роли.',
    'invalid-recipe': 'Получился неверный рецепт. Попробуйте ещё раз.',
  },
};

export type TeachStrings = typeof ru;

const en: TeachStrings = {
  title: 'Teach Naparnik this page',
  steps: [
    'Click the message list: the area that shows the whole conversation.',
    'Click one message from the customer.',
    'Click one message from an operator (yours or a colleague’s).',
    'Click the reply box you type into.',
  ],
  step: (index: number) => `Step ${index + 1} of 4`,
  keys: '↑ selects the enclosing block, ↓ goes back, Esc cancels',
  cancel: 'Cancel',
  back: 'Back',
  outsideList: 'That is outside the message list you chose. Click a message inside it.',
  previewTitle: 'This is how Naparnik will read the conversation',
  previewEmpty: 'These choices find no messages.',
  composerFound: 'Reply box found',
  composerMissing: 'Reply box not found',
  fragile: 'Careful: the page offers few stable names; the recipe may break when the page is updated.',
  save: 'Save',
  retry: 'Start over',
  saving: 'Saving…',
  saved: 'Recipe saved for',
  saveFailed: 'Could not save the recipe',
  roles: { customer: 'Customer', operator: 'Operator', bot: 'Bot', note: 'Note', system: 'System' },
  problems: {
    'outside-list': 'The messages must be inside the chosen list.',
    'same-message': 'Both clicks landed in one message. Pick two: a customer’s and an operator’s.',
    'no-message-selector': 'The messages share no common mark. Try choosing a narrower list.',
    'no-role-rule': 'Customer and operator messages look the same: nothing tells the roles apart.',
    'invalid-recipe': 'The recipe came out invalid. Please try again.',
  },
};

export const TEACH_STRINGS: Record<Locale, TeachStrings> = { ru, en };
