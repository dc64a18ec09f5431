import {
  errorBodySchema,
  type IngestFileResult,
  ingestFileResultSchema,
} from '@naparnik/assist-service/contract';
import { ApiError, csrfHeaders } from './api.ts';

/** A file to upload and where it goes in the collection (a dropped folder keeps its layout). */
export interface UploadItem {
  file: File;
  path: string;
}

/**
 * Sends one file as its raw bytes (`PUT /v1/collections/{c}/files?path=…`). XMLHttpRequest, not
 * fetch: only it reports how much of the body has gone out, which is the per-file progress bar.
 */
export function uploadFile(
  collection: string,
  item: UploadItem,
  onProgress: (fraction: number) => void,
): Promise<IngestFileResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(
      'PUT',
      `/v1/collections/${encodeURIComponent(collection)}/files?${new URLSearchParams({ path: item.path })}`,
    );
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.setRequestHeader('accept', 'application/json');
    // Same origin, so the session cookie goes along; a write made with it carries the CSRF token.
    request.withCredentials = true;
    for (const [name, value] of Object.entries(csrfHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) {
        const parsed = ingestFileResultSchema.safeParse(body);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError(request.status, 'unknown', 'unexpected answer'));
        return;
      }
      const error = errorBodySchema.safeParse(body);
      reject(
        error.success
          ? new ApiError(request.status, error.data.error.code, error.data.error.message)
          : new ApiError(request.status, 'unknown', `HTTP ${request.status}`),
      );
    };
    request.send(item.file);
  });
}

/** Hidden files and folders are left out, as the CLI's walk of a folder leaves them out. */
function hidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

/**
 * A path inside a chosen or dropped folder, without the folder's own name: dropping `kb/` uploads
 * `faq.csv` and `articles/care.md`, the paths `pnpm ingest kb/` gives the same files.
 */
export function pathInFolder(relativePath: string): string {
  const parts = relativePath.replace(/^\/+/u, '').split('/');
  return parts.length > 1 ? parts.slice(1).join('/') : parts.join('/');
}

/** Files chosen with a file or folder input. */
export function itemsFromFiles(files: Iterable<File>): UploadItem[] {
  const items: UploadItem[] = [];
  for (const file of files) {
    const path = file.webkitRelativePath ? pathInFolder(file.webkitRelativePath) : file.name;
    if (!hidden(path)) items.push({ file, path });
  }
  return items;
}

/** Everything dropped: files as they are, folders walked (the browser's entries API). */
export async function itemsFromDrop(transfer: DataTransfer): Promise<UploadItem[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  const items = itemsFromFiles(loose);
  for (const entry of entries) {
    if (entry.isFile) {
      const file = await fileOf(entry as FileSystemFileEntry);
      if (!hidden(file.name)) items.push({ file, path: file.name });
    } else {
      for (const found of await walk(entry as FileSystemDirectoryEntry)) {
        const path = pathInFolder(found.entry.fullPath);
        if (!hidden(path)) items.push({ file: found.file, path });
      }
    }
  }
  return items;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(directory: FileSystemDirectoryEntry): Promise<{ entry: FileSystemEntry; file: File }[]> {
  const reader = directory.createReader();
  const found: { entry: FileSystemEntry; file: File }[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const entry of batch) {
      if (entry.isFile) found.push({ entry, file: await fileOf(entry as FileSystemFileEntry) });
      else found.push(...(await walk(entry as FileSystemDirectoryEntry)));
    }
  }
  return found;
}
