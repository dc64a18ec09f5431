import type { Recipe } from '@naparnik/assist-service/contract';
import { createRecipeAdapter } from '../adapters/recipe.ts';
import type { Result } from '../messaging.ts';
import { deriveRecipe } from './derive-recipe.ts';
import { createTeachOverlay, type TeachOverlay } from './picker.ts';
import type { TeachStrings } from './strings.ts';

export interface TeachOptions {
  document: Document;
  url: URL;
  strings: TeachStrings;
  /** Above every version this domain already has (local or published). */
  version: number;
  now(): Date;
  save(recipe: Recipe): Promise<Result<unknown>>;
  onSaved(recipe: Recipe): void;
  onClose?(): void;
  /** Which page events are the operator's (picker.ts); the browser's own unless a test says. */
  isUserEvent?: (event: Event) => boolean;
}

/**
 * "Teach this page" from start to end: the four clicks, the recipe derived from them, the preview
 * of the conversation read with it, then Save (to the worker) or Retry.
 */
export function startTeach(options: TeachOptions): TeachOverlay {
  const { document, url, strings } = options;
  const overlay: TeachOverlay = createTeachOverlay({
    document,
    strings,
    onCancel: () => options.onClose?.(),
    ...(options.isUserEvent ? { isUserEvent: options.isUserEvent } : {}),
    onPicked(picks) {
      const derived = deriveRecipe(picks, {
        domain: url.host,
        version: options.version,
        now: options.now(),
        page: document,
      });
      if (!derived.ok) {
        overlay.showProblem(strings.problems[derived.problem], () => overlay.restart());
        return;
      }
      const { recipe } = derived;
      const adapter = createRecipeAdapter(recipe);
      overlay.showPreview(
        {
          messages: adapter.extract(document, url)?.messages ?? [],
          composerFound: Boolean(adapter.composer(document)),
          fragile: derived.warnings.length > 0,
        },
        {
          retry: () => overlay.restart(),
          save: () => {
            overlay.showStatus(strings.saving);
            void options.save(recipe).then((result) => {
              if (!result.ok) {
                overlay.showProblem(`${strings.saveFailed}: ${result.error.message}`, () =>
                  overlay.restart(),
                );
                return;
              }
              overlay.close();
              options.onSaved(recipe);
              options.onClose?.();
            });
          },
        },
      );
    },
  });
  return overlay;
}
