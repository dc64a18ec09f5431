import { z } from 'zod';

/**
 * What a piece of knowledge is for. `routing` holds the team's routing rules (which department
 * takes which topic); the assist service reads them, search rarely needs them.
 */
export const KNOWLEDGE_KINDS = ['faq', 'script', 'template', 'article', 'routing', 'glossary'] as const;
export const knowledgeKindSchema = z.enum(KNOWLEDGE_KINDS);
export type KnowledgeKind = z.infer<typeof knowledgeKindSchema>;

/**
 * A structure-aware unit of a document: an FAQ pair, a template, a script step, or one section of
 * prose under its heading path. `atomic` units are never split by the chunker.
 */
export interface Section {
  /** Heading path from the document's top, e.g. ['Доставка', 'Сроки по регионам']. */
  titlePath: string[];
  text: string;
  atomic?: boolean;
  /** Structured content the assist service uses (question/answer, template slots, script step…). */
  metadata?: Record<string, unknown>;
}

/**
 * What a loader produces: one logical document of the knowledge base. A file may hold many
 * (an FAQ table gives one per row).
 */
export interface SourceDocument {
  /**
   * Stable across re-ingests: the record's own id where the source has one (CSV `id` column,
   * JSON `id`), otherwise the file path relative to the ingested root, plus `#row-N` or a
   * section anchor when a file holds several documents.
   */
  documentId: string;
  kind: KnowledgeKind;
  title: string;
  /** ISO 639-1 code when the source states it; detected from the text otherwise. */
  language?: string;
  tags: string[];
  category?: string;
  sections: Section[];
  metadata?: Record<string, unknown>;
  /** Problems worth a person's look that do not stop the ingest (reported in the summary). */
  warnings?: string[];
}

export interface LoaderInput {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the ingested root, with forward slashes. */
  relativePath: string;
  bytes: Uint8Array;
}

export interface Loader {
  id: string;
  /** Lower-case file extensions with the dot, e.g. ['.md', '.markdown']. */
  extensions: readonly string[];
  /**
   * Optional finer check for loaders that share an extension (a Naparnik templates YAML vs a
   * generic one): return false to let the next loader try.
   */
  accepts?(input: LoaderInput): boolean;
  load(input: LoaderInput): Promise<SourceDocument[]>;
}

/** A chunk as stored and searched. */
export interface Chunk {
  /** `${documentId}#${ordinal}`: stable as long as the document's structure is. */
  chunkId: string;
  documentId: string;
  ordinal: number;
  kind: KnowledgeKind;
  /** The most specific title: the FAQ question, the template's title, the section heading. */
  title: string;
  titlePath: string[];
  text: string;
  language: string;
  tags: string[];
  category?: string;
  /** Where it came from, relative to the ingested root (what a person recognises). */
  source: string;
  metadata?: Record<string, unknown>;
}

export interface SearchFilter {
  kinds?: KnowledgeKind[];
  /** A chunk matches when it carries any of these tags (case-insensitive). */
  tags?: string[];
  languages?: string[];
  documentIds?: string[];
  /**
   * An instant (ISO 8601): only chunks whose validity window (`validFrom`/`validUntil` in their
   * metadata, see `search-filter.ts`) holds it. The knowledge base's search sets it to now.
   */
  validAt?: string;
}

export interface SearchHit {
  documentId: string;
  chunkId: string;
  /** Fused relevance, higher is better; comparable within one result list only. */
  score: number;
  kind: KnowledgeKind;
  title: string;
  titlePath: string[];
  text: string;
  source: string;
  language: string;
  tags: string[];
  category?: string;
  metadata?: Record<string, unknown>;
  /**
   * The most similar past question (masked, from the collection's history) whose answer was this
   * document, when history voted for it: what the panel shows as "asked before like this".
   */
  history?: { question: string; similarity: number };
  /**
   * Query stems this chunk answers through the glossary rather than the same word («пвз» when the
   * chunk says «пункт выдачи»), or through a link the history's vocabulary bridge learned («стрим»
   * when it says «трансляция»): the assist service counts them as covered.
   */
  glossaryMatches?: Array<{ said: string[]; meant: string[] }>;
  /**
   * Entries with the same answer for the same use, ranked below this one and folded into it
   * (retrieval/twins.ts): the answer is theirs too.
   */
  twins?: Array<{ documentId: string; chunkId: string; title: string }>;
  /** How each retriever ranked this chunk (1-based), for calibration and debugging. */
  signals: { lexicalRank?: number; lexicalScore?: number; vectorRank?: number; vectorSimilarity?: number };
}

/** A chunk as a search hit with the given score and retriever signals. */
export function searchHitOf(chunk: Chunk, score: number, signals: SearchHit['signals'] = {}): SearchHit {
  return {
    documentId: chunk.documentId,
    chunkId: chunk.chunkId,
    score,
    kind: chunk.kind,
    title: chunk.title,
    titlePath: chunk.titlePath,
    text: chunk.text,
    source: chunk.source,
    language: chunk.language,
    tags: chunk.tags,
    ...(chunk.category ? { category: chunk.category } : {}),
    ...(chunk.metadata ? { metadata: chunk.metadata } : {}),
    signals,
  };
}
