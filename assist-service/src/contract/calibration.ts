import { z } from 'zod';

const calibrationQualitySchema = z.object({
  firstAnswers: z.number().int(),
  ece: z.number(),
  high: z.number().int(),
  highPrecision: z.number().nullable(),
});

/** `GET /v1/collections/{collection}/calibration`: which confidence model scores the collection's answers. */
export const collectionCalibrationResponseSchema = z.object({
  collection: z.string(),
  /** `fitted`: `pnpm naparnik calibrate`'s model; `shipped`: none stored; `invalid`: a stored fit that does not validate (the shipped model is used). */
  model: z.enum(['shipped', 'fitted', 'invalid']),
  problem: z.string().optional(),
  fittedAt: z.string().optional(),
  /** The history the fit read, and the collection's history now: a changed generation means a refit may be due. */
  fittedOn: z
    .object({ generation: z.number().int(), labelled: z.number().int(), questions: z.number().int() })
    .optional(),
  history: z.object({ generation: z.number().int(), entries: z.number().int() }),
  /** The fitted model, out of fold, and the shipped one on the same first answers. */
  outOfFold: calibrationQualitySchema.optional(),
  shipped: calibrationQualitySchema.optional(),
});
export type CollectionCalibrationResponse = z.infer<typeof collectionCalibrationResponseSchema>;
