/**
 * Which helpdesk origins the overlay runs on besides localhost: each one is an optional host
 * permission the operator granted (options page or toolbar button) or an admin preset, and one
 * dynamically registered content script covers them all.
 */
/** As executeScript takes it (from the extension root); registerContentScripts takes it without the slash. */
export const OVERLAY_SCRIPT = '/content-scripts/overlay.js';
export const ENABLED_SITES_SCRIPT_ID = 'naparnik-overlay-enabled-sites';
/** Covered by the manifest's host permissions (no prompt), but run on only when enabled, port by port. */
export const BUILT_IN_ORIGINS = ['http://127.0.0.1', 'http://localhost'];

/** "https://desk.example.ru/path" or "desk.example.ru" → "https://desk.example.ru"; undefined when not http(s). */
export function normalizeOrigin(value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  try {
    const url = new URL(/^[a-z][\w+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The match pattern for an origin: any port of that host (match patterns ignore ports). */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * Where the content script runs for an origin: that origin's port only when it names one
 * (`http://127.0.0.1:8787/*`: not every local server), any port otherwise.
 */
export function scriptPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.host}/*`;
}

export function isBuiltIn(origin: string): boolean {
  const hostname = new URL(origin).hostname;
  return hostname === '127.0.0.1' || hostname === 'localhost';
}

export interface ScriptingLike {
  getRegisteredContentScripts(filter: { ids: string[] }): Promise<Array<{ id: string }>>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  registerContentScripts(
    scripts: Array<{
      id: string;
      matches: string[];
      js: string[];
      runAt: 'document_idle';
      persistAcrossSessions: boolean;
    }>,
  ): Promise<void>;
}

export interface PermissionsLike {
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/**
 * Registers the overlay for every enabled origin the browser actually granted, and nowhere else:
 * local addresses (granted by the manifest) only on the ports enabled, plus the service's own when
 * it is local (its demo desk). Nothing runs on a page the operator did not enable.
 */
export function syncContentScripts(
  scripting: ScriptingLike,
  permissions: PermissionsLike,
  origins: readonly string[],
  serviceUrl?: string,
): Promise<string[]> {
  // One at a time: the worker syncs at start and again when settings change, and two syncs that
  // overlap both see no script registered, both register, and the later one fails on the duplicate
  // id, leaving the earlier (stale) origins registered. Queued, the last settings always win.
  const run = syncQueue.then(() => syncNow(scripting, permissions, origins, serviceUrl));
  syncQueue = run.catch(() => undefined);
  return run;
}

let syncQueue: Promise<unknown> = Promise.resolve();

async function syncNow(
  scripting: ScriptingLike,
  permissions: PermissionsLike,
  origins: readonly string[],
  serviceUrl?: string,
): Promise<string[]> {
  const patterns: string[] = [];
  const service = serviceUrl ? normalizeOrigin(serviceUrl) : undefined;
  for (const origin of [...(service && isBuiltIn(service) ? [service] : []), ...origins]) {
    const normalized = normalizeOrigin(origin);
    if (!normalized) continue;
    const granted =
      isBuiltIn(normalized) || (await permissions.contains({ origins: [originPattern(normalized)] }));
    const pattern = scriptPattern(normalized);
    if (granted && !patterns.includes(pattern)) patterns.push(pattern);
  }
  const existing = await scripting.getRegisteredContentScripts({ ids: [ENABLED_SITES_SCRIPT_ID] });
  if (existing.length > 0) await scripting.unregisterContentScripts({ ids: [ENABLED_SITES_SCRIPT_ID] });
  if (patterns.length > 0) {
    await scripting.registerContentScripts([
      {
        id: ENABLED_SITES_SCRIPT_ID,
        matches: patterns,
        js: [OVERLAY_SCRIPT.slice(1)],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      },
    ]);
  }
  return patterns;
}
