import type { Recipe } from '@naparnik/assist-service/contract';
import { useCallback, useEffect, useState } from 'react';
import type { Locale } from '../settings.ts';
import type { RecipeClient } from './recipe-client.ts';

const TEXT = {
  ru: {
    heading: 'Рецепты страниц',
    hint: 'Рецепты, которым вы научили Напарника («Научить эту страницу»). Чтобы ими пользовалась вся команда, администратор публикует JSON на сервисе (PUT /v1/recipes/<домен>).',
    empty: 'Пока нет ни одного рецепта.',
    version: 'версия',
    show: 'Показать JSON',
    hide: 'Скрыть JSON',
    export: 'Скачать JSON',
    remove: 'Удалить',
    failed: 'Не удалось прочитать рецепты',
  },
  en: {
    heading: 'Page recipes',
    hint: 'Recipes you taught Naparnik ("Teach this page"). For the whole team to get one, an admin publishes its JSON on the service (PUT /v1/recipes/<domain>).',
    empty: 'No recipes yet.',
    version: 'version',
    show: 'Show JSON',
    hide: 'Hide JSON',
    export: 'Download JSON',
    remove: 'Delete',
    failed: 'Could not read the recipes',
  },
};

/** The JSON an admin publishes as is: `curl -X PUT … --data @<domain>.recipe.json`. */
export function recipeJson(recipe: Recipe): string {
  return `${JSON.stringify(recipe, null, 2)}\n`;
}

function download(recipe: Recipe): void {
  const url = URL.createObjectURL(new Blob([recipeJson(recipe)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${recipe.domain.replace(/[^a-z0-9.-]/g, '_')}.recipe.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The options page's list of the operator's own recipes: view, export, delete. */
export function RecipesSection({ client, locale }: { client: RecipeClient; locale: Locale }) {
  const text = TEXT[locale];
  const [recipes, setRecipes] = useState<Recipe[]>();
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    const result = await client.listLocal();
    if (result.ok) setRecipes(result.data.recipes);
    else setError(`${text.failed}: ${result.error.message}`);
  }, [client, text.failed]);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (domain: string) => {
    await client.deleteLocal(domain);
    await load();
  };

  return (
    <section aria-label={text.heading}>
      <h2>{text.heading}</h2>
      <p>{text.hint}</p>
      {error ? <p role="alert">{error}</p> : null}
      {recipes && recipes.length === 0 ? <p>{text.empty}</p> : null}
      <ul>
        {(recipes ?? []).map((recipe) => (
          <li key={recipe.domain} data-domain={recipe.domain}>
            <strong>{recipe.domain}</strong> · {text.version} {recipe.version} ·{' '}
            {recipe.updatedAt.slice(0, 10)}{' '}
            <button type="button" onClick={() => setOpen(open === recipe.domain ? undefined : recipe.domain)}>
              {open === recipe.domain ? text.hide : text.show}
            </button>
            <button type="button" onClick={() => download(recipe)}>
              {text.export}
            </button>
            <button type="button" onClick={() => void remove(recipe.domain)}>
              {text.remove}
            </button>
            {open === recipe.domain ? <pre>{recipeJson(recipe)}</pre> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
