import { parseArgs } from 'node:util';
import { percentile, printTable, seededRandom } from '../../scripts/bench-support.ts';
import { startTestService } from '../test/harness.ts';
import { type IdKind, twoTenants } from '../test/tenant-probes.ts';
import { mannWhitneyU } from './mann-whitney.ts';

const KINDS: readonly IdKind[] = ['own', 'foreign', 'missing'];

/**
 * `pnpm bench isolation [--rounds 400]`: can tenant B tell tenant A's ids from ids that exist
 * nowhere by how long the service takes? A real service on SQLite (the test harness's), tenants A
 * and B each with a suggestion set, feedback, a knowledge document and a recipe; B asks for its own
 * id, A's and a missing one on each main lookup, the three kinds interleaved in a seeded random
 * order each round (so drift and GC fall on all three), each request timed from send to the last
 * byte over loopback. Prints p50/p95/p99 per kind and the two-sided Mann–Whitney U p-value of
 * "A's id" against "missing" (what an attacker would compare) and of "own" against "missing"
 * (which shows the bench can see a difference where the work differs). A figure, never asserted.
 */
export async function runIsolationBench(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string', default: '400' } } });
  const rounds = Number(values.rounds);
  if (!(rounds >= 10)) throw new Error('bench isolation: --rounds must be a number ≥ 10');
  const service = await startTestService();
  const random = seededRandom(2026);
  const rows: Array<Array<string | number>> = [];
  const comparisons: Array<Array<string | number>> = [];
  try {
    const probes = await twoTenants(service);
    for (const probe of probes) {
      const times: Record<IdKind, number[]> = { own: [], foreign: [], missing: [] };
      const time = async (kind: IdKind) => {
        const started = performance.now();
        const response = await probe.send(probe.ids[kind]);
        await response.arrayBuffer();
        return performance.now() - started;
      };
      for (const kind of KINDS) for (let index = 0; index < 20; index++) await time(kind);
      for (let round = 0; round < rounds; round++) {
        const order = [...KINDS].sort(() => random() - 0.5);
        for (const kind of order) times[kind].push(await time(kind));
      }
      for (const kind of KINDS) {
        const sample = times[kind];
        rows.push([
          probe.route,
          kind === 'foreign' ? "A's id" : kind,
          sample.length,
          ...[0.5, 0.95, 0.99].map((fraction) => percentile(sample, fraction).toFixed(3)),
        ]);
      }
      const format = (left: number[], right: number[]) => {
        const { p, z } = mannWhitneyU(left, right);
        return `${p.toFixed(3)} (z ${z.toFixed(2)})`;
      };
      comparisons.push([probe.route, format(times.foreign, times.missing), format(times.own, times.missing)]);
    }
  } finally {
    await service.dispose();
  }
  printTable(
    `pnpm bench isolation: tenant B's lookups, ms from send to last byte (${rounds} rounds, interleaved)`,
    ['route', 'id', 'n', 'p50 ms', 'p95 ms', 'p99 ms'],
    rows,
  );
  printTable(
    "Mann–Whitney U, two-sided p (a small p: the timings differ): A's id vs missing, own vs missing",
    ['route', "A's id vs missing", 'own vs missing'],
    comparisons,
  );
}
