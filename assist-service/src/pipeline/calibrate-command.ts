import { openKnowledgeBase } from '@naparnik/ingest';
import { z } from 'zod';
import type { ServiceConfig } from '../config.ts';
import { collectionNameSchema, tenantSchema } from '../contract/index.ts';
import { calibrationFile, removeCalibration, writeCalibration } from './calibration-store.ts';
import { type CalibrationQuality, fitCollectionCalibration } from './fit-calibration.ts';

export const CALIBRATE_USAGE = `  pnpm naparnik calibrate --collection <name> [--tenant <tenant>] [--json]
  pnpm naparnik calibrate --collection <name> --reset
Fits the confidence model on the collection's history (at least 100 entries that name their
documents) and stores it in NAPARNIK_DATA_DIR/calibration/; the running service uses it from its
next request. --reset goes back to the shipped model. Exit code 3: the fit was refused (too little
history, a degenerate model) and the model in use stays.`;

const optionsSchema = z.object({
  collection: collectionNameSchema,
  tenant: tenantSchema.optional(),
  json: z.boolean(),
  reset: z.boolean(),
});

/** `pnpm naparnik calibrate`: returns the exit code; a refused fit throws `CalibrationFitError` and leaves the stored model as it was. */
export async function runCalibrateCommand(
  values: Record<string, unknown>,
  options: { config: ServiceConfig; write: (text: string) => void; now: () => Date },
): Promise<number> {
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new CalibrateUsageError(`${problems.join('; ')}\n${CALIBRATE_USAGE}`);
  }
  const { collection, json, reset } = parsed.data;
  const { config, write } = options;
  const tenant = parsed.data.tenant ?? config.tenant;
  const file = calibrationFile(config.dataDir, tenant, collection);
  if (reset) {
    const removed = await removeCalibration(file);
    write(
      removed
        ? `Removed the fit of "${collection}": the service uses the shipped model from its next request.\n`
        : `"${collection}" had no fit: the service uses the shipped model.\n`,
    );
    return 0;
  }
  const knowledge = await openKnowledgeBase({ config: config.knowledge, dataDir: config.dataDir, tenant });
  try {
    const started = performance.now();
    const fit = await fitCollectionCalibration({
      knowledge,
      collection,
      ...(json
        ? {}
        : {
            onProgress: ({ part, parts, questions }) =>
              write(`  part ${part} of ${parts}: ${questions} questions searched\n`),
          }),
    });
    const seconds = (performance.now() - started) / 1000;
    const stored = await writeCalibration(file, {
      tenant,
      collection,
      fittedAt: options.now().toISOString(),
      fit,
    });
    if (json) {
      write(`${JSON.stringify({ file, seconds: Math.round(seconds * 10) / 10, ...stored })}\n`);
      return 0;
    }
    write(
      `Fitted "${collection}" on ${fit.history.labelled} history entries (${fit.history.questions} questions ` +
        `searched, ${fit.examples.history} answers, ${fit.examples.positives} right; plus ${fit.examples.base} ` +
        `base answers) in ${seconds.toFixed(1)} s.\n` +
        `  fitted model, out of fold: ${describe(fit.outOfFold)}\n` +
        `  shipped model, same answers: ${describe(fit.shipped)}\n` +
        `Saved to ${file}; the service uses it from its next request (--reset goes back to the shipped model).\n`,
    );
    return 0;
  } finally {
    await knowledge.close();
  }
}

export class CalibrateUsageError extends Error {}

function describe(quality: CalibrationQuality): string {
  const precision = quality.highPrecision === null ? '—' : quality.highPrecision.toFixed(3);
  return `ECE ${quality.ece.toFixed(4)} on ${quality.firstAnswers} first answers; "high" ${quality.high}, right ${precision}`;
}
