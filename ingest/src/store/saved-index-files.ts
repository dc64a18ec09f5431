import { readdirSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SavedIndexes } from './knowledge-store.ts';

/**
 * The embedded store's saved indexes: one file per collection and name in `<data dir>/indexes/`,
 * named by the collection's row id (a collection dropped and created again has a new id, so it
 * never meets the old one's files). A save writes a temporary file, flushes it to disk and renames
 * it over the previous one, so a reader sees the old bytes or the new, never half; two processes
 * saving at once leave one of the two whole files.
 */
export interface SavedIndexFiles extends SavedIndexes {
  /** Runs the saves asked for and waits for every write in flight. */
  flush(): Promise<void>;
  /** Deletes a dropped collection's files. */
  forget(collectionId: number): void;
}

export function createSavedIndexFiles(options: {
  directory: string;
  /** The collection's row id, or undefined when it does not exist (any more). */
  collectionId: (collection: string) => number | undefined;
}): SavedIndexFiles {
  const { directory } = options;
  const fileOf = (collectionId: number, name: string) => path.join(directory, `${collectionId}.${name}`);
  const pending = new Map<
    string,
    { collection: string; collectionId: number; name: string; encode: () => readonly Uint8Array[] }
  >();
  const writing = new Set<Promise<void>>();
  let temporaries = 0;

  const write = async (file: string, pieces: readonly Uint8Array[]) => {
    const temporary = `${file}.${process.pid}-${++temporaries}.tmp`;
    try {
      const handle = await open(temporary, 'w');
      try {
        for (const piece of pieces) {
          let written = 0;
          while (written < piece.byteLength)
            written += (await handle.write(piece, written, piece.byteLength - written)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch {
      // Best effort (disk full, directory gone): the previous file, if any, is left as it was.
      await rm(temporary, { force: true });
    }
  };

  const runPending = () => {
    for (const [key, save] of pending) {
      pending.delete(key);
      // Dropped, or dropped and created again, since the save was asked for.
      if (options.collectionId(save.collection) !== save.collectionId) continue;
      let pieces: readonly Uint8Array[];
      try {
        pieces = save.encode();
      } catch {
        continue;
      }
      const promise = (async () => {
        await mkdir(directory, { recursive: true });
        await write(fileOf(save.collectionId, save.name), pieces);
      })();
      writing.add(promise);
      void promise.finally(() => writing.delete(promise));
    }
  };

  return {
    async read(collection, name) {
      const collectionId = options.collectionId(collection);
      if (collectionId === undefined) return undefined;
      try {
        return await readFile(fileOf(collectionId, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    save(collection, name, encode) {
      const collectionId = options.collectionId(collection);
      if (collectionId === undefined) return;
      if (pending.size === 0) setImmediate(runPending);
      pending.set(`${collectionId}.${name}`, { collection, collectionId, name, encode });
    },
    async flush() {
      runPending();
      await Promise.all(writing);
    },
    forget(collectionId) {
      for (const key of pending.keys()) if (key.startsWith(`${collectionId}.`)) pending.delete(key);
      let names: string[];
      try {
        names = readdirSync(directory);
      } catch {
        return;
      }
      for (const file of names)
        if (file.startsWith(`${collectionId}.`)) rmSync(path.join(directory, file), { force: true });
    },
  };
}
