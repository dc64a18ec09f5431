import { createHash } from 'node:crypto';
import type { FaqSaveResponse } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { type KnowledgeBaseLike, requireCollection } from '../retrieval/knowledge-base.ts';
import type { KnowledgeFiles } from './knowledge-files.ts';

/** Where entries saved from the Gaps page go when they start a document of their own. */
export const GAP_FAQ_FOLDER = 'faq-from-gaps';

export interface FaqEntryInput {
  collection: string;
  question: string;
  answer: string;
  variants: string[];
  category?: string | undefined;
  language: 'ru' | 'en';
  target: { kind: 'new' } | { kind: 'append'; documentId: string };
}

/**
 * Saves an FAQ entry the manager edited as a JSON Lines record (ingest's records format: FORMATS.md)
 * through the console's uploads, so the ingest library the CLI uses reads it, and a failed ingest
 * puts the file back as it was (knowledge-files.ts): nothing half-written. A new entry gets a file
 * of its own; an appended one goes at the end of the JSON Lines file a chosen FAQ document came
 * from, which must be one uploaded through the console (the service writes only there).
 */
export async function saveFaqEntry(
  files: KnowledgeFiles,
  knowledge: KnowledgeBaseLike,
  input: FaqEntryInput,
): Promise<FaqSaveResponse> {
  const existing = (await knowledge.store.getCollection(input.collection))
    ? await knowledge.store.listDocuments(input.collection)
    : [];
  const taken = new Set(existing.map((document) => document.documentId));
  const base = `faq-gap-${createHash('sha256').update(input.question.toLowerCase()).digest('hex').slice(0, 10)}`;
  let documentId = base;
  for (let suffix = 2; taken.has(documentId); suffix++) documentId = `${base}-${suffix}`;
  const record = `${JSON.stringify({
    id: documentId,
    kind: 'faq',
    question: input.question,
    answer: input.answer,
    ...(input.category ? { category: input.category } : {}),
    // The other phrasings customers used: tags are searched with the entry.
    tags: input.variants,
    language: input.language,
  })}\n`;

  let relativePath: string;
  let bytes: Buffer;
  if (input.target.kind === 'new') {
    relativePath = `${GAP_FAQ_FOLDER}/${documentId}.jsonl`;
    bytes = Buffer.from(record);
  } else {
    await requireCollection(knowledge, input.collection);
    const { documentId: chosen } = input.target;
    const document = existing.find((candidate) => candidate.documentId === chosen);
    if (!document) {
      throw new ServiceError('not-found', `Collection "${input.collection}" has no document "${chosen}".`);
    }
    const relative = files.uploadedPath(input.collection, document);
    if (document.kind !== 'faq' || relative === undefined || !relative.endsWith('.jsonl')) {
      throw new ServiceError(
        'invalid-request',
        `"${chosen}" (${document.source}) is not an FAQ JSON Lines file uploaded through the console; save the entry as a new document instead.`,
      );
    }
    const current = await files.read(input.collection, relative);
    if (!current) {
      throw new ServiceError(
        'not-found',
        `The file "${document.source}" that "${chosen}" came from is no longer stored; upload it again.`,
      );
    }
    const separator = current.length > 0 && current.at(-1) !== 0x0a ? '\n' : '';
    relativePath = relative;
    bytes = Buffer.concat([current, Buffer.from(separator + record)]);
  }
  const result = await files.upload(knowledge, input.collection, relativePath, bytes);
  return {
    collection: input.collection,
    documentId,
    file: relativePath,
    appended: input.target.kind === 'append',
    chunks: result.chunks,
    historyLinked: 0,
  };
}
