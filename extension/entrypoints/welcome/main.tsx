import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createRuntimeClient, type RuntimeLike } from '../../src/content/runtime-client.ts';
import { createSettingsClient } from '../../src/settings-client.ts';
import { WelcomePage } from '../../src/welcome/welcome-page.tsx';

// Settings through the worker: it keeps them where content scripts cannot reach (settings-store.ts).
const settings = createSettingsClient(browser.runtime);
const client = createRuntimeClient(browser.runtime as unknown as RuntimeLike);

createRoot(document.getElementById('root')!).render(
  <WelcomePage
    dependencies={{
      load: settings.load,
      save: settings.save,
      requestAccess: (pattern) => browser.permissions.request({ origins: [pattern] }),
      checkService: () => client.status(),
    }}
  />,
);
