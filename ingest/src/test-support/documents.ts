import type { StoredDocument } from '../store/knowledge-store.ts';

/** A one-chunk FAQ document whose title and text are `text`, with the vector given. */
export function oneChunkFaq(documentId: string, text: string, vector: Float32Array): StoredDocument {
  return {
    documentId,
    kind: 'faq',
    title: text,
    contentHash: documentId,
    source: 'faq.csv',
    sourcePath: '/kb/faq.csv',
    chunks: [
      {
        chunkId: `${documentId}#0`,
        documentId,
        ordinal: 0,
        kind: 'faq',
        title: text,
        titlePath: [text],
        text,
        language: 'ru',
        tags: [],
        source: 'faq.csv',
        vector,
      },
    ],
  };
}
