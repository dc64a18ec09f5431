import { z } from 'zod';
import { engineCapabilitiesSchema } from './rewrite.ts';
import { KNOWLEDGE_KINDS } from './search.ts';

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});

export const readyResponseSchema = z.object({
  ready: z.literal(true),
  store: z.string(),
  collections: z.number().int(),
  /** What the engine offers (rewrite styles); absent from services older than the rewrite route. */
  capabilities: engineCapabilitiesSchema.optional(),
});

export const collectionSummarySchema = z.object({
  name: z.string(),
  documents: z.number().int(),
  chunks: z.number().int(),
  byKind: z.partialRecord(z.enum(KNOWLEDGE_KINDS), z.number().int()),
  languages: z.record(z.string(), z.number().int()),
  embedderId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const collectionsResponseSchema = z.object({ collections: z.array(collectionSummarySchema) });
export type CollectionsResponse = z.infer<typeof collectionsResponseSchema>;
