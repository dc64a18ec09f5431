/**
 * Class names split into lower-case words: "dd-message--customer" → dd, message, customer;
 * "articleNewEdit-body" → article, new, edit, body. Heuristics match words, never substrings.
 */
export function classTokens(element: Element): string[] {
  const className = element.getAttribute('class') ?? '';
  const tokens: string[] = [];
  for (const name of className.split(/\s+/)) if (name) tokens.push(...nameTokens(name));
  return tokens;
}

/** One class name's words. */
export function nameTokens(name: string): string[] {
  const tokens: string[] = [];
  for (const word of name.split(/[-_:[\]/.()&>!]+|(?<=[a-z])(?=[A-Z])/)) {
    if (word) tokens.push(word.toLowerCase());
  }
  return tokens;
}

export function hasToken(element: Element, words: ReadonlySet<string>): boolean {
  return classTokens(element).some((token) => words.has(token));
}

/** The class names themselves, for grouping siblings. */
export function classNames(element: Element): string[] {
  return (element.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
}
