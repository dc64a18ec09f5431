import type { Recipe } from '@naparnik/assist-service/contract';
import type { PageRoot, SiteAdapter } from '../adapters/adapter.ts';
import { createRecipeAdapter } from '../adapters/recipe.ts';

export interface RecipeSlot extends SiteAdapter {
  /** Swaps the recipe the slot reads with (a saved or newly published one); undefined empties it. */
  set(recipe: Recipe | undefined): void;
  current(): Recipe | undefined;
}

/**
 * The content script's first adapter: whatever recipe the current host has, or none. The page
 * bridge takes its adapter list once, so the list holds this slot and the slot holds the recipe.
 */
export function createRecipeSlot(initial?: Recipe): RecipeSlot {
  let recipe = initial;
  let adapter = initial ? createRecipeAdapter(initial) : undefined;
  return {
    id: 'recipe',
    set(next) {
      recipe = next;
      adapter = next ? createRecipeAdapter(next) : undefined;
    },
    current: () => recipe,
    matches: (url: URL) => adapter?.matches(url) ?? false,
    extract: (...args: Parameters<SiteAdapter['extract']>) => adapter?.extract(...args),
    composer: (root: PageRoot) => adapter?.composer(root),
    messageList: (root: PageRoot) =>
      (adapter as { messageList?: (root: PageRoot) => Element | undefined } | undefined)?.messageList?.(root),
  } as RecipeSlot;
}
