import type { KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { extensionId, publicKeyDer, writeCrx3 } from './crx3.ts';
import { writeZip, type ZipEntry } from './zip.ts';

export const ZIP_NAME = 'naparnik-extension.zip';
export const CRX_NAME = 'naparnik.crx';
export const UPDATE_MANIFEST_NAME = 'update.xml';

/** What the built extension's manifest must say for the service to package it. */
const builtManifestSchema = z.looseObject({
  manifest_version: z.literal(3),
  name: z.string(),
  version: z.string().regex(/^\d+(\.\d+){0,3}$/),
});

export interface ExtensionPackage {
  id: string;
  version: string;
  name: string;
  /** For "Load unpacked": manifest.json at the root, with the public key so the id is the same. */
  zip: Buffer;
  /** Signed, for ExtensionInstallForcelist; its manifest's update_url points back at this service. */
  crx: Buffer;
  updateManifest: string;
}

export class ExtensionNotBuiltError extends Error {
  readonly code = 'extension-not-built';
}

function listFiles(root: string, folder = ''): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listFiles(root, relative);
      return entry.isFile() ? [relative] : [];
    })
    .sort();
}

/** Changes when any file of the build does: names, sizes and modification times. */
export function buildFingerprint(directory: string): string | undefined {
  if (!existsSync(path.join(directory, 'manifest.json'))) return undefined;
  return listFiles(directory)
    .map((file) => {
      const stats = statSync(path.join(directory, file));
      return `${file}:${stats.size}:${stats.mtimeMs}`;
    })
    .join('|');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Packages the built extension (`wxt build` → `.output/chrome-mv3`) for a team: a ZIP for
 * "Load unpacked" and a CRX3 signed with `key`, whose update manifest lives at `updateUrl`.
 */
export function packageExtension(options: {
  directory: string;
  key: KeyObject;
  /** Absolute URL of update.xml as browsers reach it. */
  updateUrl: string;
  /** Absolute URL of the CRX as browsers reach it. */
  crxUrl: string;
}): ExtensionPackage {
  const manifestFile = path.join(options.directory, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new ExtensionNotBuiltError(`${manifestFile} is missing: the extension is not built`);
  }
  const raw = JSON.parse(readFileSync(manifestFile, 'utf8')) as unknown;
  const parsed = builtManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ExtensionNotBuiltError(`${manifestFile} is not a Manifest V3 extension manifest`);
  }
  const manifest = parsed.data;
  const files: ZipEntry[] = listFiles(options.directory)
    .filter((file) => file !== 'manifest.json')
    .map((file) => ({ name: file, data: readFileSync(path.join(options.directory, file)) }));
  const withManifest = (extra: Record<string, unknown>): ZipEntry[] => [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify({ ...manifest, ...extra }, null, 2)}\n`) },
    ...files,
  ];
  // Unpacked: the manifest's `key` gives the unpacked copy the CRX's id (the one CORS and policy name).
  const zip = writeZip(withManifest({ key: publicKeyDer(options.key).toString('base64') }));
  // Chromium takes later updates from the installed manifest's update_url, not from the policy.
  const crx = writeCrx3(writeZip(withManifest({ update_url: options.updateUrl })), options.key);
  const id = extensionId(options.key);
  const updateManifest = [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${id}'>`,
    `    <updatecheck codebase='${escapeXml(options.crxUrl)}' version='${escapeXml(manifest.version)}' />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
  return { id, version: manifest.version, name: manifest.name, zip, crx, updateManifest };
}
