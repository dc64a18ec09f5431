import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestSummary } from '@naparnik/ingest';
import type { DocumentRecord } from '@naparnik/ingest/store';
import type { IngestFileResult } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { type KnowledgeBaseLike, requireCollection } from '../retrieval/knowledge-base.ts';
import { sha256Of, type UploadedFileStore } from './uploaded-files.ts';

/**
 * Files uploaded through the console, kept on disk under `<dataDir>/uploads/<tenant>/<collection>/`
 * at the path they were dropped with: the store records where each document came from, and a
 * re-ingest reads the file again from there, exactly as the CLI's re-ingest reads its folder.
 *
 * One file at a time per service: an upload writes the file, ingests it, and puts the previous
 * bytes back (or removes the file) when the ingest refused it, so neither the folder nor the store
 * is ever left half-written; serialising keeps two uploads of one path from interleaving.
 *
 * With replicas (`DATABASE_URL`) the bytes also go to the shared `uploaded_files` table
 * (uploaded-files.ts), and a replica brings its folder's copy up to date from there before it reads
 * a file: a re-ingest, an appended FAQ entry or a removal works on any replica, whichever took the
 * upload.
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
  /**
   * The path, under the collection's uploads, of the file a document came from when it was uploaded
   * through the console (by this replica or another); undefined for knowledge ingested otherwise.
   */
  uploadedPath(collection: string, record: DocumentRecord): string | undefined;
  /** An uploaded file's current bytes (the shared copy when there is one), or undefined. */
  read(collection: string, relativePath: string): Promise<Buffer | undefined>;
}

export function createKnowledgeFiles(options: {
  uploadsDir: string;
  /** The copy every replica shares; none in the embedded setup, where the folder is the store. */
  shared?: UploadedFileStore;
  now?: () => Date;
}): KnowledgeFiles {
  const { shared } = options;
  const now = () => (options.now ?? (() => new Date()))().toISOString();
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
  const fileOf = (collection: string, relativePath: string) =>
    path.join(folderOf(collection), ...relativePath.split('/'));
  /**
   * Brings this replica's copy of an uploaded file up to date with the shared one. A file only this
   * folder holds was uploaded before the shared copy existed (the embedded setup, or a service
   * before migration 5): it becomes the shared copy.
   */
  const materialize = async (collection: string, relativePath: string): Promise<void> => {
    if (!shared) return;
    const bytes = await shared.get(collection, relativePath);
    const file = fileOf(collection, relativePath);
    const local = await readFile(file).catch(() => undefined);
    if (!bytes) {
      if (local) await shared.put(collection, relativePath, local, now());
      return;
    }
    if (local && sha256Of(local) === sha256Of(bytes)) return;
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file, bytes);
  };
  const uploadedPath = (collection: string, record: DocumentRecord): string | undefined => {
    const folder = folderOf(collection);
    if (isInside(record.sourcePath, folder) && record.sourcePath !== folder) {
      return path.relative(folder, record.sourcePath).split(path.sep).join('/');
    }
    // Taken by another replica: the same tenant's folder and collection under its own data folder.
    const tail = path.join(path.basename(options.uploadsDir), collection, ...record.source.split('/'));
    return shared && record.sourcePath.endsWith(`${path.sep}${tail}`) ? record.source : undefined;
  };

  return {
    upload: (knowledge, collection, relativePath, bytes) =>
      serial(async () => {
        requireIngest(knowledge);
        const folder = folderOf(collection);
        const file = fileOf(collection, relativePath);
        const existed = (await knowledge.store.getCollection(collection)) !== undefined;
        const undo = async () => {
          await restore(file, previous, folder);
          if (shared) {
            if (previous) await shared.put(collection, relativePath, previous, now());
            else await shared.delete(collection, relativePath);
          }
          // A first upload that failed leaves no empty collection behind.
          if (!existed) await knowledge.store.dropCollection(collection);
        };
        await materialize(collection, relativePath);
        const previous = await readFile(file).catch(() => undefined);
        await mkdir(path.dirname(file), { recursive: true });
        await writeAtomically(file, bytes);
        try {
          await shared?.put(collection, relativePath, bytes, now());
        } catch (error) {
          await restore(file, previous, folder);
          throw error;
        }
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
        const uploaded = shared ? uploadedPath(collection, record) : undefined;
        if (uploaded) await materialize(collection, uploaded);
        const { root, relativePath } = uploaded
          ? { root: folderOf(collection), relativePath: uploaded }
          : rootOf(record);
        const sourcePath = uploaded ? fileOf(collection, uploaded) : record.sourcePath;
        const present = await stat(sourcePath).catch(() => undefined);
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
        return resultOf(knowledge, collection, relativePath, sourcePath, summary);
      }),

    remove: (knowledge, collection, documentId) =>
      serial(async () => {
        const record = await findDocument(knowledge, collection, documentId);
        await knowledge.store.deleteDocuments(collection, [documentId]);
        const folder = folderOf(collection);
        const uploaded = uploadedPath(collection, record);
        if (!uploaded) return { fileRemoved: false };
        const others = (await knowledge.store.listDocuments(collection)).some(
          (other) => uploadedPath(collection, other) === uploaded,
        );
        if (others) return { fileRemoved: false };
        await shared?.delete(collection, uploaded);
        const file = fileOf(collection, uploaded);
        await rm(file, { force: true });
        await removeEmptyFolders(path.dirname(file), folder);
        return { fileRemoved: true };
      }),

    uploadedPath,

    async read(collection, relativePath) {
      await materialize(collection, relativePath);
      return readFile(fileOf(collection, relativePath)).catch(() => undefined);
    },
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
