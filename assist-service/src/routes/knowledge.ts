import { isValidAt, validityWindow } from '@naparnik/ingest';
import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import {
  type KnowledgeDocument,
  type KnowledgeDocumentDetail,
  type KnowledgeDocumentsResponse,
  knowledgeDocumentParamsSchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { type Chunk, requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery } from './http.ts';

type DocumentRecord = Awaited<
  ReturnType<ReturnType<typeof requireKnowledge>['store']['listDocuments']>
>[number];

/** Where an entry stands against its validity window (`ingest/src/store/validity.ts`) at `now`. */
function validity(
  chunks: readonly Chunk[],
  now: Date,
): Pick<KnowledgeDocument, 'status' | 'validFrom' | 'validUntil'> {
  const metadata = chunks[0]?.metadata;
  const bounds = {
    ...(typeof metadata?.validFrom === 'string' ? { validFrom: metadata.validFrom } : {}),
    ...(typeof metadata?.validUntil === 'string' ? { validUntil: metadata.validUntil } : {}),
  };
  if (isValidAt(metadata, now.getTime())) return { status: 'ok', ...bounds };
  const { from } = validityWindow(metadata);
  return { status: from !== undefined && now.getTime() < from ? 'not-yet-valid' : 'expired', ...bounds };
}

/** A stored document with what its chunks say: how many, in which languages, valid or not. */
function describe(record: DocumentRecord, chunks: readonly Chunk[], now: Date): KnowledgeDocument {
  const languages: Record<string, number> = {};
  for (const chunk of chunks) languages[chunk.language] = (languages[chunk.language] ?? 0) + 1;
  const language =
    Object.entries(languages).sort(
      (left, right) => right[1] - left[1] || left[0].localeCompare(right[0]),
    )[0]?.[0] ?? 'unknown';
  return {
    documentId: record.documentId,
    title: record.title,
    kind: record.kind,
    source: record.source,
    chunks: chunks.length,
    language,
    languages,
    lastIngestedAt: record.updatedAt,
    contentHash: record.contentHash,
    ...validity(chunks, now),
  };
}

/** What a collection holds, for the console's Knowledge page: its documents and their chunks. */
export function knowledgeRoutes(context: RouteContext): Router {
  const router = Router();

  router.get('/collections/:collection/documents', async (request, response) => {
    const { collection } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    const knowledge = requireKnowledge(tenantScope(response).knowledge);
    await requireCollection(knowledge, collection);
    const [records, chunks] = await Promise.all([
      knowledge.store.listDocuments(collection),
      knowledge.store.listChunks(collection),
    ]);
    const byDocument = new Map<string, Chunk[]>();
    for (const chunk of chunks) {
      const list = byDocument.get(chunk.documentId) ?? [];
      list.push(chunk);
      byDocument.set(chunk.documentId, list);
    }
    const body: KnowledgeDocumentsResponse = {
      collection,
      documents: records
        .map((record) => describe(record, byDocument.get(record.documentId) ?? [], context.clock.now()))
        .sort(
          (left, right) => left.source.localeCompare(right.source) || left.title.localeCompare(right.title),
        ),
    };
    response.json(body);
  });

  router.get('/collections/:collection/documents/:documentId', async (request, response) => {
    const { collection, documentId } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    const knowledge = requireKnowledge(tenantScope(response).knowledge);
    await requireCollection(knowledge, collection);
    const record = (await knowledge.store.listDocuments(collection)).find(
      (candidate) => candidate.documentId === documentId,
    );
    if (!record || documentId === undefined) {
      throw new ServiceError('not-found', `Collection "${collection}" has no document "${documentId}".`);
    }
    const chunks = (await knowledge.store.listChunks(collection, { documentIds: [documentId] })).sort(
      (left, right) => left.ordinal - right.ordinal,
    );
    const body: KnowledgeDocumentDetail = {
      collection,
      document: describe(record, chunks, context.clock.now()),
      chunks: chunks.map((chunk) => ({
        chunkId: chunk.chunkId,
        ordinal: chunk.ordinal,
        title: chunk.title,
        titlePath: chunk.titlePath,
        text: chunk.text,
        language: chunk.language,
        tags: chunk.tags,
        ...(chunk.category !== undefined ? { category: chunk.category } : {}),
      })),
    };
    response.json(body);
  });

  return router;
}
