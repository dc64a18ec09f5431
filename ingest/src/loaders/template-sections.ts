/**
 * Conditional sections of a reply template (FORMATS.md): text that depends on whether a slot has a
 * value, in Mustache's notation. `{{^order_id}}пришлите номер заказа, {{/order_id}}` is said only
 * when the order number is unknown — a reply must not ask for what the customer already gave;
 * `{{#order_id}}по заказу № {{order_id}} {{/order_id}}` only when it is known. Sections do not
 * nest under the same name; different names may nest.
 */

const TAG = /\{\{[ \t]{0,5}([#^/])[ \t]{0,5}([^{}]*?)[ \t]{0,5}\}\}/gu;

export interface SectionProblem {
  message: string;
}

/** What is wrong with a template's sections: an unclosed one, a stray close, a name nested in itself. */
export function sectionProblems(template: string): SectionProblem[] {
  const problems: SectionProblem[] = [];
  const open: Array<{ kind: string; name: string }> = [];
  for (const match of template.matchAll(TAG)) {
    const [, kind = '', name = ''] = match;
    if (kind !== '/') {
      if (open.some((section) => section.name === name)) {
        problems.push({ message: `section {{${kind}${name}}} opens inside another section on "${name}"` });
      }
      open.push({ kind, name });
      continue;
    }
    const innermost = open.at(-1);
    if (!innermost) {
      problems.push({ message: `{{/${name}}} closes no section` });
    } else if (innermost.name !== name) {
      problems.push({
        message: `{{/${name}}} closes section {{${innermost.kind}${innermost.name}}}: close it with {{/${innermost.name}}} first`,
      });
      open.pop();
    } else {
      open.pop();
    }
  }
  for (const section of open) {
    problems.push({
      message: `section {{${section.kind}${section.name}}} is not closed by {{/${section.name}}}`,
    });
  }
  return problems;
}

/**
 * The template with each section kept (its tags removed) or dropped by whether its slot has a
 * value. A template with broken sections (the loader rejects those) has its tags removed and all
 * text kept: nothing the team wrote is lost silently.
 */
export function resolveSections(template: string, hasValue: (slot: string) => boolean): string {
  if (!template.includes('{{')) return template;
  if (sectionProblems(template).length > 0) return template.replace(TAG, '');
  let result = '';
  let position = 0;
  // Depth of dropped sections we are inside; text is kept only at 0.
  let dropping = 0;
  const stack: boolean[] = [];
  for (const match of template.matchAll(TAG)) {
    const [whole, kind = '', name = ''] = match;
    if (dropping === 0) result += template.slice(position, match.index);
    position = match.index + whole.length;
    if (kind === '/') {
      const dropped = stack.pop() ?? false;
      if (dropped) {
        dropping--;
        if (dropping === 0) result += GAP;
      }
      continue;
    }
    const keep = kind === '#' ? hasValue(name) : !hasValue(name);
    stack.push(!keep);
    if (!keep) dropping++;
  }
  if (dropping === 0) result += template.slice(position);
  return result.includes(GAP) ? closeGaps(result) : result;
}

/** Where a section was dropped (a private-use character no template holds). */
const GAP = '\uE000';

/** The spaces a dropped section leaves, and only those: at a line's start, doubled, before punctuation. */
function closeGaps(text: string): string {
  return text
    .replace(/(^|\n)[ \t]*\uE000[ \t]*/gu, '$1')
    .replace(/[ \t]*\uE000[ \t]*(?=[,.;:!?])/gu, '')
    .replace(/[ \t]+\uE000[ \t]+/gu, ' ')
    .replaceAll(GAP, '');
}
