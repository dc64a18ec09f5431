import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFile {
  file: string;
  rawBytes: number;
  gzipBytes: number;
}

/** The content script's files (JavaScript and CSS) as shipped, raw and gzip-compressed (level 9). */
export function contentScriptSizes(buildDir: string): BundleFile[] {
  const folder = path.join(buildDir, 'content-scripts');
  return readdirSync(folder)
    .sort()
    .map((file) => {
      const bytes = readFileSync(path.join(folder, file));
      return {
        file: `content-scripts/${file}`,
        rawBytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      };
    });
}
