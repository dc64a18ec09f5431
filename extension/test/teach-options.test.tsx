import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceClient } from '../src/background/service-client.ts';
import { createWorker } from '../src/background/worker.ts';
import { memoryStorage, settingsSchema } from '../src/settings.ts';
import { createRecipeBook } from '../src/teach/recipe-book.ts';
import { createRecipeClient } from '../src/teach/recipe-client.ts';
import { RecipesSection } from '../src/teach/recipes-section.tsx';
import { loadTeachFixtures } from './support/teach-fixtures.ts';

afterEach(cleanup);

/** The options page's recipe client, talking to a real worker and recipe book in memory. */
function optionsClient() {
  const settings = settingsSchema.parse({ serviceUrl: 'http://127.0.0.1:9' });
  const client = createServiceClient({ settings: async () => settings });
  const recipes = createRecipeBook({
    storage: memoryStorage(),
    fetchPublished: (domain, etag) => client.publishedRecipe(domain, etag),
    now: () => Date.now(),
  });
  const worker = createWorker({ client, settings: async () => settings, recipes });
  return createRecipeClient({ sendMessage: (message) => worker.handleRequest(message) });
}

describe('options page: page recipes', () => {
  it('lists the taught recipes, shows the JSON an admin publishes, and deletes one', async () => {
    const client = optionsClient();
    const fixtures = loadTeachFixtures();
    for (const fixture of fixtures) await client.saveLocal(fixture.recipe);
    render(<RecipesSection client={client} locale="ru" />);

    const domains = fixtures.map((fixture) => fixture.recipe.domain).toSorted();
    await waitFor(() =>
      expect(
        Array.from(document.querySelectorAll('li[data-domain]')).map((item) =>
          item.getAttribute('data-domain'),
        ),
      ).toEqual(domains),
    );
    const [first] = fixtures;
    const row = document.querySelector(`li[data-domain="${first?.recipe.domain}"]`) as HTMLElement;
    fireEvent.click(row.querySelector('button') as HTMLButtonElement);
    expect(JSON.parse(row.querySelector('pre')?.textContent ?? '')).toEqual(first?.recipe);

    fireEvent.click(
      Array.from(row.querySelectorAll('button')).find((button) => button.textContent === 'Удалить')!,
    );
    await waitFor(() =>
      expect(document.querySelectorAll('li[data-domain]')).toHaveLength(domains.length - 1),
    );
    const left = await client.listLocal();
    expect(left.ok && left.data.recipes.map((recipe) => recipe.domain)).toEqual(
      domains.filter((domain) => domain !== first?.recipe.domain),
    );
  });

  it('says so when there are none', async () => {
    render(<RecipesSection client={optionsClient()} locale="en" />);
    expect(await screen.findByText('No recipes yet.')).toBeDefined();
  });
});
