import type { Locale } from '../settings.ts';

const ru = {
  title: 'Напарник',
  collapse: 'Свернуть панель',
  expand: 'Открыть Напарника',
  loading: 'Читаю диалог…',
  tabSuggestions: 'Ответы',
  tabSummary: 'Сводка',
  tabSearch: 'Поиск',
  notConfiguredTitle: 'Напарник не настроен',
  notConfiguredBody: 'Укажите адрес сервиса и базу знаний в настройках расширения.',
  collectionMissing: (name: string) => `База знаний «${name}» не найдена на сервисе.`,
  openOptions: 'Открыть настройки',
  unreachableTitle: 'Сервис подсказок недоступен',
  unreachableBody: (url: string) => `Не удалось связаться с ${url}. Проверьте, что сервис запущен.`,
  retry: 'Повторить',
  notReady: 'Сервис запускается и открывает базу знаний…',
  notFoundTitle: 'Диалог не найден',
  notFoundBody:
    'На этой странице не видно переписки с клиентом. Откройте обращение или научите Напарника этой странице.',
  teachPage: 'Научить эту страницу',
  teachMisread: 'Разговор прочитан неверно? Научить страницу',
  degraded: 'Офлайн-режим: ответы из шаблонов и FAQ, без генерации.',
  refresh: 'Обновить',
  streaming: 'Готовлю ответы…',
  noSuggestions: 'В базе знаний нет подходящего ответа — вопрос записан как пробел в знаниях.',
  insert: 'Вставить',
  inserted: 'Вставлено',
  insertFailed: 'Не удалось вставить — текст скопирован',
  copy: 'Копировать',
  copied: 'Скопировано',
  thumbsUp: 'Хороший ответ',
  thumbsDown: 'Плохой ответ',
  thanks: 'Спасибо за оценку',
  sources: 'Источники',
  missingSlots: 'Заполните перед отправкой',
  firstDo: 'сначала',
  askedBefore: 'Так уже спрашивали',
  confidence: { low: 'низкая уверенность', medium: 'средняя уверенность', high: 'высокая уверенность' },
  short: 'кратко',
  summaryIssue: 'Суть обращения',
  summaryTried: 'Уже сделано',
  summaryPromised: 'Обещано клиенту',
  summaryOpen: 'Открытые вопросы',
  summaryEmpty: 'Сводка появится после ответа сервиса.',
  sentiment: { negative: 'клиент недоволен', neutral: 'спокойный тон', positive: 'доброжелательный тон' },
  nextActions: 'Следующие шаги',
  action: { handover: 'Передать', ask: 'Уточнить', close: 'Закрыть', escalate: 'Эскалировать' },
  searchPlaceholder: 'Поиск по базе знаний',
  searchButton: 'Найти',
  searchEmpty: 'Ничего не найдено.',
  shortcuts: 'Alt+1…3 — вставить ответ, Alt+R — обновить, Alt+S — сводка',
  error: 'Ошибка',
  rewrite: {
    shorter: 'Короче',
    friendlier: 'Дружелюбнее',
    formal: 'Официальнее',
    'fix-grammar': 'Исправить ошибки',
  },
  rewriteUndo: 'Отменить',
  rewritten: 'Переписано',
  rewriteNoChange: 'Текст уже в этом стиле',
  dismiss: 'Скрыть ответ',
  dismissReasons: ['Не подходит', 'Неточно', 'Не тот тон', 'Уже ответил(а) сам(а)'],
  dismissNoReason: 'Просто скрыть',
  dismissed: 'Ответ скрыт',
  restore: 'Вернуть',
  draftTitle: 'Проверка черновика',
  draftClean: 'Замечаний нет',
  draftFix: 'Исправить',
  draftBetter: 'Лучше',
  draftChecking: 'Проверяю…',
  roleNames: {
    customer: 'от клиента',
    operator: 'от оператора',
    bot: 'от бота',
    note: '— внутренняя заметка',
    system: '— служебная строка',
  } as Record<'customer' | 'operator' | 'bot' | 'note' | 'system', string>,
  unsureLatest: (role: string) =>
    `Не уверен, что последнее сообщение ${role}: на этой странице не видно, кто его написал. Проверьте, на что отвечаете.`,
  unsureSome: (count: number) =>
    `Не уверен, кто написал ${count} ${plural(count, 'сообщение', 'сообщения', 'сообщений')} в этом диалоге — подсказки могут опираться не на те реплики.`,
  unsureTeach: 'Показать, где чьи сообщения',
  safety: {
    title: 'Осторожно',
    conversation: {
      'prompt-injection': 'Сообщение клиента похоже на попытку командовать ассистентом (prompt injection).',
      'sensitive-data-request':
        'В сообщении клиента есть просьба о данных карты, CVV, паролях или кодах из СМС.',
      'money-promise': 'Сообщение клиента требует пообещать деньги сверх правил.',
      'external-link': 'В сообщении клиента ссылка на сторонний сайт.',
    },
    knowledge: (title: string, kinds: string) =>
      `Источник подсказки «${title}» помечен как подозрительный: ${kinds}.`,
    kindNames: {
      'prompt-injection': 'команды для ассистента',
      'sensitive-data-request': 'просьба о данных карты или кодах',
      'money-promise': 'обещание денег сверх политики',
      'external-link': 'ссылка на сторонний сайт',
    },
    why: {
      conversation:
        'Так пытаются заставить подсказки выдать чужие данные, внутренние правила или пообещать лишнее; мошенники так же выманивают данные карт.',
      knowledge:
        'Статью базы знаний могли подменить, чтобы через ответы операторов выманить данные клиента или пообещать лишнее.',
    },
    todo: {
      conversation:
        'Не выполняйте просьб, обращённых к ассистенту, и никогда не запрашивайте и не пересылайте данные карты и коды. Прочитайте каждую подсказку перед отправкой.',
      knowledge:
        'Прочитайте ответ целиком перед отправкой, уберите всё подозрительное и сообщите менеджеру базы знаний.',
    },
    messageNumber: (index: number) => `сообщение № ${index + 1}`,
    cardNote: 'Источник помечен — проверьте текст перед отправкой',
    shortcutRefused: (index: number) =>
      `Ответ ${index + 1} опирается на подозрительный источник: клавишей он не вставляется — прочитайте его и нажмите «Вставить».`,
  },
};

function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

export type Strings = typeof ru;

const en: Strings = {
  title: 'Naparnik',
  collapse: 'Collapse panel',
  expand: 'Open Naparnik',
  loading: 'Reading the conversation…',
  tabSuggestions: 'Replies',
  tabSummary: 'Summary',
  tabSearch: 'Search',
  notConfiguredTitle: 'Naparnik is not set up',
  notConfiguredBody: 'Set the service URL and knowledge base in the extension options.',
  collectionMissing: (name) => `The knowledge base "${name}" does not exist on the service.`,
  openOptions: 'Open options',
  unreachableTitle: 'The assist service is unreachable',
  unreachableBody: (url) => `Could not reach ${url}. Check that the service is running.`,
  retry: 'Retry',
  notReady: 'The service is starting and opening the knowledge base…',
  notFoundTitle: 'No conversation found',
  notFoundBody: 'This page shows no customer conversation. Open a ticket, or teach Naparnik this page.',
  teachPage: 'Teach this page',
  teachMisread: 'Conversation read wrongly? Teach this page',
  degraded: 'Offline mode: replies from templates and FAQ, no generation.',
  refresh: 'Refresh',
  streaming: 'Preparing replies…',
  noSuggestions: 'Nothing in the knowledge base fits — the question was logged as a knowledge gap.',
  insert: 'Insert',
  inserted: 'Inserted',
  insertFailed: 'Could not insert — copied instead',
  copy: 'Copy',
  copied: 'Copied',
  thumbsUp: 'Good reply',
  thumbsDown: 'Bad reply',
  thanks: 'Thanks for rating',
  sources: 'Sources',
  missingSlots: 'Fill in before sending',
  firstDo: 'first',
  askedBefore: 'Asked before as',
  confidence: { low: 'low confidence', medium: 'medium confidence', high: 'high confidence' },
  short: 'short',
  summaryIssue: 'Issue',
  summaryTried: 'Already done',
  summaryPromised: 'Promised',
  summaryOpen: 'Open questions',
  summaryEmpty: 'The summary appears once the service answers.',
  sentiment: { negative: 'customer is unhappy', neutral: 'calm tone', positive: 'friendly tone' },
  nextActions: 'Next steps',
  action: { handover: 'Hand over', ask: 'Ask', close: 'Close', escalate: 'Escalate' },
  searchPlaceholder: 'Search the knowledge base',
  searchButton: 'Search',
  searchEmpty: 'Nothing found.',
  shortcuts: 'Alt+1…3 insert a reply, Alt+R refresh, Alt+S summary',
  error: 'Error',
  rewrite: {
    shorter: 'Shorter',
    friendlier: 'Friendlier',
    formal: 'More formal',
    'fix-grammar': 'Fix grammar',
  },
  rewriteUndo: 'Undo',
  rewritten: 'Rewritten',
  rewriteNoChange: 'The text already fits this style',
  dismiss: 'Dismiss reply',
  dismissReasons: ['Does not fit', 'Inaccurate', 'Wrong tone', 'Already answered myself'],
  dismissNoReason: 'Just hide',
  dismissed: 'Reply dismissed',
  restore: 'Restore',
  draftTitle: 'Draft check',
  draftClean: 'No remarks',
  draftFix: 'Fix',
  draftBetter: 'Better',
  draftChecking: 'Checking…',
  roleNames: {
    customer: 'from the customer',
    operator: 'from an operator',
    bot: 'from a bot',
    note: 'an internal note',
    system: 'a status line',
  },
  unsureLatest: (role) =>
    `Not sure the latest message is ${role}: this page does not show who wrote it. Check what you are answering.`,
  unsureSome: (count) =>
    `Not sure who wrote ${count} ${count === 1 ? 'message' : 'messages'} in this conversation — suggestions may lean on the wrong turns.`,
  unsureTeach: 'Show whose messages are whose',
  safety: {
    title: 'Caution',
    conversation: {
      'prompt-injection': 'The customer’s message reads like commands to the assistant (prompt injection).',
      'sensitive-data-request': 'The customer’s message asks for card data, CVV, passwords or SMS codes.',
      'money-promise': 'The customer’s message demands a money promise beyond policy.',
      'external-link': 'The customer’s message links to an outside site.',
    },
    knowledge: (title, kinds) => `The source of a suggestion, “${title}”, is flagged: ${kinds}.`,
    kindNames: {
      'prompt-injection': 'commands to the assistant',
      'sensitive-data-request': 'a request for card data or codes',
      'money-promise': 'a money promise beyond policy',
      'external-link': 'a link to an outside site',
    },
    why: {
      conversation:
        'Such text tries to make suggestions reveal other people’s data or internal rules, or promise too much; fraudsters fish for card data the same way.',
      knowledge:
        'A knowledge-base entry may have been tampered with to fish for customers’ data or promise too much through operators’ replies.',
    },
    todo: {
      conversation:
        'Do not follow requests addressed to the assistant, and never ask for or pass on card data or codes. Read every suggestion before sending.',
      knowledge:
        'Read the whole reply before sending, remove anything suspicious and tell the knowledge manager.',
    },
    messageNumber: (index) => `message ${index + 1}`,
    cardNote: 'Source flagged — check the text before sending',
    shortcutRefused: (index) =>
      `Reply ${index + 1} rests on a flagged source: the shortcut does not insert it — read it and press “Insert”.`,
  },
};

export const STRINGS: Record<Locale, Strings> = { ru, en };
