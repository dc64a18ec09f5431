import { StoreError } from '../errors.ts';
import type { CollectionInfo, EmbedderIdentity, StoredDocument } from './knowledge-store.ts';

/** Rules every backend checks the same way, with the same messages. */

export function assertCollectionName(name: string): void {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u.test(name)) {
    throw new StoreError(
      'invalid-input',
      `invalid collection name "${name}": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`,
    );
  }
}

/** Vectors of different embedders never mix in one collection. */
export function assertSameEmbedder(
  name: string,
  existingEmbedderId: string,
  embedder: EmbedderIdentity,
): void {
  if (existingEmbedderId !== embedder.id) {
    throw new StoreError(
      'embedder-mismatch',
      `collection "${name}" was built with embedder ${existingEmbedderId}, not ${embedder.id}: ` +
        'configure that embedder again, or re-ingest with --reembed to rebuild its vectors',
    );
  }
}

/** Checked before anything is written, so a bad batch leaves the store as it was. */
export function assertVectorDimensions(
  collectionName: string,
  dimensions: number,
  documents: readonly StoredDocument[],
): void {
  for (const document of documents) {
    for (const chunk of document.chunks) {
      if (chunk.vector.length !== dimensions) {
        throw new StoreError(
          'invalid-input',
          `chunk ${chunk.chunkId}: vector has ${chunk.vector.length} dimensions, collection "${collectionName}" expects ${dimensions}`,
        );
      }
    }
  }
}

/** A collection's row, as both stores keep it (one table, the same columns). */
export interface CollectionRow {
  id: number;
  name: string;
  embedder_id: string;
  dimensions: number;
  generation: number;
  history_generation: number;
  created_at: string;
  updated_at: string;
}

export function collectionInfoOf(row: CollectionRow): CollectionInfo {
  return {
    name: row.name,
    embedderId: row.embedder_id,
    dimensions: row.dimensions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    historyGeneration: row.history_generation,
  };
}
