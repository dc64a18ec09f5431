import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Conversation, type Recipe, recipeSchema } from '@naparnik/assist-service/contract';
import { EXTENSION_ROOT, headerUrl, parsePage } from './fixtures.ts';

export const TEACH_FIXTURES = path.join(EXTENSION_ROOT, 'src/teach/fixtures');

/**
 * A page no built-in adapter reads right, with what the operator clicked (`<name>.picks.json`,
 * selectors the test uses to find the clicked elements), the recipe the picker must derive from
 * those clicks (`<name>.recipe.json`) and the conversation that recipe must read
 * (`<name>.expected.json`, checked by hand against the page).
 */
export interface TeachFixture {
  name: string;
  html: string;
  url: URL;
  picks: { list: string; customer: string; operator: string; composer: string };
  recipe: Recipe;
  expected: { url: string; composer: string; conversation: Conversation };
}

export function loadTeachFixtures(): TeachFixture[] {
  return readdirSync(TEACH_FIXTURES)
    .filter((file) => file.endsWith('.html'))
    .map((file) => file.replace(/\.html$/, ''))
    .sort()
    .map((name) => {
      const read = (suffix: string) => readFileSync(path.join(TEACH_FIXTURES, `${name}${suffix}`), 'utf8');
      const html = read('.html');
      const url = headerUrl(html);
      if (!url) throw new Error(`${name}.html has no url: line in its header comment`);
      return {
        name,
        html,
        url: new URL(url),
        picks: JSON.parse(read('.picks.json')),
        recipe: recipeSchema.parse(JSON.parse(read('.recipe.json'))),
        expected: JSON.parse(read('.expected.json')),
      };
    });
}

export function pageOf(fixture: TeachFixture): Document {
  return parsePage(fixture.html);
}

export function pick(document: Document, selector: string): Element {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`the fixture has nothing at ${selector}`);
  return element;
}
