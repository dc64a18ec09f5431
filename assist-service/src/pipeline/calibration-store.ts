import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type CalibrationModel, DEFAULT_CALIBRATION, SIGNAL_NAMES } from './calibration.ts';
import type { CalibrationFit } from './fit-calibration.ts';

/**
 * A collection's fitted confidence model (`pnpm naparnik calibrate`), one JSON file per tenant and
 * collection under the data folder: `<dataDir>/calibration/<tenant>/<collection>.json`. Written
 * whole to a temporary file and renamed over the old one, so a reader sees the old fit or the new
 * one, never half of either; validated on every read, and a file that does not validate is
 * reported and ignored (the shipped model is used).
 */
const qualitySchema = z.object({
  firstAnswers: z.number().int().nonnegative(),
  ece: z.number().min(0).max(1),
  high: z.number().int().nonnegative(),
  highPrecision: z.number().min(0).max(1).nullable(),
});

export const storedCalibrationSchema = z.object({
  version: z.literal(1),
  tenant: z.string(),
  collection: z.string(),
  fittedAt: z.iso.datetime(),
  model: z.object({
    bias: z.number().finite(),
    weights: z.object(
      Object.fromEntries(SIGNAL_NAMES.map((name) => [name, z.number().finite()])) as Record<
        (typeof SIGNAL_NAMES)[number],
        z.ZodNumber
      >,
    ),
  }),
  history: z.object({
    generation: z.number().int().nonnegative(),
    labelled: z.number().int().nonnegative(),
    questions: z.number().int().nonnegative(),
    fingerprint: z.string(),
  }),
  examples: z.object({
    history: z.number().int().nonnegative(),
    positives: z.number().int().nonnegative(),
    base: z.number().int().nonnegative(),
  }),
  outOfFold: qualitySchema,
  shipped: qualitySchema,
});
export type StoredCalibration = z.infer<typeof storedCalibrationSchema>;

export function calibrationFile(dataDir: string, tenant: string, collection: string): string {
  return path.join(dataDir, 'calibration', tenant, `${encodeURIComponent(collection)}.json`);
}

export async function writeCalibration(
  file: string,
  record: { tenant: string; collection: string; fittedAt: string; fit: CalibrationFit },
): Promise<StoredCalibration> {
  const stored = storedCalibrationSchema.parse({
    version: 1,
    tenant: record.tenant,
    collection: record.collection,
    fittedAt: record.fittedAt,
    model: record.fit.model,
    history: record.fit.history,
    examples: record.fit.examples,
    outOfFold: record.fit.outOfFold,
    shipped: record.fit.shipped,
  });
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return stored;
}

/** Removes a collection's fit: the shipped model is used again. Whether there was one. */
export async function removeCalibration(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export type CalibrationState =
  | { kind: 'shipped' }
  | { kind: 'fitted'; stored: StoredCalibration }
  | { kind: 'invalid'; problem: string };

export async function readCalibration(file: string): Promise<CalibrationState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'shipped' };
    return {
      kind: 'invalid',
      problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'is not JSON' };
  }
  const parsed = storedCalibrationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: 'invalid', problem: `${issue.path.join('.') || 'the file'}: ${issue.message}` };
  }
  return { kind: 'fitted', stored: parsed.data };
}

/**
 * The confidence model the service scores a collection's answers with: its fit when one is
 * stored and valid, else the shipped one. The file is looked at on each request (one `stat`), and
 * read again when it changed, so a new fit is used without a restart.
 */
export interface CalibrationSource {
  modelFor(collection: string): Promise<CalibrationModel>;
  stateOf(collection: string): Promise<CalibrationState>;
}

export function createCalibrationSource(options: {
  dataDir: string;
  tenant: string;
  logger?: Logger;
}): CalibrationSource {
  const cache = new Map<string, { stamp: string; state: Promise<CalibrationState> }>();
  const stateOf = async (collection: string): Promise<CalibrationState> => {
    const file = calibrationFile(options.dataDir, options.tenant, collection);
    let stamp: string;
    try {
      const info = await stat(file);
      stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      cache.delete(collection);
      return { kind: 'shipped' };
    }
    let entry = cache.get(collection);
    if (entry?.stamp !== stamp) {
      const state = readCalibration(file);
      entry = { stamp, state };
      cache.set(collection, entry);
      const read = await state;
      // Once per version of the file, not per request.
      if (read.kind === 'invalid') {
        options.logger?.warn(
          { tenant: options.tenant, collection, problem: read.problem },
          'stored confidence fit is invalid; the shipped model is used',
        );
      } else if (read.kind === 'fitted') {
        options.logger?.info(
          { tenant: options.tenant, collection, fittedAt: read.stored.fittedAt },
          'confidence model fitted on the collection history in use',
        );
      }
    }
    return entry.state;
  };
  return {
    stateOf,
    async modelFor(collection) {
      const state = await stateOf(collection);
      return state.kind === 'fitted' ? state.stored.model : DEFAULT_CALIBRATION;
    },
  };
}
