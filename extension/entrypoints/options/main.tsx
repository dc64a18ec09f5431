import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createRuntimeClient, type RuntimeLike } from '../../src/content/runtime-client.ts';
import { OptionsForm } from '../../src/options/options-form.tsx';
import { createSettingsClient } from '../../src/settings-client.ts';
import { createRecipeClient } from '../../src/teach/recipe-client.ts';

// Settings through the worker: it keeps them where content scripts cannot reach (settings-store.ts).
const settings = createSettingsClient(browser.runtime);
const client = createRuntimeClient(browser.runtime as unknown as RuntimeLike);

createRoot(document.getElementById('root')!).render(
  <OptionsForm
    dependencies={{
      load: settings.load,
      save: settings.save,
      requestAccess: (pattern) => browser.permissions.request({ origins: [pattern] }),
      revokeAccess: async (pattern) => {
        await browser.permissions.remove({ origins: [pattern] });
      },
      checkService: () => client.status(),
      recipes: createRecipeClient(browser.runtime),
    }}
  />,
);
