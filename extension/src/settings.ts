import { z } from 'zod';

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8787';
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * What the operator (or the admin) configures. Stored in `storage.local` under `settings`; an admin's
 * managed storage (a browser policy) overrides it key by key, so a team of 60 gets it preset.
 */
const settingsFields = {
  serviceUrl: z.string(),
  token: z.string(),
  collection: z.string(),
  locale: z.enum(LOCALES),
  operatorId: z.string(),
  /** Origins ("https://desk.example.ru") the operator or admin enabled besides localhost. */
  enabledOrigins: z.array(z.string()),
};

export const settingsSchema = z.object({
  serviceUrl: settingsFields.serviceUrl.default(DEFAULT_SERVICE_URL),
  token: settingsFields.token.default(''),
  collection: settingsFields.collection.default('demo'),
  locale: settingsFields.locale.default('ru'),
  operatorId: settingsFields.operatorId.default(''),
  enabledOrigins: settingsFields.enabledOrigins.default([]),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * A layer of settings (stored, preset or managed): only what it sets. No defaults here, or an
 * upper layer would put them back over a lower layer's values.
 */
export const settingsLayerSchema = z.object(settingsFields).partial();
/** What managed storage (chrome policy) may preset; see public/managed-schema.json. */
export const managedSettingsSchema = settingsLayerSchema;

export const panelStateSchema = z.object({
  collapsed: z.boolean().default(false),
  /** Which section is open in the panel. */
  tab: z.enum(['suggestions', 'summary', 'search']).default('suggestions'),
});
export type PanelState = z.infer<typeof panelStateSchema>;

/** The slice of chrome.storage the extension uses; tests pass an in-memory one. */
export interface StorageArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value ?? {});
  return parsed.success ? parsed.data : fallback;
}

/** Defaults ← build-time presets ← the operator's settings ← the admin's managed settings. */
export async function readSettings(
  local: StorageArea,
  managed?: StorageArea,
  presets: Partial<Settings> = {},
): Promise<Settings> {
  const stored = (await local.get('settings')).settings;
  const own = parseOr(settingsLayerSchema, stored, {});
  let enforced: Partial<Settings> = {};
  if (managed) {
    // Managed storage throws where no policy schema is installed (Firefox, tests): nothing enforced.
    enforced = parseOr(managedSettingsSchema, await managed.get(null).catch(() => ({})), {});
  }
  return settingsSchema.parse({ ...presets, ...own, ...enforced });
}

export async function writeSettings(local: StorageArea, changes: Partial<Settings>): Promise<Settings> {
  const current = settingsLayerSchema.safeParse((await local.get('settings')).settings ?? {});
  const next = { ...(current.success ? current.data : {}), ...changes };
  await local.set({ settings: next });
  return settingsSchema.parse(next);
}

export async function readPanelState(local: StorageArea): Promise<PanelState> {
  return parseOr(panelStateSchema, (await local.get('panel')).panel, panelStateSchema.parse({}));
}

export async function writePanelState(local: StorageArea, state: PanelState): Promise<void> {
  await local.set({ panel: state });
}

/** An in-memory StorageArea for tests and for pages without extension storage. */
export function memoryStorage(initial: Record<string, unknown> = {}): StorageArea {
  const data = { ...initial };
  return {
    async get(keys) {
      if (keys === null) return { ...data };
      const list = Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((key) => key in data).map((key) => [key, data[key]]));
    },
    async set(items) {
      Object.assign(data, items);
    },
  };
}
