import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { classTokens, nameTokens } from './class-tokens.ts';
import { inlineText } from './dom.ts';

type Role = ConversationMessage['role'];

/** Words in class names and data attributes that say who wrote a message. */
const ROLE_WORDS: Array<[Role, ReadonlySet<string>]> = [
  ['note', new Set(['note', 'internal', 'private', 'whisper', 'comment'])],
  [
    'system',
    new Set([
      'system',
      'activity',
      'event',
      'lineitem',
      'notice',
      'separator',
      'tracking',
      'audit',
      'action',
      'notification',
      'basics',
    ]),
  ],
  ['bot', new Set(['bot', 'robot', 'automated', 'autoreply'])],
  [
    'operator',
    new Set([
      'agent',
      'operator',
      'outgoing',
      'outbound',
      'out',
      'sent',
      'staff',
      'support',
      'employee',
      'manager',
      'response',
      'mine',
      'own',
      'self',
      'me',
    ]),
  ],
  [
    'customer',
    new Set([
      'customer',
      'client',
      'incoming',
      'inbound',
      'in',
      'received',
      'visitor',
      'guest',
      'requester',
      'contact',
      'inbox',
    ]),
  ],
];
/** Short or common words only count on the message element itself, where they are unambiguous. */
const ITEM_ONLY_WORDS = new Set([
  'in',
  'out',
  'me',
  'own',
  'self',
  'sent',
  'event',
  'contact',
  'comment',
  'support',
  'action',
  'notification',
  'basics',
  'response',
  'inbox',
  'private',
]);
/** Parts of a message that describe it rather than hold its role (FreeScout's thread-info, …). */
const META_WORDS = new Set([
  'meta',
  'info',
  'header',
  'head',
  'title',
  'status',
  'actions',
  'toolbar',
  'avatar',
  'photo',
  'popover',
  'dropdown',
  'menu',
]);
const ROLE_ATTRIBUTES = [
  'data-role',
  'data-author-role',
  'data-sender',
  'data-sender-type',
  'data-author-type',
  'data-direction',
  'data-type',
  'data-message-type',
];
/** "NotVisibleForCustomer", "not-visible-for-customer", "invisible": an internal entry. */
const INTERNAL_CLASS = /not-?visible|invisible|hidden-?for-?customer|internal-?only|agents?-?only/i;

/** Badge and label texts that say what an entry is or who wrote it. */
const NOTE_LABEL =
  /^(?:внутренн(?:яя|ий|ее)(?: заметка| комментарий| примечание)?|заметка|примечание|приватн(?:ый|ая|ое)(?: комментарий| заметка)?|частн(?:ый|ая|ое)|личная заметка|шёпот|шепот|скрыт(?:ый|о) от клиента|комментарий добавлен|комментарии добавлены|задача|task|переслано|перенаправлено|forwarded|internal(?: note| comment)?|private(?: note| comment| reply)?|whisper|log note|note|comments? added)$/iu;
const SYSTEM_LABEL =
  /^(?:системное(?: сообщение)?|уведомление|событие|system(?: message)?|notification|event|activity)$/iu;
const BOT_LABEL =
  /^(?:бот|чат-бот|чатбот|автоответчик|автоответ|автоприветствие|автосообщение|приветствие|bot|chatbot|auto-?reply|auto-?greeting|greeting)$/iu;
const OPERATOR_LABEL =
  /^(?:агент|сотрудник|оператор|специалист|техник|менеджер|поддержка|agent|staff|operator|support|исходящее(?: письмо| сообщение)?|outgoing(?: e-?mail| message)?)$/iu;
const CUSTOMER_LABEL =
  /^(?:клиент|покупатель|заявитель|посетитель|гость|пользователь|customer|client|requester|visitor|guest|входящее(?: письмо| сообщение)?|incoming(?: e-?mail| message)?)$/iu;

/**
 * Status lines helpdesks write into a history: assignment, status/priority/stage changes,
 * merges, transfers, creation, joins and page visits, "outgoing message saved".
 */
/** Whole words in Cyrillic and Latin text (JavaScript's \b knows only ASCII letters). */
const word = (source: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'iu');
const SYSTEM_TEXT: readonly RegExp[] = [
  word(
    '(?:статус|приоритет|этап|стадия|очередь|тип|отдел|категория)\\p{L}*\\s+(?:заявки\\s+|сделки\\s+|обращения\\s+)?(?:изменен|изменён|изменил|установлен|поменял)\\p{L}*',
  ),
  /(?:изменил[аи]?|изменил(?:ся|ась|ись)|изменено|изменён|изменен|установлено)\s.*(?:\s|^)(?:с|из)\s.+\s(?:на|в)\s/iu,
  word('(?:назначен[аоы]?|назначил[аи]?|переназначен[аоы]?|назначила|назначил\\(а\\))'),
  word('(?:объединен[аоы]?|объединил[аи]?|объединил\\(а\\)|слит[аоы]?\\s+с)'),
  /(?:передал[аи]?|передан[аоы]?|перенаправлен[аоы]?)\s.*(?:агент|оператор|отдел|в\s|очеред)/iu,
  word('(?:создан[аоы]?|закрыт[аоы]?|переоткрыт[аоы]?|решен[аоы]?|взят[аоы]?)'),
  /(?:сохранен[оа]?|отправлен[оа]?)\s+(?:исходящее|входящее|автоматическое)?\s*(?:сообщение|письмо|уведомление)/iu,
  /(?:присоединил(?:ся|ась)|покинул[аи]?|вышел из|вышла из|подключил(?:ся|ась)|начал[аи]?\s+чат|принял[аи]?\s+чат|завершил[аи]?\s+чат|чат\s+(?:завершен|закрыт|начат))/iu,
  /(?:открыл[аи]?\s+страницу|перешёл на страницу|перешел на страницу|перешла на страницу)/iu,
  /(?:добавил[аи]?|удалил[аи]?|снял[аи]?|добавил\(а\))\s+(?:метк|тег|наблюдател|участник)/iu,
  /(?:новый этап|ответственный изменён|ответственный изменен|стадия изменена|этап изменён|этап изменен)/iu,
  /\s(?:→|->)\s/u,
  /\b(?:status|priority|stage|owner|queue)\s+(?:changed|set|updated)\b/i,
  /\b(?:assigned|unassigned|reassigned|merged|closed|reopened|resolved|taken|created|joined|left the)\b/i,
  /\b(?:changed|set)\s.*\bfrom\b.*\bto\b/i,
];

/** What one message's markup says, read once per element; roles are decided over all of them. */
export interface MessageSigns {
  /** Class names of the message element. */
  itemClasses: string[];
  /** Words of its role attributes (data-role, data-sender-type…). */
  attributeWords: string[];
  /** Class names of its descendants (three levels, meta blocks left out). */
  innerClasses: string[];
  /** A class name saying the entry is hidden from the customer ("NotVisibleForCustomer"). */
  internalClass: boolean;
  /** Short texts: badges, labels, aria-labels, the author's label parts. */
  labels: string[];
  /** A lock icon ("private"). */
  lock: boolean;
  /** The yellow or amber background internal notes get in most desks (class or inline style). */
  yellow?: string;
  /** Which side the message sits on, and the class or style that said so. */
  alignment?: 'left' | 'right' | 'center';
  alignmentMark?: string;
  /** Marked as the signed-in user's own (data-own="true", a "mine" flag). */
  own: boolean;
}

function attributeWords(element: Element): string[] {
  const words: string[] = [];
  for (const name of ROLE_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value) words.push(...value.toLowerCase().split(/[^a-zа-я]+/u));
  }
  if (element.hasAttribute('data-system-message-type')) words.push('system');
  return words;
}

function wordsOf(element: Element, itemLevel: boolean): string[] {
  const words = classTokens(element);
  if (itemLevel) words.push(...attributeWords(element));
  return itemLevel ? words : words.filter((word) => !ITEM_ONLY_WORDS.has(word));
}

/** "VisibleForCustomer", "is-visible": who may see an entry, not who wrote it. */
const VISIBILITY_CLASS = /visib|hidden|shown/i;

function namesOf(element: Element): string[] {
  return (element.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The words of the class names that set a message apart: names every message has say nothing,
 * and a name built on one of those ("feed-note-wrapper-note" on "feed-note-wrapper") counts
 * only for what it adds.
 */
function distinctWords(names: readonly string[], common: ReadonlySet<string>, inner: boolean): string[] {
  const words: string[] = [];
  for (const name of names) {
    if (common.has(name) || VISIBILITY_CLASS.test(name)) continue;
    let stem = '';
    for (const shared of common) if (name.startsWith(shared) && shared.length > stem.length) stem = shared;
    const stemWords = stem ? nameTokens(stem) : [];
    const left = nameTokens(name);
    for (const word of stemWords) {
      const index = left.indexOf(word);
      if (index >= 0) left.splice(index, 1);
    }
    for (const word of left) if (!inner || !ITEM_ONLY_WORDS.has(word)) words.push(word);
  }
  return words;
}

/** Class names every message (of three or more) has. */
function commonNames(lists: ReadonlyArray<readonly string[]>): Set<string> {
  if (lists.length < 3) return new Set();
  // Class lists are short: scanning them beats building a set per row on every reading.
  let common = [...(lists[0] ?? [])];
  for (let index = 1; index < lists.length && common.length > 0; index++) {
    const names = lists[index]!;
    common = common.filter((name) => names.includes(name));
  }
  return new Set(common);
}

function roleFromWords(words: readonly string[]): Role | undefined {
  for (const [role, vocabulary] of ROLE_WORDS) if (words.some((word) => vocabulary.has(word))) return role;
  return undefined;
}

function descendants(item: Element, depth: number, skip?: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const visit = (node: Element, level: number) => {
    for (const child of Array.from(node.children)) {
      if (classTokens(child).some((word) => META_WORDS.has(word))) continue;
      if (skip?.(child)) continue;
      found.push(child);
      if (level < depth) visit(child, level + 1);
    }
  };
  visit(item, 1);
  return found;
}

/** The role a message's own markup states, from its class names and data attributes. */
export function declaredRole(item: Element): Role | undefined {
  const own = roleFromWords(wordsOf(item, true));
  if (own) return own;
  for (const element of descendants(item, 3)) {
    const role = roleFromWords(wordsOf(element, false));
    if (role) return role;
  }
  return undefined;
}

const RIGHT_CLASS =
  /^(?:justify|self|float|text|pull)-(?:end|right|flex-end)$|^m[ls]-auto$|(?:^|[-_])right(?:[-_]|$)|(?:^|[-_])end(?:[-_]|$)/;
const LEFT_CLASS =
  /^(?:justify|self|float|text|pull)-(?:start|left|flex-start)$|^m[re]-auto$|(?:^|[-_])left(?:[-_]|$)/;
// items-center centres across a row's height, not the row on the page.
const CENTER_CLASS = /^(?:justify|self|text)-center$/;

/** Which side the message sits on, from alignment classes and inline styles, and what said so. */
export function alignmentMark(
  item: Element,
  ignore?: ReadonlySet<string>,
): { side: 'left' | 'right' | 'center'; mark: string } | undefined {
  // Only the row and the blocks that carry most of its text place the message: an avatar's
  // centred initials or a right-aligned time say nothing about the side.
  const total = inlineText(item).length;
  const carriers = descendants(item, 3).filter((element) => inlineText(element).length * 2 >= total);
  for (const element of [item, ...carriers]) {
    const style = (element.getAttribute('style') ?? '').replace(/\s+/g, '').toLowerCase();
    if (style) {
      const mark = `style:${style}`;
      if (!ignore?.has(mark)) {
        if (
          /margin-left:auto|align-self:(?:flex-)?end|text-align:right|justify-content:(?:flex-)?end/.test(
            style,
          )
        )
          return { side: 'right', mark };
        if (/align-self:center|justify-content:center|text-align:center/.test(style))
          return { side: 'center', mark };
        if (/margin-right:auto|align-self:(?:flex-)?start|justify-content:(?:flex-)?start/.test(style))
          return { side: 'left', mark };
      }
    }
    for (const name of (element.getAttribute('class') ?? '').split(/\s+/)) {
      if (!name || ignore?.has(name)) continue;
      if (CENTER_CLASS.test(name)) return { side: 'center', mark: name };
      if (RIGHT_CLASS.test(name)) return { side: 'right', mark: name };
      if (LEFT_CLASS.test(name)) return { side: 'left', mark: name };
    }
  }
  return undefined;
}

/** Which side the message sits on, from alignment classes and inline styles. */
export function alignmentOf(item: Element): 'left' | 'right' | 'center' | undefined {
  return alignmentMark(item)?.side;
}

/** Names compare by their words, so "Ольга Петренко" matches "Петренко Ольга" and "Ольга". */
export function sameName(a: string, b: string): boolean {
  const words = (value: string) =>
    value
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/<[^>]*>|[^\p{L}\s]/gu, ' ')
      .split(/\s+/)
      .filter((word) => word.length > 1);
  const left = words(a);
  const right = new Set(words(b));
  if (left.length === 0 || right.size === 0) return false;
  const shared = left.filter((word) => right.has(word)).length;
  return (
    shared >= Math.min(left.length, right.size, 2) || (shared >= 1 && Math.min(left.length, right.size) === 1)
  );
}

const LOCK_WORDS = new Set(['lock', 'locked', 'padlock']);

/**
 * Reads a message element's signs. `body` (the element holding its text) is left out of the
 * labels: a customer writing «заметка» in a letter is not a note.
 */
export function readSigns(item: Element, body: Element | undefined): MessageSigns {
  const inner = descendants(item, 3, (element) => element === body);
  const innerClasses: string[] = [];
  let internalClass = INTERNAL_CLASS.test(item.getAttribute('class') ?? '');
  for (const element of inner) {
    innerClasses.push(...namesOf(element));
    if (!internalClass && INTERNAL_CLASS.test(element.getAttribute('class') ?? '')) internalClass = true;
  }
  const labels: string[] = [];
  for (const name of ['aria-label', 'aria-roledescription']) {
    const value = item.getAttribute(name);
    if (value) labels.push(value);
  }
  let lock = false;
  for (const element of Array.from(item.querySelectorAll('*'))) {
    if (body && (element === body || body.contains(element))) continue;
    if (classTokens(element).some((token) => LOCK_WORDS.has(token))) lock = true;
    const title = element.getAttribute('title');
    if (title && title.length <= 40 && element.childElementCount <= 1) labels.push(title);
    if (element.childElementCount > 1) continue;
    const text = inlineText(element);
    if (text && text.length <= 40) labels.push(text);
  }
  const aligned = alignmentMark(item);
  let yellow: string | undefined;
  for (const element of [item, ...inner]) {
    if (body && (element === body || body.contains(element))) continue;
    const mark = yellowMark(element);
    if (mark) {
      yellow = mark;
      break;
    }
  }
  return {
    yellow,
    itemClasses: namesOf(item),
    attributeWords: attributeWords(item),
    innerClasses,
    internalClass,
    labels,
    lock,
    alignment: aligned?.side,
    alignmentMark: aligned?.mark,
    own: item.getAttribute('data-own') === 'true' || item.getAttribute('data-mine') === 'true',
  };
}

const YELLOW_CLASS =
  /^(?:bg|background)-(?:[a-z]+-)?(?:amber|yellow)(?:-\d+|-lt|-light)?$|(?:^|[-_])(?:amber|yellow)(?:$|[-_])/;

/** A class or inline background in the yellow/amber range, as its mark (to compare across rows). */
function yellowMark(element: Element): string | undefined {
  for (const name of namesOf(element)) if (YELLOW_CLASS.test(name)) return name;
  const style = element.getAttribute('style');
  const colour = style && /background(?:-color)?\s*:\s*#([0-9a-f]{6}|[0-9a-f]{3})\b/i.exec(style)?.[1];
  if (!colour) return undefined;
  const hex = colour.length === 3 ? colour.replace(/./g, '$&$&') : colour;
  const [r, g, b] = [0, 2, 4].map((index) => Number.parseInt(hex.slice(index, index + 2), 16)) as [
    number,
    number,
    number,
  ];
  // Light, warm, with little blue: cream, lemon, amber.
  return r >= 220 && g >= 190 && b <= 210 && r - b >= 35 && Math.abs(r - g) <= 45
    ? `style:#${hex}`
    : undefined;
}

/** What the roles are decided from, per message. */
export interface RoleInput {
  signs: MessageSigns;
  text: string;
  /** The author as the message shows it ("Вы", a name, an address). */
  author?: string;
  /** Whether the author matches the requester, an operator, or neither (undefined: no author). */
  authorIs?: 'requester' | 'operator' | 'other' | 'self' | 'system';
  /** No body block of its own: the entry is one line of its header (an event row). */
  bodyless: boolean;
  /** Shown apart from the list (an issue's description above its history). */
  outsideList?: boolean;
}

export interface RoleDecision {
  role: Role;
  /** 0–1: how much the evidence agrees. */
  confidence: number;
}

function labelParts(labels: readonly string[]): string[] {
  const parts: string[] = [];
  for (const label of labels) {
    const trimmed = label.trim();
    parts.push(trimmed);
    for (const part of trimmed.split(/\s*[·•|—–:]\s*/u))
      if (part && part !== trimmed) parts.push(part.trim());
  }
  return parts;
}

/** How strongly each piece of evidence counts. */
const WEIGHT = {
  itemWord: 0.9,
  innerWord: 0.7,
  internalClass: 0.8,
  label: 0.85,
  lock: 0.55,
  yellow: 0.55,
  systemText: 0.6,
  bodylessLine: 0.3,
  center: 0.6,
  systemAuthor: 0.7,
  self: 0.95,
  identity: 0.9,
  notRequester: 0.6,
  own: 0.9,
  right: 0.5,
  left: 0.4,
} as const;
/** A kind (note, system, bot) needs this much evidence to win over being a message. */
const KIND_THRESHOLD = 0.5;

/**
 * Decides every message's role from its signs, the way the page names its people, and the
 * other messages: class words every message shares say nothing; a kind (note, system, bot) with
 * enough evidence wins; otherwise the side (customer, operator) with the most evidence; a message
 * with none takes the side of the message before it (chat grouping), else of rows shaped like it.
 */
type Evidence = Array<[Role, number]>;

/** What a row's own signs say, whatever the other rows are (kept per row: rows are re-read rarely). */
const ownEvidence = new WeakMap<MessageSigns, { key: string; evidence: Evidence }>();
/** A row's decision before the grouping pass, and what it was decided from. */
const decisionCache = new WeakMap<MessageSigns, { key: string; decision: RoleDecision }>();
/** A row's class words that set it apart, for one set of words every row shares. */
const classEvidence = new WeakMap<MessageSigns, { key: string; evidence: Evidence }>();

function evidenceOfOwn(input: RoleInput): Evidence {
  // A row's signs are read anew whenever its text changes: what else the evidence depends on is this.
  const key = `${input.authorIs ?? ''}|${input.author ? 1 : 0}|${input.bodyless ? 1 : 0}|${input.text.length}`;
  const cached = ownEvidence.get(input.signs);
  if (cached?.key === key) return cached.evidence;
  const evidence: Evidence = [];
  const { signs } = input;
  if (signs.internalClass) evidence.push(['note', WEIGHT.internalClass]);
  const unattributed = !input.author && input.text.length <= 160;
  for (const part of labelParts(signs.labels)) {
    // A header that reads as a status line ("Стадия изменена", "Создана сделка").
    if (unattributed && part.length <= 60 && SYSTEM_TEXT.some((pattern) => pattern.test(part)))
      evidence.push(['system', WEIGHT.systemText]);
    if (NOTE_LABEL.test(part)) evidence.push(['note', WEIGHT.label]);
    else if (SYSTEM_LABEL.test(part)) evidence.push(['system', WEIGHT.label]);
    else if (BOT_LABEL.test(part)) evidence.push(['bot', WEIGHT.label]);
    else if (OPERATOR_LABEL.test(part)) evidence.push(['operator', WEIGHT.label]);
    else if (CUSTOMER_LABEL.test(part)) evidence.push(['customer', WEIGHT.label]);
  }
  if (signs.lock) evidence.push(['note', WEIGHT.lock]);
  const text = input.text;
  const oneLine = text.length <= 240 && text.split('\n').filter(Boolean).length <= 4;
  if (oneLine && (input.bodyless || !input.author) && SYSTEM_TEXT.some((pattern) => pattern.test(text)))
    evidence.push(['system', WEIGHT.systemText]);
  if (input.bodyless && !input.author && text.length <= 120) evidence.push(['system', WEIGHT.bodylessLine]);
  if (signs.own) evidence.push(['operator', WEIGHT.own]);
  const byAuthor: Partial<Record<NonNullable<RoleInput['authorIs']>, [Role, number]>> = {
    self: ['operator', WEIGHT.self],
    operator: ['operator', WEIGHT.identity],
    requester: ['customer', WEIGHT.identity],
    other: ['operator', WEIGHT.notRequester],
    system: ['system', WEIGHT.systemAuthor],
  };
  const authored = input.authorIs ? byAuthor[input.authorIs] : undefined;
  if (authored) evidence.push(authored);
  ownEvidence.set(signs, { key, evidence });
  return evidence;
}

function evidenceOfClasses(
  signs: MessageSigns,
  commonItem: Set<string>,
  commonInner: Set<string>,
  key: string,
): Evidence {
  const cached = classEvidence.get(signs);
  if (cached?.key === key) return cached.evidence;
  const evidence: Evidence = [];
  for (const word of [...distinctWords(signs.itemClasses, commonItem, false), ...signs.attributeWords])
    for (const [role, vocabulary] of ROLE_WORDS)
      if (vocabulary.has(word)) evidence.push([role, WEIGHT.itemWord]);
  for (const word of distinctWords(signs.innerClasses, commonInner, true))
    for (const [role, vocabulary] of ROLE_WORDS)
      if (vocabulary.has(word)) evidence.push([role, WEIGHT.innerWord]);
  classEvidence.set(signs, { key, evidence });
  return evidence;
}

/**
 * Decides every message's role from its signs, the way the page names its people, and the
 * other messages: class words every message shares say nothing; a kind (note, system, bot) with
 * enough evidence wins; otherwise the side (customer, operator) with the most evidence; a message
 * with none takes the side of the message before it (chat grouping). Each role's score is its
 * strongest piece of evidence plus a tenth of the others; what a row says on its own is kept
 * between readings, so a new message costs its own evidence and a pass over the rows.
 */
export function decideRoles(inputs: readonly RoleInput[]): RoleDecision[] {
  // Only the list's rows tell what every row has (an opening message shown above it does not).
  const rows = inputs.filter((input) => !input.outsideList);
  const commonItem = commonNames(rows.map((input) => input.signs.itemClasses));
  const commonInner = commonNames(rows.map((input) => input.signs.innerClasses));
  const commonKey = `${[...commonItem].join(' ')}|${[...commonInner].join(' ')}`;
  const marks = inputs.map((input) => input.signs.alignmentMark ?? '');
  const everyMarked = inputs.length >= 3 && marks.every((mark) => mark && mark === marks[0]);
  const yellowRows = rows.filter((input) => input.signs.yellow).length;
  const yellowEverywhere = rows.length >= 3 && yellowRows > rows.length / 2;
  const decisions: RoleDecision[] = [];
  const crossKey = `${commonKey}|${everyMarked ? 1 : 0}|${yellowEverywhere ? 1 : 0}`;
  for (const input of inputs) {
    const { signs } = input;
    // Nothing this row depends on changed since the last reading: its decision stands.
    const key = `${crossKey}|${input.outsideList ? 1 : 0}|${input.authorIs ?? ''}|${input.author ? 1 : 0}|${input.bodyless ? 1 : 0}|${input.text.length}`;
    const decided = decisionCache.get(signs);
    if (decided?.key === key) {
      decisions.push(decided.decision);
      continue;
    }
    const evidence: Evidence = [
      ...evidenceOfClasses(
        signs,
        commonItem,
        commonInner,
        input.outsideList ? `outside|${commonKey}` : commonKey,
      ),
      ...evidenceOfOwn(input),
    ];
    if (signs.yellow && !yellowEverywhere) evidence.push(['note', WEIGHT.yellow]);
    if (!everyMarked) {
      if (signs.alignment === 'center') evidence.push(['system', WEIGHT.center]);
      else if (signs.alignment === 'right') evidence.push(['operator', WEIGHT.right]);
      else if (signs.alignment === 'left') evidence.push(['customer', WEIGHT.left]);
    }
    const score: Record<Role, number> = { note: 0, system: 0, bot: 0, customer: 0, operator: 0 };
    const total: Record<Role, number> = { note: 0, system: 0, bot: 0, customer: 0, operator: 0 };
    for (const [role, weight] of evidence) {
      score[role] = Math.max(score[role], weight);
      total[role] += weight;
    }
    for (const role of Object.keys(score) as Role[]) score[role] += (total[role] - score[role]) * 0.1;
    const kinds = (['note', 'system', 'bot'] as const)
      .map((role) => [role, score[role]] as const)
      .sort((a, b) => b[1] - a[1]);
    const sides = (['customer', 'operator'] as const)
      .map((role) => [role, score[role]] as const)
      .sort((a, b) => b[1] - a[1]);
    const [topKind, kindScore] = kinds[0]!;
    const [topSide, sideScore] = sides[0]!;
    const decision: RoleDecision =
      kindScore >= KIND_THRESHOLD && kindScore >= sideScore * 0.5
        ? { role: topKind, confidence: confidence(kindScore, kinds[1]![1]) }
        : sideScore > 0
          ? { role: topSide, confidence: confidence(sideScore, Math.max(sides[1]![1], kindScore)) }
          : { role: 'customer', confidence: 0 };
    decisionCache.set(signs, { key, decision });
    decisions.push(decision);
  }
  // No evidence at all: the side of the message before it (chat messages grouped under one
  // header), else customer with no confidence.
  for (let index = 1; index < decisions.length; index++) {
    const decision = decisions[index]!;
    const previous = decisions[index - 1]!;
    if (decision.confidence > 0 || inputs[index]!.author) continue;
    if (previous.role === 'customer' || previous.role === 'operator')
      decisions[index] = { role: previous.role, confidence: previous.confidence * 0.8 };
  }
  return decisions;
}

function confidence(top: number, rival: number): number {
  return Math.round(Math.min(1, Math.max(0, (top - rival * 0.8) / (top + 0.2))) * 100) / 100;
}
