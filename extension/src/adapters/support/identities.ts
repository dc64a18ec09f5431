import type { PageRoot } from '../adapter.ts';
import { classTokens } from './class-tokens.ts';
import { documentOf, inlineText } from './dom.ts';
import { sameName } from './roles.ts';

/** Someone the page names: a display name, an e-mail address, a login, any of them. */
export interface Person {
  name?: string;
  email?: string;
  login?: string;
}

/** Who is who on the page, read outside the message list. */
export interface Identities {
  /** The signed-in operator (header, avatar menu) and whoever the ticket is assigned to. */
  operators: Person[];
  /** The customer: the requester field, the contact card, the visitor panel. */
  requester?: Person;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;

/** "Name <address>", "address", "Name (login)", "@login" → the parts. */
export function parsePerson(value: string): Person | undefined {
  const text = value
    .replace(/\s+/g, ' ')
    .replace(/\s+(?:через|via)\s+.*$/iu, '')
    .trim();
  if (!text || text.length > 120) return undefined;
  const person: Person = {};
  const email = EMAIL.exec(text)?.[0];
  if (email) person.email = email.toLowerCase();
  const login = /(?:^|\s)@([\w.-]+)/u.exec(text)?.[1] ?? /\(([\w.-]+)\)\s*$/u.exec(text)?.[1];
  if (login) person.login = login.toLowerCase();
  const name = text
    .replace(/<[^>]*>/g, ' ')
    .replace(EMAIL, ' ')
    .replace(/(?:^|\s)@[\w.-]+/gu, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[<>"«»]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (name && /\p{L}/u.test(name)) {
    // A bare login ("s.nikitina") is a login, not a name.
    if (/^[\w.-]+$/u.test(name) && /[._]|\d/.test(name) && !/\s/.test(name))
      person.login ??= name.toLowerCase();
    else person.name = name;
  }
  return person.name || person.email || person.login ? person : undefined;
}

/** Whether two people are the same: same address, same login, or the same name's words. */
export function samePerson(a: Person, b: Person): boolean {
  if (a.email && b.email) return a.email === b.email;
  if (a.login && b.login && a.login === b.login) return true;
  if (a.login && b.email && b.email.split('@')[0] === a.login) return true;
  if (b.login && a.email && a.email.split('@')[0] === b.login) return true;
  return Boolean(a.name && b.name && sameName(a.name, b.name));
}

// "Вошли как s.nikitina", "Добро пожаловать, Ксения", "Logged in as …", "Welcome, …".
const SIGNED_IN =
  /^(?:вы\s+)?(?:вошли как|вошёл как|вошла как|добро пожаловать|здравствуйте|logged in as|signed in as|welcome(?: back)?)\s*,?\s*(.+?)[.!]?$/iu;
// aria-label / title of the avatar menu: "Аккаунт: Кирилл Жуков", "Профиль".
const ACCOUNT_LABEL =
  /^(?:аккаунт|профиль|учётная запись|учетная запись|меню пользователя|открыть меню пользователя|account|profile|user menu|my account)\s*[:—-]?\s*(.*)$/iu;
const ASSIGNEE_LABEL =
  /^(?:ответственн(?:ый|ая|ые)|исполнитель|назначен[оаы]?|владелец|агент|техник|менеджер|owner|assignee|assigned(?: to)?|agent)\s*:?\s*$/iu;
const REQUESTER_LABEL =
  /^(?:заявител[ьи]|клиент|покупатель|контакт|пользователь|посетитель|инициатор(?: запроса)?|requesters?|customer|client|contact|visitor|requestor)\s*:?\s*$/iu;
const LABELLED_INLINE =
  /^(ответственн(?:ый|ая)|исполнитель|назначено|владелец|owner|assignee|assigned to|заявитель|клиент|покупатель|requester|customer)\s*:\s*(.+)$/iu;

const CHROME_WORDS = new Set([
  'header',
  'navbar',
  'topbar',
  'navigation',
  'nav',
  'toolbar',
  'systray',
  'banner',
  'quickbar',
  'account',
]);
const USER_WORDS = new Set(['user', 'profile', 'account', 'userpic', 'me', 'current']);
const CUSTOMER_WORDS = new Set(['customer', 'contact', 'client', 'requester', 'visitor', 'requestor']);
const NAME_WORDS = new Set(['name', 'username', 'title']);
const LABEL_TAGS = new Set(['dt', 'th', 'label', 'span', 'strong', 'b', 'div', 'p', 'h4', 'h5', 'td']);

// NodeFilter's constants, spelled out: the tests' DOM and the page agree on the numbers.
const SHOW_ELEMENT = 0x1;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
const OWN_UI = 'data-naparnik';

/**
 * The elements under `root` in document order, without the message list's subtree (on a long
 * conversation the list is most of the page) and without our own panel.
 */
export function elementsOutside(root: PageRoot, messageList: Element | undefined): Element[] {
  const walker = documentOf(root).createTreeWalker(root, SHOW_ELEMENT, {
    acceptNode: (node) =>
      node === messageList || (node as Element).hasAttribute?.(OWN_UI) ? FILTER_REJECT : FILTER_ACCEPT,
  });
  const elements: Element[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) elements.push(node as Element);
  return elements;
}

function inChrome(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const tag = node.localName;
    if (tag === 'header' || tag === 'nav') return true;
    const role = node.getAttribute('role');
    if (role === 'banner' || role === 'navigation') return true;
    if (classTokens(node).some((token) => CHROME_WORDS.has(token))) return true;
    if (node.id && /^(?:header|top|navbar|toolbar|quickbar|loggedas|info)/i.test(node.id)) return true;
  }
  return false;
}

function aboutCustomer(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (classTokens(node).some((token) => CUSTOMER_WORDS.has(token))) return true;
  }
  return false;
}

/** The value beside a label: the next element sibling, else the parent's next sibling. */
function valueAfter(label: Element): string {
  const next = label.nextElementSibling ?? label.parentElement?.nextElementSibling;
  const text = inlineText(next);
  return text.length <= 120 ? text : '';
}

/** The name an avatar/user-menu element shows: a name child, its title or alt, its short text. */
function shownName(element: Element): string {
  for (const child of Array.from(element.querySelectorAll('*'))) {
    if (classTokens(child).some((token) => NAME_WORDS.has(token))) {
      const text = inlineText(child);
      if (text && text.length <= 80) return text;
    }
  }
  const titled = element.getAttribute('title') || element.querySelector('img[alt]')?.getAttribute('alt');
  if (titled) return titled;
  const text = inlineText(element);
  return text.length <= 60 ? text : '';
}

function addPerson(list: Person[], person: Person | undefined): void {
  if (!person) return;
  const known = list.find((other) => samePerson(other, person));
  if (!known) {
    list.push(person);
    return;
  }
  known.name ??= person.name;
  known.email ??= person.email;
  known.login ??= person.login;
}

/** Reads the operator(s) and the requester from the page outside the message list. */
export function readIdentities(root: PageRoot, messageList?: Element): Identities {
  const operators: Person[] = [];
  const requesters: Person[] = [];
  for (const element of elementsOutside(root, messageList)) {
    const tag = element.localName;
    const label = element.getAttribute('aria-label') ?? '';
    const account = label ? ACCOUNT_LABEL.exec(label.trim()) : null;
    if (account) {
      addPerson(operators, parsePerson(account[1] || shownName(element)));
      const login = element.getAttribute('title');
      if (login) addPerson(operators, parsePerson(login));
      continue;
    }
    const tokens = element.hasAttribute('class') ? classTokens(element) : [];
    if (tokens.some((token) => USER_WORDS.has(token)) && !aboutCustomer(element) && inChrome(element)) {
      addPerson(operators, parsePerson(shownName(element)));
      const title = element.getAttribute('title');
      if (title) addPerson(operators, parsePerson(title));
    }
    if (tokens.includes('name') && tokens.some((token) => CUSTOMER_WORDS.has(token))) {
      const text = inlineText(element);
      if (text && text.length <= 80) addPerson(requesters, parsePerson(text));
    }
    if (!LABEL_TAGS.has(tag)) continue;
    // Short texts only: labels, "Вошли как …", "Ответственный: …".
    if (element.childElementCount > 3) continue;
    const text = inlineText(element);
    if (!text || text.length > 120) continue;
    const signedIn = SIGNED_IN.exec(text);
    if (signedIn?.[1] && inChrome(element)) {
      addPerson(operators, parsePerson(signedIn[1]));
      continue;
    }
    if (element.childElementCount > 0) continue;
    const inline = LABELLED_INLINE.exec(text);
    if (inline?.[1] && inline[2]) {
      const person = parsePerson(inline[2]);
      if (/^(?:заявитель|клиент|покупатель|requester|customer)/iu.test(inline[1]))
        addPerson(requesters, person);
      else addPerson(operators, person);
      continue;
    }
    if (ASSIGNEE_LABEL.test(text)) addPerson(operators, parsePerson(valueAfter(element)));
    else if (REQUESTER_LABEL.test(text)) addPerson(requesters, parsePerson(valueAfter(element)));
  }
  // "Ответственный: Денис Орлов" in a title attribute (FreeScout's toolbar buttons and the like).
  const titled = (
    root.nodeType === 9 ? (root as Document).documentElement : (root as Element)
  ).querySelectorAll('[title]');
  for (const element of Array.from(titled)) {
    if (messageList?.contains(element)) continue;
    const inline = LABELLED_INLINE.exec((element.getAttribute('title') ?? '').trim());
    if (!inline?.[1] || !inline[2]) continue;
    if (/^(?:заявитель|клиент|покупатель|requester|customer)/iu.test(inline[1]))
      addPerson(requesters, parsePerson(inline[2]));
    else addPerson(operators, parsePerson(inline[2]));
  }
  // Someone named as both (a desk that shows the requester in a user widget) is the requester.
  const requester = requesters[0];
  const others = requester ? operators.filter((person) => !samePerson(person, requester)) : operators;
  return requester ? { operators: others, requester } : { operators: others };
}
