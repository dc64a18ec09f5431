import type {
  Conversation,
  ConversationMessage,
  Recipe,
  RecipeRoles,
  RoleMatcher,
} from '@naparnik/assist-service/contract';
import type { ExtractOptions, PageRoot, SiteAdapter } from './adapter.ts';
import { compact, inlineText, readableText, readNewest } from './support/dom.ts';
import { alignmentOf } from './support/roles.ts';

type Role = ConversationMessage['role'];

/** Whether the browser's selector engine accepts `selector` (the service only checks its shape). */
export function isValidSelector(selector: string, document: Document): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The recipe's selectors this document's engine refuses; empty when the recipe is usable. */
export function invalidSelectors(recipe: Recipe, document: Document): string[] {
  const selectors: Array<[string, string | undefined]> = [
    ['messageList', recipe.messageList],
    ['message', recipe.message],
    ['text', recipe.text],
    ['author', recipe.author],
    ['time', recipe.time],
    ['composer', recipe.composer],
    ['iframe', recipe.iframe],
  ];
  for (const role of ['customer', 'operator'] as const) {
    const matcher = recipe.roles[role];
    if (matcher && 'selector' in matcher) selectors.push([`roles.${role}`, matcher.selector]);
  }
  return selectors
    .filter(([, selector]) => selector !== undefined && !isValidSelector(selector, document))
    .map(([name]) => name);
}

function safeQuery(root: PageRoot, selector: string): Element | undefined {
  try {
    return root.querySelector(selector) ?? undefined;
  } catch {
    return undefined;
  }
}

function safeQueryAll(root: PageRoot, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

/**
 * The side of the list a message sits on: from its markup (alignment classes, inline styles),
 * else from the layout when there is one (a real page; test DOMs have none).
 */
export function sideOf(item: Element, list?: Element): 'left' | 'right' | undefined {
  const marked = alignmentOf(item);
  if (marked === 'left' || marked === 'right') return marked;
  const container = list ?? item.parentElement;
  if (!container) return undefined;
  const bounds = container.getBoundingClientRect();
  if (!bounds.width) return undefined;
  const candidates = [item, ...Array.from(item.querySelectorAll(':scope > *, :scope > * > *'))];
  for (const candidate of candidates) {
    const box = candidate.getBoundingClientRect();
    if (!box.width || box.width > bounds.width * 0.9) continue;
    const left = box.left - bounds.left;
    const right = bounds.right - box.right;
    if (Math.abs(left - right) > 16) return left > right ? 'right' : 'left';
  }
  return undefined;
}

function selfAndInside(item: Element): Element[] {
  return [item, ...Array.from(item.querySelectorAll('*'))];
}

/** Whether a role matcher claims the message `item` of `list`. */
export function matchesRole(item: Element, matcher: RoleMatcher, list?: Element): boolean {
  if ('selector' in matcher) {
    try {
      return item.matches(matcher.selector) || item.querySelector(matcher.selector) !== null;
    } catch {
      return false;
    }
  }
  if ('class' in matcher)
    return selfAndInside(item).some((element) => element.classList.contains(matcher.class));
  if ('attribute' in matcher) {
    return selfAndInside(item).some((element) =>
      matcher.value === undefined
        ? element.hasAttribute(matcher.attribute)
        : element.getAttribute(matcher.attribute) === matcher.value,
    );
  }
  return sideOf(item, list) === matcher.side;
}

/** A message's role under the recipe's rule; a message both matchers claim falls to `otherwise`. */
export function roleOf(item: Element, roles: RecipeRoles, list?: Element): Role {
  const customer = roles.customer ? matchesRole(item, roles.customer, list) : false;
  const operator = roles.operator ? matchesRole(item, roles.operator, list) : false;
  if (customer && !operator) return 'customer';
  if (operator && !customer) return 'operator';
  return roles.otherwise ?? 'customer';
}

/** Outermost matches only: a message selector that also matches a nested part reads it once. */
function outermost(elements: Element[]): Element[] {
  const chosen = new Set(elements);
  return elements.filter((element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (chosen.has(parent)) return false;
    }
    return true;
  });
}

function timeFrom(element: Element | undefined): string | undefined {
  if (!element) return undefined;
  const shown =
    element.getAttribute('datetime') ||
    element.getAttribute('data-time') ||
    element.getAttribute('title') ||
    inlineText(element);
  return shown && shown.length <= 64 ? shown : undefined;
}

/**
 * A site adapter made from a "Teach this page" recipe: the picker writes the recipe, an admin may
 * publish it, and this reads the page with it. Pure like every adapter: it only reads the DOM.
 */
export function createRecipeAdapter(recipe: Recipe): SiteAdapter {
  /** The document the conversation lives in: the page, or the recipe's same-origin iframe. */
  const scope = (root: PageRoot): PageRoot | undefined => {
    if (!recipe.iframe) return root;
    const frame = safeQuery(root, recipe.iframe) as HTMLIFrameElement | undefined;
    try {
      return frame?.contentDocument ?? undefined;
    } catch {
      return undefined;
    }
  };
  const messageList = (root: PageRoot): Element | undefined => {
    const inside = scope(root);
    return inside ? safeQuery(inside, recipe.messageList) : undefined;
  };
  const isPart = (element: Element, selector: string | undefined) => {
    if (!selector) return false;
    try {
      return element.matches(selector);
    } catch {
      return false;
    }
  };

  const read = (item: Element, list: Element): ConversationMessage | undefined => {
    const body = recipe.text ? safeQuery(item, recipe.text) : item;
    const text = readableText(
      body,
      (element) => isPart(element, recipe.author) || isPart(element, recipe.time),
    );
    if (!text) return undefined;
    const author = recipe.author ? inlineText(safeQuery(item, recipe.author)) : undefined;
    const at = recipe.time ? timeFrom(safeQuery(item, recipe.time)) : undefined;
    return compact({ role: roleOf(item, recipe.roles, list), text, at, author: author?.slice(0, 200) });
  };

  const adapter = {
    id: 'recipe',
    matches: (url: URL) => url.host === recipe.domain,
    extract(root: PageRoot, url?: URL, options: ExtractOptions = {}): Conversation | undefined {
      const list = options.list ?? messageList(root);
      if (!list) return undefined;
      const items = outermost(safeQueryAll(list, recipe.message));
      // The memo spares unchanged messages a re-read, and with it a side rule's layout query.
      const messages = readNewest(items, (item) => read(item, list), options.lastMessages, options.memo);
      if (messages.length === 0) return undefined;
      return compact<Conversation>({
        channel: recipe.channel ?? 'chat',
        messages,
        source: compact({ adapter: 'recipe', url: url?.href }),
      });
    },
    composer(root: PageRoot): Element | undefined {
      // With an iframe, the reply box may be inside it (a chat widget) or in the page around it.
      const inside = scope(root);
      return (
        (inside ? safeQuery(inside, recipe.composer) : undefined) ??
        (recipe.iframe ? safeQuery(root, recipe.composer) : undefined)
      );
    },
    messageList,
  };
  return adapter;
}
