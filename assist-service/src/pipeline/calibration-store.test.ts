import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../../test/harness.ts';
import { DEFAULT_CALIBRATION } from './calibration.ts';
import {
  calibrationFile,
  createCalibrationSource,
  readCalibration,
  writeCalibration,
} from './calibration-store.ts';
import type { CalibrationFit } from './fit-calibration.ts';

const quality = { firstAnswers: 120, ece: 0.04, high: 20, highPrecision: 0.9 };
const fit = (bias: number): CalibrationFit => ({
  model: { ...DEFAULT_CALIBRATION, bias },
  history: { generation: 3, labelled: 120, questions: 120, fingerprint: '0badf00d' },
  examples: { history: 360, positives: 100, base: 641 },
  outOfFold: quality,
  shipped: { ...quality, highPrecision: null, high: 0 },
});

let dataDir: string;
beforeEach(() => {
  dataDir = temporaryDataDir();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const write = (file: string, bias: number) =>
  writeCalibration(file, {
    tenant: 'default',
    collection: 'demo',
    fittedAt: '2026-12-07T06:00:00.000Z',
    fit: fit(bias),
  });

describe('the stored fit', () => {
  it('is read back as written, and nothing but the file is left in its folder', async () => {
    const file = calibrationFile(dataDir, 'default', 'demo');
    await write(file, -1.5);
    const state = await readCalibration(file);
    expect(state).toMatchObject({
      kind: 'fitted',
      stored: { model: { bias: -1.5 }, history: { generation: 3 } },
    });
    expect(readdirSync(path.dirname(file))).toEqual(['demo.json']);
  });

  it('reports a file that is not JSON or misses a weight, naming what is wrong', async () => {
    const file = calibrationFile(dataDir, 'default', 'demo');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"version": 1, "model": ');
    expect(await readCalibration(file)).toEqual({ kind: 'invalid', problem: 'is not JSON' });
    await write(file, -1);
    const stored = JSON.parse(JSON.stringify((await readCalibration(file)) as { stored: unknown })).stored;
    delete stored.model.weights.lead;
    writeFileSync(file, JSON.stringify(stored));
    expect(await readCalibration(file)).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/^model\.weights\.lead: /u),
    });
  });

  it('keeps a collection name that is no file name inside the tenant folder', () => {
    const file = calibrationFile(dataDir, 'default', '../other');
    expect(path.dirname(file)).toBe(path.join(dataDir, 'calibration', 'default'));
  });
});

describe('createCalibrationSource', () => {
  it('gives the shipped model without a fit, the fit once written, and the next fit without a restart', async () => {
    const source = createCalibrationSource({ dataDir, tenant: 'default' });
    expect(await source.modelFor('demo')).toBe(DEFAULT_CALIBRATION);
    const file = calibrationFile(dataDir, 'default', 'demo');
    await write(file, -1.25);
    expect((await source.modelFor('demo')).bias).toBe(-1.25);
    await write(file, -3.5);
    expect((await source.modelFor('demo')).bias).toBe(-3.5);
    expect(await source.modelFor('other')).toBe(DEFAULT_CALIBRATION);
  });

  it('uses the shipped model for a corrupt file and says so in the log once', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    );
    const source = createCalibrationSource({ dataDir, tenant: 'default', logger });
    const file = calibrationFile(dataDir, 'default', 'demo');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'not json');
    expect(await source.modelFor('demo')).toBe(DEFAULT_CALIBRATION);
    expect(await source.modelFor('demo')).toBe(DEFAULT_CALIBRATION);
    const warnings = lines.filter((line) => line.includes('stored confidence fit is invalid'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"collection":"demo"');
  });
});
