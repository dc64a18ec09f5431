import type { Recipe } from '@naparnik/assist-service/contract';
import { invalidSelectors } from '../adapters/recipe.ts';
import type { Locale } from '../settings.ts';
import { nextVersion } from './recipe-book.ts';
import { createRecipeClient } from './recipe-client.ts';
import { createRecipeSlot, type RecipeSlot } from './recipe-slot.ts';
import { startTeach } from './start-teach.ts';
import { TEACH_STRINGS } from './strings.ts';

export interface PageTeachingOptions {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  document: Document;
  location: () => string;
  /**
   * The interface language. Asked of the worker: settings live where only the worker and the
   * extension's pages reach them (src/background/settings-store.ts).
   */
  locale: () => Promise<Locale>;
  /** How long the page waits for the worker's answer before reading without a recipe. */
  waitMs?: number;
  /** Told when the slot's recipe changed (loaded late, or saved), so the page is read afresh. */
  onRecipeChange?(): void;
  /** Which page events are the operator's (teach/picker.ts); the browser's own unless a test says. */
  isUserEvent?: (event: Event) => boolean;
}

export interface PageTeaching {
  /** The first adapter of the page bridge: the host's recipe, when it has one. */
  slot: RecipeSlot;
  /** Settles once the host's recipe is loaded (or the worker did not answer in time). */
  ready: Promise<void>;
  /** Starts the picker; `onSaved` runs after a recipe was saved and put in the slot. */
  teach(onSaved: () => void): void;
  /** Closes an open picker (the content script's context is going away). */
  dispose(): void;
}

/**
 * The content script's side of recipes: loads the host's recipe into the slot (only when this
 * browser accepts every selector in it) and runs "Teach this page".
 */
export function createPageTeaching(options: PageTeachingOptions): PageTeaching {
  const slot = createRecipeSlot();
  const client = createRecipeClient(options.runtime);
  const host = () => new URL(options.location()).host;
  const usable = (recipe: Recipe | null) =>
    recipe && invalidSelectors(recipe, options.document).length === 0 ? recipe : undefined;

  const load = client.get(host()).then((answer) => {
    if (!answer.ok) return;
    const recipe = usable(answer.data.recipe);
    if (recipe === slot.current()) return;
    slot.set(recipe);
    options.onRecipeChange?.();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = Promise.race([
    load.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.waitMs ?? 3000);
    }),
  ]).finally(() => clearTimeout(timer));

  let teaching = false;
  let open: { close(): void } | undefined;
  return {
    dispose() {
      open?.close();
      open = undefined;
    },
    slot,
    ready,
    teach(onSaved) {
      if (teaching) return;
      teaching = true;
      void (async () => {
        // Asked afresh: the new recipe's version must be above the newest published one.
        const [locale, choice] = await Promise.all([
          options.locale().catch((): Locale => 'ru'),
          client.get(host(), true),
        ]);
        const url = new URL(options.location());
        open = startTeach({
          document: options.document,
          url,
          strings: TEACH_STRINGS[locale],
          version: choice.ok ? nextVersion(choice.data) : (slot.current()?.version ?? 0) + 1,
          now: () => new Date(),
          ...(options.isUserEvent ? { isUserEvent: options.isUserEvent } : {}),
          save: (recipe) => client.saveLocal(recipe),
          onSaved: (recipe) => {
            slot.set(recipe);
            options.onRecipeChange?.();
            onSaved();
          },
          onClose: () => {
            teaching = false;
            open = undefined;
          },
        });
      })().catch(() => {
        teaching = false;
      });
    },
  };
}
