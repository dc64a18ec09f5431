import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestSummary } from '@naparnik/ingest';
import type { DocumentRecord } from '@naparnik/ingest/store';
import type { IngestFileResult } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { type KnowledgeBaseLike, requireCollection } from '../retrieval/knowledge-base.ts';

/**
 * Files uploaded through the console, kept on disk under `<dataDir>/uploads/<tenant>/<collection>/`
 * at the path they were dropped with: the store records where each document came from, and a
 * re-ingest reads the file again from there, exactly as the CLI's re-ingest reads its folder.
 *
 * One file at a time per service: an upload writes the file, ingests it, and puts the previous
 * bytes back (or removes the file) when the ingest refused it, so neither the folder nor the store
 * is ever left half-written; serialising keeps two uploads of one path from interleaving.
 */
export interface KnowledgeFiles {
  upload(
    knowledge: KnowledgeBaseLike,
    collection: string,
    relativePath: string,
    bytes: Uint8Array,
  ): Promise<IngestFileResult>;
  reingest(knowledge: KnowledgeBaseLike, collection: string, documentId: string): Promise<IngestFileResult>;
  /** Removes the document; its uploaded file goes too when no other stored document came from it. */
  remove(
    knowledge: KnowledgeBaseLike,
    collection: string,
    documentId: string,
  ): Promise<{ fileRemoved: boolean }>;
}

export function createKnowledgeFiles(options: { uploadsDir: string }): KnowledgeFiles {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
  const folderOf = (collection: string) => {
    // The collection name allows dots; a name of dots alone would leave the uploads folder.
    if (/^\.+$/u.test(collection)) {
      throw new ServiceError(
        'invalid-request',
        `Files cannot be uploaded into a collection named "${collection}".`,
      );
    }
    return path.join(options.uploadsDir, collection);
  };

  return {
    upload: (knowledge, collection, relativePath, bytes) =>
      serial(async () => {
        requireIngest(knowledge);
        const folder = folderOf(collection);
        const file = path.join(folder, ...relativePath.split('/'));
        const existed = (await knowledge.store.getCollection(collection)) !== undefined;
        const undo = async () => {
          await restore(file, previous, folder);
          // A first upload that failed leaves no empty collection behind.
          if (!existed) await knowledge.store.dropCollection(collection);
        };
        const previous = await readFile(file).catch(() => undefined);
        await mkdir(path.dirname(file), { recursive: true });
        await writeAtomically(file, bytes);
        let summary: IngestSummary;
        try {
          summary = await ingest(knowledge, [folder], { collection, only: [relativePath] });
        } catch (error) {
          await undo();
          throw error;
        }
        const failure = summary.failed[0];
        if (failure) {
          await undo();
          throw new ServiceError(
            'invalid-request',
            `${relativePath}: ${failure.reason}. Nothing was changed.`,
          );
        }
        return resultOf(knowledge, collection, relativePath, file, summary);
      }),

    reingest: (knowledge, collection, documentId) =>
      serial(async () => {
        requireIngest(knowledge);
        const record = await findDocument(knowledge, collection, documentId);
        const { root, relativePath } = rootOf(record);
        const present = await stat(record.sourcePath).catch(() => undefined);
        if (!present?.isFile()) {
          throw new ServiceError(
            'not-found',
            `The file "${record.source}" that "${documentId}" came from is no longer on disk; upload it again.`,
          );
        }
        const summary = await ingest(knowledge, [root], { collection, only: [relativePath] });
        const failure = summary.failed[0];
        if (failure) {
          throw new ServiceError(
            'invalid-request',
            `${record.source}: ${failure.reason}. What was stored is unchanged.`,
          );
        }
        return resultOf(knowledge, collection, relativePath, record.sourcePath, summary);
      }),

    remove: (knowledge, collection, documentId) =>
      serial(async () => {
        const record = await findDocument(knowledge, collection, documentId);
        await knowledge.store.deleteDocuments(collection, [documentId]);
        const folder = folderOf(collection);
        if (!isInside(record.sourcePath, folder)) return { fileRemoved: false };
        const others = (await knowledge.store.listDocuments(collection)).some(
          (other) => other.sourcePath === record.sourcePath,
        );
        if (others) return { fileRemoved: false };
        await rm(record.sourcePath, { force: true });
        await removeEmptyFolders(path.dirname(record.sourcePath), folder);
        return { fileRemoved: true };
      }),
  };
}

function requireIngest(knowledge: KnowledgeBaseLike): NonNullable<KnowledgeBaseLike['ingest']> {
  const ingest = knowledge.ingest;
  if (!ingest) throw new ServiceError('not-ready', 'This service cannot ingest files.');
  return ingest;
}

async function ingest(
  knowledge: KnowledgeBaseLike,
  paths: string[],
  options: { collection: string; only: string[] },
): Promise<IngestSummary> {
  return requireIngest(knowledge).call(knowledge, paths, options);
}

async function findDocument(
  knowledge: KnowledgeBaseLike,
  collection: string,
  documentId: string,
): Promise<DocumentRecord> {
  await requireCollection(knowledge, collection);
  const record = (await knowledge.store.listDocuments(collection)).find(
    (candidate) => candidate.documentId === documentId,
  );
  if (!record)
    throw new ServiceError('not-found', `Collection "${collection}" has no document "${documentId}".`);
  return record;
}

/**
 * The folder a document's file was ingested from and its path under it: `source` is the path
 * relative to that folder, `sourcePath` the absolute one, so the folder is what precedes `source`.
 */
function rootOf(record: DocumentRecord): { root: string; relativePath: string } {
  const relative = record.source.split('/').join(path.sep);
  if (record.sourcePath.endsWith(`${path.sep}${relative}`)) {
    return { root: record.sourcePath.slice(0, -relative.length - 1), relativePath: record.source };
  }
  return { root: path.dirname(record.sourcePath), relativePath: path.basename(record.sourcePath) };
}

async function resultOf(
  knowledge: KnowledgeBaseLike,
  collection: string,
  relativePath: string,
  file: string,
  summary: IngestSummary,
): Promise<IngestFileResult> {
  const documents = (await knowledge.store.listDocuments(collection))
    .filter((record) => record.sourcePath === file)
    .sort((left, right) => left.documentId.localeCompare(right.documentId))
    .map(({ documentId, title, kind, source }) => ({ documentId, title, kind, source }));
  return {
    collection,
    file: relativePath,
    added: summary.added,
    updated: summary.updated,
    unchanged: summary.unchanged,
    removed: summary.removed,
    chunks: summary.chunks,
    documents,
    warnings: summary.warnings.map(({ documentId, message }) => ({ documentId, message })),
  };
}

/** Writes beside the target under a hidden name (ingest's walk skips those), then renames over it. */
export async function writeAtomically(file: string, bytes: string | Uint8Array): Promise<void> {
  const staging = path.join(path.dirname(file), `.upload-${randomUUID()}`);
  try {
    await writeFile(staging, bytes);
    await rename(staging, file);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
}

async function restore(file: string, previous: Buffer | undefined, folder: string): Promise<void> {
  if (previous) {
    await writeAtomically(file, previous);
    return;
  }
  await rm(file, { force: true });
  await removeEmptyFolders(path.dirname(file), folder);
}

/** Removes `directory` and its parents while they are empty, up to (not including) `stop`. */
async function removeEmptyFolders(directory: string, stop: string): Promise<void> {
  let current = directory;
  while (isInside(current, stop) && current !== stop) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
