import { describe, expect, it } from 'vitest';
import {
  RECIPE_REFRESH_ALARM,
  refreshDelayMinutes,
  startRecipeRefresh,
} from '../src/background/recipe-refresh.ts';
import { memoryStorage } from '../src/settings.ts';

/** Alarms as the browser keeps them: the last `create` per name wins; firing calls the listeners. */
function alarmClock() {
  const scheduled = new Map<string, number>();
  const listeners: Array<(alarm: { name: string }) => void> = [];
  return {
    scheduled,
    create(name: string, info: { delayInMinutes: number }) {
      scheduled.set(name, info.delayInMinutes);
    },
    onAlarm: { addListener: (listener: (alarm: { name: string }) => void) => listeners.push(listener) },
    fire(name: string) {
      for (const listener of listeners) listener({ name });
    },
  };
}

describe('published recipes refreshed on a timer', () => {
  it('doubles the interval after each failed round up to the cap, and goes back to it after a success', async () => {
    const alarms = alarmClock();
    const outcomes = [false, false, false, false, false, true, false];
    let rounds = 0;
    const refresher = startRecipeRefresh({
      alarms,
      storage: memoryStorage(),
      refresh: async () => outcomes[rounds++] ?? true,
      everyMinutes: 10,
      maxMinutes: 120,
    });
    const delays: number[] = [];
    for (let round = 0; round < outcomes.length; round++) delays.push(await refresher.round());
    expect(delays).toEqual([20, 40, 80, 120, 120, 10, 20]);
    expect(alarms.scheduled.get(RECIPE_REFRESH_ALARM)).toBe(20);
  });

  it('runs a round when its alarm fires (and only its own), counting failures across worker restarts', async () => {
    const alarms = alarmClock();
    const storage = memoryStorage();
    let rounds = 0;
    const failing = async () => {
      rounds++;
      throw new TypeError('Failed to fetch');
    };
    startRecipeRefresh({ alarms, storage, refresh: failing, everyMinutes: 10 });
    alarms.fire('someone-else');
    expect(rounds).toBe(0);
    alarms.fire(RECIPE_REFRESH_ALARM);
    await expect.poll(() => alarms.scheduled.get(RECIPE_REFRESH_ALARM)).toBe(20);
    // A new worker (the old one was stopped) picks up the count.
    const again = startRecipeRefresh({ alarms: alarmClock(), storage, refresh: failing, everyMinutes: 10 });
    expect(await again.round()).toBe(40);
    expect(refreshDelayMinutes(40, 10, 120)).toBe(120);
  });
});
