import type { Settings } from './settings.ts';

/**
 * Build-time presets: `WXT_NAPARNIK_SERVICE_URL=… WXT_NAPARNIK_COLLECTION=… pnpm build` bakes a
 * team's service into the build (managed storage can still override them).
 */
export function buildPresets(): Partial<Settings> {
  const environment = (import.meta as unknown as { env?: Record<string, string | undefined> }).env ?? {};
  const presets: Partial<Settings> = {};
  if (environment.WXT_NAPARNIK_SERVICE_URL) presets.serviceUrl = environment.WXT_NAPARNIK_SERVICE_URL;
  if (environment.WXT_NAPARNIK_COLLECTION) presets.collection = environment.WXT_NAPARNIK_COLLECTION;
  if (environment.WXT_NAPARNIK_TOKEN) presets.token = environment.WXT_NAPARNIK_TOKEN;
  if (environment.WXT_NAPARNIK_SITES) presets.enabledOrigins = environment.WXT_NAPARNIK_SITES.split(',');
  if (environment.WXT_NAPARNIK_LOCALE === 'en' || environment.WXT_NAPARNIK_LOCALE === 'ru') {
    presets.locale = environment.WXT_NAPARNIK_LOCALE;
  }
  return presets;
}
