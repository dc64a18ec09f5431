/**
 * Preloaded into the benchmarked server (`node --import ./server-probe.ts src/server.ts`, with an
 * IPC channel): answers `{ type: 'probe' }` with the CPU time the process used and its event-loop
 * delay since the last probe. CPU time per request can be judged on a busy machine where wall
 * time cannot; event-loop delay tells a blocked loop from a saturated machine.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReading {
  /** User + system CPU milliseconds since the previous reading. */
  cpuMs: number;
  /** Event-loop delay since the previous reading, milliseconds. */
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Resident set size of the server process now, megabytes. */
  rssMb: number;
}

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpu = process.cpuUsage();
  process.on('message', (message: unknown) => {
    if ((message as { type?: string } | null)?.type !== 'probe') return;
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const reading: ProbeReading = {
      cpuMs: (used.user + used.system) / 1000,
      delayP50Ms: delay.percentile(50) / 1e6,
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6,
      rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
    delay.reset();
    process.send?.({ type: 'probe-reading', reading });
  });
  // The IPC channel must not keep the server alive on shutdown.
  process.channel?.unref();
}
