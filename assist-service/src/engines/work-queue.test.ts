import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue.ts';

/** Synchronous CPU work, as the offline engine and the store do. */
function busy(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // spin
  }
}

describe('work queue', () => {
  it('runs tasks in arrival order, one per turn, so timers fire between them', async () => {
    const queue = createWorkQueue({ concurrency: 4 });
    const events: string[] = [];
    const never = new AbortController().signal;
    const tasks = [1, 2, 3].map((index) =>
      queue.run(async () => {
        events.push(`task ${index}`);
        busy(30);
        return index;
      }, never),
    );
    setTimeout(() => events.push('timer'), 5);
    expect(await Promise.all(tasks)).toEqual([1, 2, 3]);
    expect(events.indexOf('timer')).toBeGreaterThan(0);
    expect(events.indexOf('timer')).toBeLessThan(events.indexOf('task 3'));
    expect(events.filter((event) => event.startsWith('task'))).toEqual(['task 1', 'task 2', 'task 3']);
  });

  it('drops a task whose signal aborts while it waits', async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    const never = new AbortController().signal;
    const gone = new AbortController();
    let ran = false;
    const first = queue.run(async () => sleep(20), never);
    const second = queue.run(async () => {
      ran = true;
    }, gone.signal);
    gone.abort(new DOMException('client went away', 'AbortError'));
    await expect(second).rejects.toThrow('client went away');
    await first;
    await sleep(5);
    expect(ran).toBe(false);
    expect(queue.waiting).toBe(0);
  });

  it('keeps at most `concurrency` tasks running when they wait on I/O', async () => {
    const queue = createWorkQueue({ concurrency: 2 });
    const never = new AbortController().signal;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        queue.run(async () => {
          peak = Math.max(peak, queue.running);
          await sleep(10);
        }, never),
      ),
    );
    expect(peak).toBe(2);
    expect(queue.running).toBe(0);
  });

  it('passes a task’s failure to its caller and goes on with the next', async () => {
    const queue = createWorkQueue({ concurrency: 1 });
    const never = new AbortController().signal;
    const failing = queue.run(async () => {
      throw new Error('boom');
    }, never);
    const next = queue.run(async () => 'next', never);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
