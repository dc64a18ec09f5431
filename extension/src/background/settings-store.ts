import type { StorageArea } from '../settings.ts';

/**
 * Where the operator's settings (service URL, token, sites) are kept: the extension origin's
 * IndexedDB. The worker and the extension's own pages share that origin; a content script runs in
 * the helpdesk page's origin and has no way to it, whereas `chrome.storage.local` is open to
 * content scripts (only `storage.session` can be closed to them, and it is forgotten when the
 * browser closes). So the page's world can neither read the token nor point `serviceUrl` elsewhere.
 * Changes go through the worker (`settings:write`), which takes them from extension pages only.
 */
const DATABASE = 'naparnik';
const STORE = 'settings';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DATABASE, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return promised(request);
}

/** A StorageArea over IndexedDB (one object store, one record per key). */
export function indexedDbArea(factory: IDBFactory = indexedDB): StorageArea {
  let database: Promise<IDBDatabase> | undefined;
  const store = async (mode: IDBTransactionMode) => {
    database ??= open(factory);
    return (await database).transaction(STORE, mode).objectStore(STORE);
  };
  return {
    async get(keys) {
      const objects = await store('readonly');
      const list = keys === null ? ((await promised(objects.getAllKeys())) as string[]) : [keys].flat();
      const entries = await Promise.all(
        list.map(async (key) => [key, await promised(objects.get(key))] as const),
      );
      return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
    },
    async set(items) {
      const objects = await store('readwrite');
      const done = new Promise<void>((resolve, reject) => {
        objects.transaction.oncomplete = () => resolve();
        objects.transaction.onerror = () => reject(objects.transaction.error);
      });
      for (const [key, value] of Object.entries(items)) objects.put(value, key);
      await done;
    },
  };
}

/** Marks that settings were taken over from `storage.local`: it happens once, never again. */
const MIGRATED = 'migratedFromLocal';

/**
 * Moves settings an older version kept in `storage.local` into `area`, once, and deletes them
 * there. Once only: later `settings` in storage.local (which a content script could write) are
 * never read.
 */
export async function migrateSettings(
  area: StorageArea,
  local: StorageArea & { remove(keys: string): Promise<void> },
): Promise<void> {
  if ((await area.get(MIGRATED))[MIGRATED]) return;
  const legacy = (await local.get('settings')).settings;
  const current = (await area.get('settings')).settings;
  await area.set({
    [MIGRATED]: true,
    ...(legacy !== undefined && current === undefined ? { settings: legacy } : {}),
  });
  if (legacy !== undefined) await local.remove('settings');
}
