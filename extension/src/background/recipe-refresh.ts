import type { StorageArea } from '../settings.ts';

/**
 * Published recipes are refreshed on a timer too, not only when a page loads, the browser starts
 * or the operator teaches: a fix the admin publishes reaches pages that stay open all shift. The
 * timer is a `chrome.alarms` alarm (an MV3 worker sleeps between events; an alarm wakes it and
 * survives its restarts). While the service cannot be asked, the interval doubles after each
 * failed round, up to `maxMinutes`, and falls back to `everyMinutes` after the first success.
 */
export const RECIPE_REFRESH_ALARM = 'naparnik-recipe-refresh';
const FAILURES_KEY = 'recipes:refresh-failures';

export interface AlarmsLike {
  create(name: string, info: { delayInMinutes: number }): Promise<void> | void;
  onAlarm: { addListener(listener: (alarm: { name: string }) => void): void };
}

/** Minutes until the next round after `failures` failed rounds in a row. */
export function refreshDelayMinutes(failures: number, everyMinutes: number, maxMinutes: number): number {
  return Math.min(everyMinutes * 2 ** Math.min(failures, 16), maxMinutes);
}

export function startRecipeRefresh(options: {
  alarms: AlarmsLike;
  /** Where the count of failed rounds is kept across the worker's restarts. */
  storage: StorageArea;
  /** One round: true when the service answered for every enabled site. */
  refresh(): Promise<boolean>;
  everyMinutes?: number;
  maxMinutes?: number;
}): { round(): Promise<number> } {
  const every = options.everyMinutes ?? 10;
  const max = options.maxMinutes ?? 120;
  const failuresSoFar = async () => {
    const stored = (await options.storage.get(FAILURES_KEY))[FAILURES_KEY];
    return typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 ? stored : 0;
  };
  /** Runs one round and schedules the next; the delay it chose, in minutes. */
  const round = async () => {
    const answered = await options.refresh().catch(() => false);
    const failures = answered ? 0 : (await failuresSoFar()) + 1;
    await options.storage.set({ [FAILURES_KEY]: failures });
    const delay = refreshDelayMinutes(failures, every, max);
    await options.alarms.create(RECIPE_REFRESH_ALARM, { delayInMinutes: delay });
    return delay;
  };
  options.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RECIPE_REFRESH_ALARM) void round().catch(console.error);
  });
  return { round };
}
