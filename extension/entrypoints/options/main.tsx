import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createRuntimeClient, type RuntimeLike } from '../../src/content/runtime-client.ts';
import { OptionsForm } from '../../src/options/options-form.tsx';
import { buildPresets } from '../../src/presets.ts';
import { readSettings, type StorageArea, writeSettings } from '../../src/settings.ts';
import { createRecipeClient } from '../../src/teach/recipe-client.ts';

const local = browser.storage.local as unknown as StorageArea;
const managed = browser.storage.managed as unknown as StorageArea;
const client = createRuntimeClient(browser.runtime as unknown as RuntimeLike);

createRoot(document.getElementById('root')!).render(
  <OptionsForm
    dependencies={{
      load: () => readSettings(local, managed, buildPresets()),
      save: (changes) => writeSettings(local, changes),
      requestAccess: (pattern) => browser.permissions.request({ origins: [pattern] }),
      revokeAccess: async (pattern) => {
        await browser.permissions.remove({ origins: [pattern] });
      },
      checkService: () => client.status(),
      recipes: createRecipeClient(browser.runtime),
    }}
  />,
);
