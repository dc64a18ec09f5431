import { StatementSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './harness.ts';
import { type IdKind, type TenantProbe, twoTenants } from './tenant-probes.ts';

/**
 * Tenant B cannot tell tenant A's ids from ids that exist nowhere — not by the answer, and not by
 * the work the service does for it, which is what a timing difference would come from. The
 * service runs in this process on SQLite, so every statement it executes goes through
 * `StatementSync`: recording the SQL of each request shows the two lookups take the same path
 * (same statements, in the same order), and the answers are compared byte for byte with the id
 * blanked. Timings themselves are printed by `pnpm bench isolation`, not asserted.
 */

let recording: string[] | undefined;
const methods = ['get', 'all', 'run', 'iterate'] as const;
const originals = new Map<string, (...parameters: unknown[]) => unknown>();

function startRecording() {
  for (const method of methods) {
    const original = StatementSync.prototype[method] as (...parameters: unknown[]) => unknown;
    originals.set(method, original);
    StatementSync.prototype[method] = function (this: StatementSync, ...parameters: unknown[]) {
      recording?.push(`${method}: ${this.sourceSQL.replace(/\s+/gu, ' ').trim()}`);
      return original.apply(this, parameters);
    } as never;
  }
}

function stopRecording() {
  for (const method of methods) {
    const original = originals.get(method);
    if (original) StatementSync.prototype[method] = original as never;
  }
}

/** What B's request did in SQL, and what it got back with the id and the request id blanked. */
async function observe(probe: TenantProbe, kind: IdKind) {
  const id = probe.ids[kind];
  recording = [];
  const response = await probe.send(id);
  const body = await response.text();
  const statements = recording;
  recording = undefined;
  const headers = [...response.headers]
    .filter(([name]) => !['date', 'x-request-id'].includes(name))
    .map(([name, value]) => `${name}: ${value}`);
  const blank = (text: string) =>
    text
      .replaceAll(id, '<id>')
      .replaceAll(encodeURIComponent(id), '<id>')
      .replace(/"requestId":"[^"]*"/gu, '"requestId":"<request>"');
  return { status: response.status, headers, body: blank(body), bytes: Buffer.byteLength(body), statements };
}

describe('tenant isolation: the same path for another tenant’s id as for none', () => {
  let service: TestService;
  let probes: TenantProbe[];

  beforeAll(async () => {
    service = await startTestService();
    probes = await twoTenants(service);
    startRecording();
  });

  afterAll(async () => {
    stopRecording();
    await service.dispose();
  });

  it('runs the same SQL and answers the same bytes and headers for A’s id as for a missing one, on every main lookup', async () => {
    expect(probes.map((probe) => probe.route)).toHaveLength(4);
    for (const probe of probes) {
      // Warm: caches (collection lists, prepared statements) filled by a first round of each.
      for (const kind of ['own', 'foreign', 'missing'] as const) await observe(probe, kind);
      const foreign = await observe(probe, 'foreign');
      const missing = await observe(probe, 'missing');
      const own = await observe(probe, 'own');
      expect(foreign.statements.length, probe.route).toBeGreaterThan(0);
      expect(foreign, probe.route).toEqual(missing);
      // The check can fail: B's own id takes another path and gets another answer.
      expect(own.body, probe.route).not.toEqual(missing.body);
    }
  });
});
