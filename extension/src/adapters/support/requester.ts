import type { PageRoot } from '../adapter.ts';
import { classTokens } from './class-tokens.ts';
import { documentOf, inlineText } from './dom.ts';

const PERSON_WORDS = new Set(['customer', 'client', 'requester', 'contact', 'requestor']);
const LABELS =
  /^(?:заявитель|клиент|покупатель|контакт|requester|customer|client|contact|от клиента)\s*:?\s*$/iu;
/** Elements that hold a label or its value ("Заявитель:" · "Анна"). */
const LABEL_TAGS = new Set(['dt', 'th', 'label', 'span', 'strong', 'b', 'div']);
// NodeFilter's constants, spelled out: the tests' DOM and the page agree on the numbers.
const SHOW_ELEMENT = 0x1;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
const LABELLED = /^(?:заявитель|клиент|покупатель|requester|customer)\s*:\s*(.+)$/iu;

/**
 * The customer's name as the page shows it outside the messages: a "customer name" element, or a
 * "Заявитель:"/"Requester:" label and its value.
 */
export function findRequester(root: PageRoot, messageList?: Element): string | undefined {
  const outside = elementsOutside(root, messageList);
  for (const element of outside) {
    if (!element.hasAttribute('class')) continue;
    const tokens = classTokens(element);
    if (tokens.includes('name') && tokens.some((token) => PERSON_WORDS.has(token))) {
      const name = inlineText(element);
      if (name && name.length <= 80) return name;
    }
  }
  for (const element of outside) {
    if (!LABEL_TAGS.has(element.localName) || element.childElementCount > 0) continue;
    const text = inlineText(element);
    if (text.length > 80) continue;
    const inline = LABELLED.exec(text);
    if (inline?.[1]) return inline[1].replace(/<[^>]*>/g, '').trim();
    if (LABELS.test(text)) {
      const value = inlineText(element.nextElementSibling);
      if (value && value.length <= 80) return value.replace(/<[^>]*>/g, '').trim();
    }
  }
  return undefined;
}

/**
 * The elements under `root` in document order, without the message list's subtree: on a long
 * conversation the list is most of the page, and walking around it keeps a re-read cheap.
 */
function elementsOutside(root: PageRoot, messageList: Element | undefined): Element[] {
  const walker = documentOf(root).createTreeWalker(root, SHOW_ELEMENT, {
    acceptNode: (node) => (node === messageList ? FILTER_REJECT : FILTER_ACCEPT),
  });
  const elements: Element[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) elements.push(node as Element);
  return elements;
}
