import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CHUNKING_VERSION, chunkDocument, DEFAULT_CHUNKING } from './chunking/chunk-document.ts';
import type { Embedder } from './embeddings/embedder.ts';
import { IngestError } from './errors.ts';
import { findLoader, LOADERS, SUPPORTED_EXTENSIONS } from './loaders/index.ts';
import type { Chunk, Loader, LoaderInput, SourceDocument } from './model.ts';
import { type KnowledgeSafety, scanDocument } from './safety/scan-document.ts';
import type { DocumentRecord, KnowledgeStore, StoredDocument } from './store/knowledge-store.ts';

export interface IngestOptions {
  store: KnowledgeStore;
  embedder: Embedder;
  collection: string;
  /** Files or folders (walked recursively); absolute or relative to `workingDirectory`. */
  paths: string[];
  workingDirectory?: string;
  /** Remove documents whose source file under the given folders no longer exists. */
  prune?: boolean;
  /**
   * Only these files (relative to the one folder in `paths`, forward slashes) instead of walking
   * it: an upload or a re-ingest names the file it changed, and its documents keep the ids and
   * source a walk of the whole folder would give them. Not with `prune`.
   */
  only?: string[];
  /**
   * Of the named files, write only these documents; the file's other documents are read (they
   * may be needed to check it, as a routing rule needs its departments) but neither written nor
   * removed. A console edit re-ingests the one document it changed. Only with `only`.
   */
  documents?: string[];
  maxFileBytes?: number;
  loaders?: readonly Loader[];
  onProgress?: (event: IngestProgress) => void;
  signal?: AbortSignal;
  /**
   * Domains the knowledge base's answers may link to; a link elsewhere flags the document. Not
   * given: links are not judged at ingest (the service judges them against the KB's own domains).
   */
  linkDomains?: readonly string[];
}

/** A document the safety detector flagged: what the manager sees in the ingest report. */
export interface FlaggedDocument extends KnowledgeSafety {
  file: string;
  documentId: string;
  title: string;
}

export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: Array<{ file: string; reason: string }>;
  /** Documents ingested with something to look at (a template stating an action as done, …). */
  warnings: Array<{ file: string; documentId: string; message: string }>;
  /**
   * Documents flagged as prompt injection or poisoning (asks for card data, promises money beyond
   * policy, links outside the allowed domains), unchanged ones included: stored on each chunk as
   * `metadata.safety`, and the service never offers them as a plain suggestion.
   */
  flagged: FlaggedDocument[];
  /** Chunks written by this run (of added and updated documents). */
  chunks: number;
  seconds: number;
}

export type IngestProgress =
  | { type: 'start'; files: number }
  | {
      type: 'file';
      index: number;
      total: number;
      file: string;
      documents: number;
      added: number;
      updated: number;
      unchanged: number;
      removed: number;
    }
  | { type: 'failed'; index: number; total: number; file: string; reason: string }
  | { type: 'pruned'; removed: number };

interface FoundFile {
  path: string;
  relativePath: string;
}

const UPSERT_BATCH = 500;
const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Loads, chunks, embeds and stores files. Unchanged documents (same content hash) are not even
 * embedded again; a changed document replaces its old chunks atomically; documents a file no
 * longer contains are removed; a file that fails leaves what it had stored untouched.
 */
export async function ingestPaths(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, embedder, collection } = options;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const loaders = options.loaders ?? LOADERS;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const summary: IngestSummary = {
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    failed: [],
    warnings: [],
    flagged: [],
    chunks: 0,
    seconds: 0,
  };

  await store.ensureCollection(collection, embedder);
  const roots = options.paths.map((input) => path.resolve(workingDirectory, input));
  const files: FoundFile[] = [];
  if (options.only) {
    if (roots.length !== 1 || options.prune) {
      throw new IngestError('invalid', '`only` names files under exactly one folder and cannot prune');
    }
    for (const relativePath of options.only) {
      try {
        files.push(await namedFile(roots[0]!, relativePath));
      } catch (error) {
        summary.failed.push({ file: relativePath, reason: describe(error) });
      }
    }
  } else {
    if (options.documents)
      throw new IngestError('invalid', '`documents` picks documents of the files `only` names');
    for (const root of roots) {
      try {
        files.push(...(await findFiles(root)));
      } catch (error) {
        summary.failed.push({ file: path.relative(workingDirectory, root) || root, reason: describe(error) });
      }
    }
  }
  options.onProgress?.({ type: 'start', files: files.length });

  const previous = new Map<string, DocumentRecord>();
  for (const record of await store.listDocuments(collection)) previous.set(record.documentId, record);
  const previousBySource = new Map<string, DocumentRecord[]>();
  for (const record of previous.values()) {
    const list = previousBySource.get(record.sourcePath) ?? [];
    list.push(record);
    previousBySource.set(record.sourcePath, list);
  }
  /** documentId → the file that produced it in this run, to catch ids claimed twice. */
  const producedBy = new Map<string, string>();

  for (const [index, file] of files.entries()) {
    options.signal?.throwIfAborted();
    try {
      const documents = pickDocuments(await loadFile(file, loaders, maxFileBytes), options.documents);
      for (const document of documents) {
        for (const message of document.warnings ?? []) {
          summary.warnings.push({ file: file.relativePath, documentId: document.documentId, message });
        }
      }
      for (const document of documents) {
        const other = producedBy.get(document.documentId);
        if (other !== undefined && other !== file.relativePath) {
          throw new IngestError(
            'invalid',
            `documentId "${document.documentId}" is also produced by ${other}`,
          );
        }
      }
      const safety = new Map<string, KnowledgeSafety>();
      for (const document of documents) {
        const verdict = scanDocument(document, options.linkDomains);
        if (!verdict) continue;
        safety.set(document.documentId, verdict);
        summary.flagged.push({
          file: file.relativePath,
          documentId: document.documentId,
          title: document.title,
          ...verdict,
        });
      }
      const seen = new Set<string>();
      const toWrite: StoredDocument[] = [];
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      for (const document of documents) {
        seen.add(document.documentId);
        const contentHash = hashDocument(document, file.relativePath, embedder.id);
        const before = previous.get(document.documentId);
        if (before?.contentHash === contentHash && before.sourcePath === file.path) {
          unchanged++;
          continue;
        }
        const chunks = withSafety(
          await chunkDocument(document, file.relativePath, DEFAULT_CHUNKING),
          safety.get(document.documentId),
        );
        if (chunks.length === 0) continue;
        const vectors = await embedder.embedDocuments(chunks.map(embeddingText), {
          ...(options.signal ? { signal: options.signal } : {}),
        });
        toWrite.push({
          documentId: document.documentId,
          kind: document.kind,
          title: document.title,
          contentHash,
          source: file.relativePath,
          sourcePath: file.path,
          chunks: chunks.map((chunk, chunkIndex) => ({ ...chunk, vector: vectors[chunkIndex]! })),
        });
        if (before) updated++;
        else added++;
      }
      if (toWrite.length === 0 && documents.length > 0 && unchanged === 0) {
        throw new IngestError('empty', 'no text to index');
      }
      for (let start = 0; start < toWrite.length; start += UPSERT_BATCH) {
        await store.upsertDocuments(collection, toWrite.slice(start, start + UPSERT_BATCH));
      }
      const vanished = (options.documents ? [] : (previousBySource.get(file.path) ?? []))
        .map((record) => record.documentId)
        .filter((documentId) => !seen.has(documentId));
      const removed = vanished.length > 0 ? await store.deleteDocuments(collection, vanished) : 0;
      for (const documentId of seen) producedBy.set(documentId, file.relativePath);

      summary.added += added;
      summary.updated += updated;
      summary.unchanged += unchanged;
      summary.removed += removed;
      summary.chunks += toWrite.reduce((total, document) => total + document.chunks.length, 0);
      options.onProgress?.({
        type: 'file',
        index,
        total: files.length,
        file: file.relativePath,
        documents: documents.length,
        added,
        updated,
        unchanged,
        removed,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = describe(error);
      summary.failed.push({ file: file.relativePath, reason });
      options.onProgress?.({ type: 'failed', index, total: files.length, file: file.relativePath, reason });
    }
  }

  if (options.prune) {
    const present = new Set(files.map((file) => file.path));
    const gone = [...previous.values()]
      .filter(
        (record) =>
          roots.some((root) => isInside(record.sourcePath, root)) && !present.has(record.sourcePath),
      )
      .map((record) => record.documentId);
    if (gone.length > 0) {
      const removed = await store.deleteDocuments(collection, gone);
      summary.removed += removed;
      options.onProgress?.({ type: 'pruned', removed });
    }
  }

  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

async function findFiles(root: string): Promise<FoundFile[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch {
    throw new IngestError('unreadable', 'no such file or folder');
  }
  if (info.isFile()) return [{ path: root, relativePath: path.basename(root) }];
  const found: FoundFile[] = [];
  const walk = async (directory: string) => {
    const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile())
        found.push({ path: full, relativePath: path.relative(root, full).split(path.sep).join('/') });
    }
  };
  await walk(root);
  return found;
}

/** A file named relative to a folder, as a walk of that folder would have found it. */
async function namedFile(root: string, relativePath: string): Promise<FoundFile> {
  const full = path.resolve(root, relativePath);
  if (!isInside(full, root) || full === root) {
    throw new IngestError('invalid', 'the path leaves the folder it is relative to');
  }
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) throw new IngestError('unreadable', 'no such file');
  return { path: full, relativePath: path.relative(root, full).split(path.sep).join('/') };
}

async function loadFile(
  file: FoundFile,
  loaders: readonly Loader[],
  maxFileBytes: number,
): Promise<SourceDocument[]> {
  const extension = path.extname(file.path).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.has(extension)) {
    throw new IngestError(
      'unsupported',
      `unsupported file type "${extension || '(none)'}" (supported: ${[...SUPPORTED_EXTENSIONS].sort().join(' ')})`,
    );
  }
  const info = await stat(file.path);
  if (info.size > maxFileBytes) {
    throw new IngestError(
      'oversized',
      `file is ${(info.size / 1024 / 1024).toFixed(1)} MB, the limit is ${(maxFileBytes / 1024 / 1024).toFixed(0)} MB (NAPARNIK_MAX_FILE_MB)`,
    );
  }
  if (info.size === 0) throw new IngestError('empty', 'file is empty');
  const bytes = new Uint8Array(await readFile(file.path));
  return loadKnowledgeFile({ path: file.path, relativePath: file.relativePath, bytes }, loaders);
}

/**
 * The documents of one file's bytes, read by the loader that takes it: what ingest stores, or an
 * `IngestError` naming the line or field that is wrong. The console checks an edit with it
 * before anything is written, so an edit is checked by the very parsers ingest uses.
 */
export async function loadKnowledgeFile(
  input: LoaderInput,
  loaders: readonly Loader[] = LOADERS,
): Promise<SourceDocument[]> {
  const extension = path.extname(input.path).toLowerCase();
  const loader = findLoader(input, loaders);
  if (!loader) throw new IngestError('unsupported', `no loader accepts this ${extension || '(none)'} file`);
  const documents = await loader.load(input);
  if (documents.length === 0) throw new IngestError('empty', 'no documents found in the file');
  return documents;
}

/** The documents `wanted` names, each of which the file must hold. */
function pickDocuments(documents: SourceDocument[], wanted: readonly string[] | undefined): SourceDocument[] {
  if (!wanted) return documents;
  const ids = new Set(documents.map((document) => document.documentId));
  const missing = wanted.filter((documentId) => !ids.has(documentId));
  if (missing.length > 0) {
    throw new IngestError('invalid', `the file holds no document "${missing.join('", "')}"`);
  }
  return documents.filter((document) => wanted.includes(document.documentId));
}

/** Every chunk of a flagged document carries the verdict, so whoever reads a chunk sees it. */
function withSafety(chunks: Chunk[], verdict: KnowledgeSafety | undefined): Chunk[] {
  if (!verdict) return chunks;
  return chunks.map((chunk) => ({ ...chunk, metadata: { ...chunk.metadata, safety: verdict } }));
}

/** What the embedder sees of a chunk: its heading path, title and text. */
export function embeddingText(chunk: Chunk): string {
  const heading = [...new Set([...chunk.titlePath, chunk.title])].join(' / ');
  return heading && !chunk.text.startsWith(chunk.title) ? `${heading}\n${chunk.text}` : chunk.text;
}

function hashDocument(document: SourceDocument, source: string, embedderId: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ chunking: CHUNKING_VERSION, embedderId, source, document }))
    .digest('hex');
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function describe(error: unknown): string {
  if (error instanceof IngestError) return error.message;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}
