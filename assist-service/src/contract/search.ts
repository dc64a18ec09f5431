import { z } from 'zod';
import { collectionNameSchema } from './conversation.ts';

export const KNOWLEDGE_KINDS = ['faq', 'script', 'template', 'article', 'routing', 'glossary'] as const;

export const searchFilterSchema = z.object({
  kinds: z.array(z.enum(KNOWLEDGE_KINDS)).max(KNOWLEDGE_KINDS.length).optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
  languages: z.array(z.string().min(2).max(16)).max(10).optional(),
  documentIds: z.array(z.string().max(500)).max(200).optional(),
});

export const searchRequestSchema = z.object({
  collection: collectionNameSchema,
  query: z.string().max(4000),
  topK: z.number().int().min(1).max(50).optional().describe('Default 10.'),
  filter: searchFilterSchema.optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;

export const searchHitSchema = z.object({
  documentId: z.string(),
  chunkId: z.string(),
  score: z.number(),
  kind: z.enum(KNOWLEDGE_KINDS),
  title: z.string(),
  titlePath: z.array(z.string()),
  text: z.string(),
  source: z.string(),
  language: z.string(),
  tags: z.array(z.string()),
  category: z.string().optional(),
  signals: z.object({
    lexicalRank: z.number().optional(),
    lexicalScore: z.number().optional(),
    vectorRank: z.number().optional(),
    vectorSimilarity: z.number().optional(),
  }),
});

export const searchResponseSchema = z.object({
  collection: z.string(),
  hits: z.array(searchHitSchema),
  tookMs: z.number(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;
