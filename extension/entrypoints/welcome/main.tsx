import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createRuntimeClient, type RuntimeLike } from '../../src/content/runtime-client.ts';
import { buildPresets } from '../../src/presets.ts';
import { readSettings, type StorageArea, writeSettings } from '../../src/settings.ts';
import { WelcomePage } from '../../src/welcome/welcome-page.tsx';

const local = browser.storage.local as unknown as StorageArea;
const managed = browser.storage.managed as unknown as StorageArea;
const client = createRuntimeClient(browser.runtime as unknown as RuntimeLike);

createRoot(document.getElementById('root')!).render(
  <WelcomePage
    dependencies={{
      load: () => readSettings(local, managed, buildPresets()),
      save: (changes) => writeSettings(local, changes),
      requestAccess: (pattern) => browser.permissions.request({ origins: [pattern] }),
      checkService: () => client.status(),
    }}
  />,
);
