/**
 * Admission for the heavy requests (assist, search): first come, first served, at most one started
 * per turn of the event loop and at most `concurrency` at once.
 *
 * Why: the offline engine and the knowledge store are synchronous CPU work (about 40 ms a request
 * at 100k chunks). Started as they arrive, every request read in one turn of the event loop runs
 * back to back in that same turn: with 50 clients the loop stood still for over a second, no
 * timer fired, no disconnect was seen, health checks waited, and requests whose clients had
 * already given up still ran, which is how an overloaded service starts timing everyone out.
 * Here each start waits for its own turn (`setImmediate`), so the loop takes in new requests and
 * disconnects between two answers, and a request whose signal aborted while it waited (client
 * gone, assist timeout) is dropped without running. `concurrency` above 1 only matters for an
 * engine that waits on the network.
 */
export interface WorkQueue {
  /** Runs `task` in its turn; rejects with the signal's reason if it aborts before then. */
  run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>;
  /** Tasks waiting for their turn. */
  readonly waiting: number;
  /** Tasks started and not finished. */
  readonly running: number;
}

interface Entry {
  start(): void;
  cancel(reason: unknown): void;
  signal: AbortSignal;
}

export function createWorkQueue(options: { concurrency: number }): WorkQueue {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const waiting: Entry[] = [];
  let running = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || waiting.length === 0 || running >= concurrency) return;
    scheduled = true;
    setImmediate(startNext);
  };

  function startNext(): void {
    scheduled = false;
    let entry = waiting.shift();
    while (entry?.signal.aborted) {
      entry.cancel(entry.signal.reason);
      entry = waiting.shift();
    }
    if (entry && running < concurrency) {
      running++;
      entry.start();
    } else if (entry) {
      waiting.unshift(entry);
    }
    schedule();
  }

  return {
    run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          const index = waiting.indexOf(entry);
          if (index < 0) return;
          waiting.splice(index, 1);
          reject(signal.reason);
        };
        const entry: Entry = {
          signal,
          cancel: reject,
          start() {
            signal.removeEventListener('abort', onAbort);
            let promise: Promise<T>;
            try {
              promise = task();
            } catch (error) {
              promise = Promise.reject(error);
            }
            promise.then(resolve, reject).finally(() => {
              running--;
              schedule();
            });
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.push(entry);
        schedule();
      });
    },
    get waiting() {
      return waiting.length;
    },
    get running() {
      return running;
    },
  };
}
