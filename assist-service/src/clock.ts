/** Where the service reads the time: injected, so tests and evals run on a fixed date. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
