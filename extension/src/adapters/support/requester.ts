import type { PageRoot } from '../adapter.ts';
import { classTokens } from './class-tokens.ts';
import { inlineText } from './dom.ts';

const PERSON_WORDS = new Set(['customer', 'client', 'requester', 'contact', 'requestor']);
const LABELS =
  /^(?:заявитель|клиент|покупатель|контакт|requester|customer|client|contact|от клиента)\s*:?\s*$/iu;
const LABELLED = /^(?:заявитель|клиент|покупатель|requester|customer)\s*:\s*(.+)$/iu;

/**
 * The customer's name as the page shows it outside the messages: a "customer name" element, or a
 * "Заявитель:"/"Requester:" label and its value.
 */
export function findRequester(root: PageRoot, messageList?: Element): string | undefined {
  const outside = (element: Element) => !messageList?.contains(element);
  for (const element of Array.from(root.querySelectorAll('[class]'))) {
    if (!outside(element)) continue;
    const tokens = classTokens(element);
    if (tokens.includes('name') && tokens.some((token) => PERSON_WORDS.has(token))) {
      const name = inlineText(element);
      if (name && name.length <= 80) return name;
    }
  }
  for (const element of Array.from(root.querySelectorAll('dt, th, label, span, strong, b, div'))) {
    if (!outside(element) || element.childElementCount > 0) continue;
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
