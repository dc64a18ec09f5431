import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createRuntimeClient, type RuntimeLike } from '../../src/content/runtime-client.ts';
import { Panel } from '../../src/panel/panel.tsx';
import { PANEL_CSS } from '../../src/panel/styles.ts';
import type { StorageArea } from '../../src/settings.ts';
import { createTabBridge, type TabsLike } from '../../src/side-panel/tab-bridge.ts';

const style = document.createElement('style');
style.textContent = PANEL_CSS;
document.head.append(style);

const page = {
  ...createTabBridge(browser.tabs as unknown as TabsLike),
  openOptions: () => void browser.runtime.openOptionsPage(),
};
createRoot(document.getElementById('root')!).render(
  <Panel
    client={createRuntimeClient(browser.runtime as unknown as RuntimeLike)}
    page={page}
    storage={browser.storage.local as unknown as StorageArea}
    mode="embedded"
    keyTarget={window}
  />,
);
