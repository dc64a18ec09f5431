import { createHash } from 'node:crypto';
import type { ServiceDatabase } from '../storage/postgres-database.ts';

/**
 * The console's uploaded knowledge files where every replica reads them (issue 14: no state only
 * one process knows). With `DATABASE_URL` the bytes of each upload live in PostgreSQL
 * (`uploaded_files`); each replica keeps a copy in its own `<dataDir>/uploads/<tenant>/` for the
 * ingest library, which reads files from a folder, and brings that copy up to date from here before
 * it reads one (knowledge-files.ts). In the embedded setup there is one process and the folder is
 * the store: no shared copy.
 */
export interface UploadedFileStore {
  get(collection: string, path: string): Promise<Uint8Array | undefined>;
  put(collection: string, path: string, bytes: Uint8Array, at: string): Promise<void>;
  delete(collection: string, path: string): Promise<void>;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function openPostgresUploadedFiles(options: {
  database: ServiceDatabase;
  tenant: string;
}): UploadedFileStore {
  const { database, tenant } = options;
  return {
    async get(collection, path) {
      const [row] = await database.rows<{ bytes: Uint8Array }>(
        'SELECT bytes FROM uploaded_files WHERE tenant = $1 AND collection = $2 AND path = $3',
        [tenant, collection, path],
      );
      return row ? new Uint8Array(row.bytes) : undefined;
    },
    async put(collection, path, bytes, at) {
      await database.run(
        `INSERT INTO uploaded_files (tenant, collection, path, bytes, sha256, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant, collection, path)
         DO UPDATE SET bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, updated_at = EXCLUDED.updated_at`,
        [tenant, collection, path, Buffer.from(bytes), sha256Of(bytes), at],
      );
    },
    async delete(collection, path) {
      await database.run('DELETE FROM uploaded_files WHERE tenant = $1 AND collection = $2 AND path = $3', [
        tenant,
        collection,
        path,
      ]);
    },
  };
}

/** Every tenant's shared uploads on one database, one store per tenant. */
export function uploadedFilesOn(database: ServiceDatabase): (tenant: string) => UploadedFileStore {
  return (tenant) => openPostgresUploadedFiles({ database, tenant });
}
