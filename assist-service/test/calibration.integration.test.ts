import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_KB_DIR, DEMO_KB_PATHS, importHistory } from '@naparnik/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';
import { assistResponseSchema, collectionCalibrationResponseSchema } from '../src/contract/index.ts';
import { calibrationFile } from '../src/pipeline/calibration-store.ts';
import { assistBody, startTestService, type TestService } from './harness.ts';

/**
 * The service over real HTTP scores answers with the model `pnpm naparnik calibrate` fitted on the
 * collection's own history, from the next request, and with the shipped model again when the
 * stored fit is corrupt or removed. The history: the demo's golden questions, imported by the
 * `pnpm ingest --history` import.
 */
let service: TestService;
const QUESTION = 'сколько стоит доставка курьером до Казани?';

beforeAll(async () => {
  service = await startTestService({ demoPaths: DEMO_KB_PATHS });
  await importHistory({
    store: (await service.ready).store,
    collection: 'demo',
    paths: [path.join(DEMO_KB_DIR, 'golden', 'golden.jsonl')],
    mask: (text) => text,
    retentionDays: 0,
  });
}, 180_000);
afterAll(async () => {
  await service?.dispose();
});

async function confidence(): Promise<number> {
  const response = await service.post('/v1/assist', assistBody([{ role: 'customer', text: QUESTION }]));
  expect(response.status).toBe(200);
  return assistResponseSchema.parse(await response.json()).confidence.score;
}

async function model() {
  const response = await service.get('/v1/collections/demo/calibration');
  expect(response.status).toBe(200);
  return collectionCalibrationResponseSchema.parse(await response.json());
}

async function calibrate(...extra: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await runCli(['calibrate', '--collection', 'demo', ...extra], {
    environment: { NAPARNIK_DATA_DIR: service.dataDir },
    write: (text) => {
      output += text;
    },
  });
  return { code, output };
}

describe('a collection calibrated on its own history', () => {
  it('changes the confidence the running service gives, and goes back to the shipped model when the fit is corrupt or reset', async () => {
    const shipped = await confidence();
    expect(await model()).toMatchObject({ model: 'shipped', history: { entries: 105 } });

    const { code, output } = await calibrate();
    expect(code).toBe(0);
    expect(output).toMatch(/Fitted "demo" on \d+ history entries/u);
    expect(output).toMatch(/fitted model, out of fold: ECE 0\.\d{4} on \d+ first answers/u);
    const fitted = await confidence();
    expect(fitted).not.toBe(shipped);
    const described = await model();
    expect(described).toMatchObject({ model: 'fitted', fittedOn: { labelled: 105, questions: 105 } });
    expect(described.fittedOn?.generation).toBe(described.history.generation);
    expect(described.outOfFold?.firstAnswers).toBe(105);

    const file = calibrationFile(service.dataDir, service.config.tenant, 'demo');
    writeFileSync(file, '{"version": 1');
    expect(await confidence()).toBe(shipped);
    expect(service.logs.join('')).toContain('stored confidence fit is invalid');
    expect(await model()).toMatchObject({ model: 'invalid', problem: 'is not JSON' });

    expect((await calibrate('--reset')).output).toMatch(/Removed the fit of "demo"/u);
    expect(await confidence()).toBe(shipped);
    expect((await model()).model).toBe('shipped');
  }, 120_000);

  it('refuses to calibrate a collection that does not exist, and a missing --collection is a usage error', async () => {
    await expect(
      runCli(['calibrate', '--collection', 'nowhere'], {
        environment: { NAPARNIK_DATA_DIR: service.dataDir },
      }),
    ).rejects.toThrow(/collection "nowhere" does not exist/u);
    await expect(
      runCli(['calibrate'], { environment: { NAPARNIK_DATA_DIR: service.dataDir } }),
    ).rejects.toThrow(/--collection: /u);
  });
});
