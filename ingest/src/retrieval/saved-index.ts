import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { Chunk } from '../model.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import {
  type CollectionIndex,
  type CollectionIndexParts,
  type CollectionIndexSettings,
  collectionIndexParts,
  createCollectionIndexBuilder,
  type DocumentRows,
  restoreCollectionIndex,
  settingsKeyOf,
} from './collection-index.ts';
import { FIELD_NAMES } from './fields.ts';
import { type NgramRows, type NgramRowsParts, ngramRowsParts, restoreNgramRows } from './ngram-rows.ts';
import type { Counts, Ids } from './number-list.ts';

/**
 * A collection index as bytes, so that a restarted process starts from the index it had instead of
 * analysing every chunk again (minutes at 100k chunks on a loaded machine). The store keeps the
 * bytes (`KnowledgeStore.savedIndexes`); the retriever checks them before it uses them:
 *
 * - a checksum (CRC-32) over everything after the header: a file cut short, padded or with a byte
 *   changed is refused;
 * - the format number and an analysis fingerprint (the index of a probe chunk, hashed): an index
 *   saved by code that stems, counts or weighs differently is refused, not merely one of another
 *   layout;
 * - the settings it was built with;
 * - every array's length, every offset's order and every id's range, so that nothing read from the
 *   file can index outside the arrays even when the checksum happens to match;
 * - then, as for an index held in memory, the stamp (content hash and update time) of every
 *   document: those written since are read again, those deleted are dropped, and when nothing
 *   changed the saved index is used as it is (retriever.ts).
 *
 * Layout: the 8-byte magic, format (u32), CRC-32 of the rest (u32), the metadata's length (u32),
 * 4 zero bytes, the metadata (JSON: strings and the list of arrays), then each typed array, every
 * one starting on an 8-byte boundary so that it is read in place.
 */
export const SAVED_INDEX_NAME = 'collection-index';
const FORMAT = 1;
const MAGIC = 'NPCIDX\u0000\u0001';
const HEADER_BYTES = 24;

export type SavedIndexProblem =
  | 'not-an-index'
  | 'other-format'
  | 'checksum'
  | 'other-analysis'
  | 'other-settings'
  | 'inconsistent';

export class SavedIndexError extends Error {
  readonly code: SavedIndexProblem;
  constructor(code: SavedIndexProblem, message: string) {
    super(`saved collection index: ${message}`);
    this.code = code;
  }
}

type ArrayKind = 'i32' | 'u8' | 'u16' | 'f64';
type NumberArray = Int32Array | Uint8Array | Uint16Array | Float64Array;

const SECTION_NAMES = [
  'offsets',
  'terms',
  'counts',
  'lengths',
  'frequencies',
  'titles.offsets',
  'titles.grams',
  'titles.counts',
  'titles.frequencies',
  'titles.norms',
  'bodies.offsets',
  'bodies.grams',
  'bodies.counts',
  'bodies.frequencies',
  'bodies.norms',
] as const;

const isString = (value: unknown): value is string => typeof value === 'string';
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
/**
 * The large lists are checked in place (`z.custom`), not rebuilt as `z.array` would: at 500k
 * chunks they hold millions of strings, and a copy of each was ~0.3 GB of a restarted replica's
 * peak memory.
 */
const strings = z.custom<string[]>(isStrings, 'a list of strings');
type DocumentEntry = [string, string, number, number, string[][]];
const documentEntries = z.custom<DocumentEntry[]>(
  (value) =>
    Array.isArray(value) &&
    value.every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 5 &&
        isString(entry[0]) &&
        isString(entry[1]) &&
        Number.isInteger(entry[2]) &&
        Number.isInteger(entry[3]) &&
        Array.isArray(entry[4]) &&
        entry[4].every(isStrings),
    ),
  'a list of [document id, stamp, first row, end row, glossary groups]',
);

const metadataSchema = z.object({
  fingerprint: z.string(),
  settingsKey: z.string(),
  /** [document id, stamp, first row, end row, glossary groups] in the store's order. */
  documents: documentEntries,
  chunkIds: strings,
  termsById: strings,
  titleGrams: strings,
  bodyGrams: strings.nullable(),
  sections: z.array(
    z.object({
      name: z.enum(SECTION_NAMES),
      kind: z.enum(['i32', 'u8', 'u16', 'f64']),
      length: z.number().int().nonnegative(),
    }),
  ),
});
type Metadata = z.infer<typeof metadataSchema>;

const BYTES: Record<ArrayKind, number> = { i32: 4, u8: 1, u16: 2, f64: 8 };
const kindOf = (array: NumberArray): ArrayKind =>
  array instanceof Int32Array
    ? 'i32'
    : array instanceof Uint8Array
      ? 'u8'
      : array instanceof Uint16Array
        ? 'u16'
        : 'f64';
const padding = (length: number) => (8 - (length % 8)) % 8;

/** The bytes of `index`, in pieces to write one after the other (the arrays are not copied). */
export function encodeCollectionIndex(index: CollectionIndex): Uint8Array[] {
  const parts = collectionIndexParts(index);
  if (!parts) throw new Error('saved collection index: not a finished collection index');
  const titles = rowsParts(parts.titles);
  const bodies = parts.bodies ? rowsParts(parts.bodies) : undefined;
  const arrays: Array<[Metadata['sections'][number]['name'], NumberArray]> = [
    ['offsets', parts.offsets],
    ['terms', parts.terms],
    ['counts', parts.counts],
    ['lengths', parts.lengths],
    ['frequencies', parts.frequencies],
    ...rowsSections('titles', titles),
    ...(bodies ? rowsSections('bodies', bodies) : []),
  ];
  const metadata: Metadata = {
    fingerprint: analysisFingerprint(JSON.parse(parts.settingsKey) as CollectionIndexSettings),
    settingsKey: parts.settingsKey,
    documents: [...parts.documents].map(([documentId, rows]) => [
      documentId,
      rows.stamp,
      rows.first,
      rows.end,
      rows.glossaryGroups,
    ]),
    chunkIds: [...parts.chunkIds],
    termsById: [...parts.termsById],
    titleGrams: [...titles.gramsById],
    bodyGrams: bodies ? [...bodies.gramsById] : null,
    sections: arrays.map(([name, array]) => ({ name, kind: kindOf(array), length: array.length })),
  };
  const metadataBytes = Buffer.from(JSON.stringify(metadata));
  const pieces: Uint8Array[] = [metadataBytes, new Uint8Array(padding(metadataBytes.length))];
  for (const [, array] of arrays) {
    pieces.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    pieces.push(new Uint8Array(padding(array.byteLength)));
  }
  let checksum = 0;
  for (const piece of pieces) checksum = crc32(piece, checksum);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT, 8);
  header.writeUInt32LE(checksum, 12);
  header.writeUInt32LE(metadataBytes.length, 16);
  return [header, ...pieces];
}

/**
 * The index these bytes hold, for a collection indexed with `settings`; throws `SavedIndexError`
 * when they are not one this code would build. Its arrays are views of `bytes` (not copied).
 */
export function decodeCollectionIndex(bytes: Uint8Array, settings: CollectionIndexSettings): CollectionIndex {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < HEADER_BYTES || view.toString('latin1', 0, 8) !== MAGIC)
    throw new SavedIndexError('not-an-index', 'not a saved collection index');
  if (view.readUInt32LE(8) !== FORMAT)
    throw new SavedIndexError('other-format', `format ${view.readUInt32LE(8)}, this code reads ${FORMAT}`);
  if (crc32(view.subarray(HEADER_BYTES)) !== view.readUInt32LE(12))
    throw new SavedIndexError('checksum', 'checksum does not match (the file is damaged or cut short)');
  const metadataLength = view.readUInt32LE(16);
  if (HEADER_BYTES + metadataLength > view.length)
    throw new SavedIndexError('inconsistent', 'metadata past the end');
  let metadata: Metadata;
  try {
    metadata = metadataSchema.parse(
      JSON.parse(view.toString('utf8', HEADER_BYTES, HEADER_BYTES + metadataLength)),
    );
  } catch (error) {
    throw new SavedIndexError(
      'inconsistent',
      `metadata unreadable (${(error as Error).message.slice(0, 200)})`,
    );
  }
  if (metadata.settingsKey !== settingsKeyOf(settings))
    throw new SavedIndexError('other-settings', 'built with other settings');
  if (metadata.fingerprint !== analysisFingerprint(settings))
    throw new SavedIndexError('other-analysis', 'built by code that analyses text differently');

  const arrays = new Map<string, NumberArray>();
  let offset = HEADER_BYTES + metadataLength + padding(metadataLength);
  for (const { name, kind, length } of metadata.sections) {
    const byteLength = length * BYTES[kind];
    if (offset + byteLength > view.length) throw new SavedIndexError('inconsistent', `${name} past the end`);
    const at = view.byteOffset + offset;
    arrays.set(
      name,
      kind === 'i32'
        ? new Int32Array(view.buffer, at, length)
        : kind === 'u8'
          ? new Uint8Array(view.buffer, at, length)
          : kind === 'u16'
            ? new Uint16Array(view.buffer, at, length)
            : new Float64Array(view.buffer, at, length),
    );
    offset += byteLength + padding(byteLength);
  }
  if (offset !== view.length) throw new SavedIndexError('inconsistent', 'bytes after the last array');
  const section = <T extends NumberArray>(name: string, type: new (...args: never[]) => T): T => {
    const array = arrays.get(name);
    if (!(array instanceof type))
      throw new SavedIndexError('inconsistent', `${name} missing or of another type`);
    return array;
  };
  const counts = (name: string): Counts => {
    const array = arrays.get(name);
    if (!(array instanceof Uint8Array || array instanceof Uint16Array))
      throw new SavedIndexError('inconsistent', `${name} missing or of another type`);
    return array;
  };
  const ids = (name: string): Ids => {
    const array = arrays.get(name);
    if (!(array instanceof Int32Array || array instanceof Uint16Array))
      throw new SavedIndexError('inconsistent', `${name} missing or of another type`);
    return array;
  };
  const rows = (prefix: 'titles' | 'bodies', gramsById: readonly string[]): NgramRows =>
    restoreNgramRows(
      checkedRows(prefix, metadata.chunkIds.length, {
        offsets: section(`${prefix}.offsets`, Int32Array),
        grams: ids(`${prefix}.grams`),
        counts: counts(`${prefix}.counts`),
        frequencies: section(`${prefix}.frequencies`, Int32Array),
        norms: section(`${prefix}.norms`, Float64Array),
        gramsById,
      }),
    );
  if ((metadata.bodyGrams !== null) !== settings.bodyNgrams)
    throw new SavedIndexError('other-settings', 'body n-grams saved for settings without them, or missing');
  const documents = new Map<string, DocumentRows>();
  let end = 0;
  for (const [documentId, stamp, first, last, glossaryGroups] of metadata.documents) {
    if (first !== end || last < first || documents.has(documentId))
      throw new SavedIndexError('inconsistent', 'documents do not cover the rows in order');
    documents.set(documentId, { stamp, first, end: last, glossaryGroups });
    end = last;
  }
  const parts: CollectionIndexParts = {
    settingsKey: metadata.settingsKey,
    documents,
    chunkIds: metadata.chunkIds,
    termsById: metadata.termsById,
    offsets: section('offsets', Int32Array),
    terms: ids('terms'),
    counts: counts('counts'),
    lengths: section('lengths', Int32Array),
    frequencies: section('frequencies', Int32Array),
    titles: rows('titles', metadata.titleGrams),
    bodies: metadata.bodyGrams ? rows('bodies', metadata.bodyGrams) : undefined,
  };
  if (end !== parts.chunkIds.length)
    throw new SavedIndexError('inconsistent', 'documents do not cover the rows');
  const size = parts.chunkIds.length;
  const fields = FIELD_NAMES.length;
  checkRows('rows', size, parts.offsets, parts.terms, parts.termsById.length);
  if (
    parts.counts.length !== parts.terms.length * fields ||
    parts.lengths.length !== size * fields ||
    parts.frequencies.length !== parts.termsById.length
  )
    throw new SavedIndexError('inconsistent', 'array lengths do not match');
  return restoreCollectionIndex(settings, parts);
}

function rowsParts(rows: NgramRows): NgramRowsParts {
  const parts = ngramRowsParts(rows);
  if (!parts) throw new Error('saved collection index: n-gram rows not finished');
  return parts;
}

function rowsSections(
  prefix: 'titles' | 'bodies',
  parts: NgramRowsParts,
): Array<[Metadata['sections'][number]['name'], NumberArray]> {
  return [
    [`${prefix}.offsets`, parts.offsets],
    [`${prefix}.grams`, parts.grams],
    [`${prefix}.counts`, parts.counts],
    [`${prefix}.frequencies`, parts.frequencies],
    [`${prefix}.norms`, parts.norms],
  ];
}

function checkedRows(name: string, size: number, parts: NgramRowsParts): NgramRowsParts {
  checkRows(name, size, parts.offsets, parts.grams, parts.gramsById.length);
  if (
    parts.counts.length !== parts.grams.length ||
    parts.norms.length !== size ||
    parts.frequencies.length !== parts.gramsById.length
  )
    throw new SavedIndexError('inconsistent', `${name}: array lengths do not match`);
  return parts;
}

/** Offsets from 0 to the entries' end, never decreasing; every id within the vocabulary. */
function checkRows(name: string, size: number, offsets: Int32Array, ids: Ids, vocabulary: number) {
  if (offsets.length !== size + 1 || offsets[0] !== 0 || offsets[size] !== ids.length)
    throw new SavedIndexError('inconsistent', `${name}: offsets do not span the entries`);
  for (let row = 0; row < size; row++)
    if (offsets[row + 1]! < offsets[row]!)
      throw new SavedIndexError('inconsistent', `${name}: offsets out of order`);
  for (let entry = 0; entry < ids.length; entry++) {
    const id = ids[entry]!;
    if (id < 0 || id >= vocabulary) throw new SavedIndexError('inconsistent', `${name}: id out of range`);
  }
}

/** A FAQ entry and a glossary group touching every path of the analysis: fields, stems, prefixes, n-grams. */
const PROBE: Chunk[] = [
  {
    chunkId: 'probe#0',
    documentId: 'probe',
    ordinal: 0,
    kind: 'faq',
    title: 'Как вернуть ЁЛКУ, купленную 12.01?',
    titlePath: ['Возврат и обмен', 'Сезонные товары'],
    text: 'Верните ёлку в течение 14 дней: заявление в личном кабинете, курьер заберёт её бесплатно. Refund via app™ — 𝓪𝓫 ok.',
    language: 'ru',
    tags: ['возврат', 'Новый год'],
    category: 'Доставка',
    source: 'probe.jsonl',
    metadata: { question: 'Как вернуть ёлку?', questions: ['Можно ли сдать искусственную ель обратно'] },
  },
  {
    chunkId: 'probe-glossary#0',
    documentId: 'probe-glossary',
    ordinal: 0,
    kind: 'glossary',
    title: 'ПВЗ',
    titlePath: [],
    text: 'ПВЗ, пункт выдачи',
    language: 'ru',
    tags: [],
    source: 'probe.yaml',
    metadata: { type: 'glossary-group', terms: ['ПВЗ', 'пункт выдачи'] },
  },
];

const fingerprints = new Map<string, string>();

/** A hash of the probe's index: it changes whenever the analysis would index text differently. */
export function analysisFingerprint(settings: CollectionIndexSettings): string {
  const key = settingsKeyOf(settings);
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    const builder = createCollectionIndexBuilder(settings);
    builder.addDocument('probe', '', PROBE);
    const parts = collectionIndexParts(builder.finish())!;
    const hash = createHash('sha256');
    hash.update(JSON.stringify([parts.termsById, parts.documents.get('probe')?.glossaryGroups]));
    const rowsOf = (rows: NgramRows | undefined) => {
      const of = rows ? ngramRowsParts(rows) : undefined;
      return of ? [of.gramsById, [...of.grams], [...of.counts], [...of.norms]] : null;
    };
    hash.update(
      JSON.stringify([
        [...parts.offsets],
        [...parts.terms],
        [...parts.counts],
        [...parts.lengths],
        [...parts.frequencies],
        rowsOf(parts.titles),
        rowsOf(parts.bodies),
      ]),
    );
    fingerprint = hash.digest('hex').slice(0, 32);
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

/**
 * The index saved with the store for this collection and these settings, when there is one this
 * code can use; undefined otherwise (none, damaged, or built by other code or settings: the caller
 * builds the index afresh and saves that one over it). Never rejects.
 */
export async function readSavedIndex(
  store: KnowledgeStore,
  collection: string,
  settings: CollectionIndexSettings,
): Promise<CollectionIndex | undefined> {
  if (!store.savedIndexes) return undefined;
  try {
    const bytes = await store.savedIndexes.read(collection, SAVED_INDEX_NAME);
    return bytes ? decodeCollectionIndex(bytes, settings) : undefined;
  } catch {
    return undefined;
  }
}

/** Asks the store to save the index (encoded on a later turn, after the search that built it). */
export function saveIndex(store: KnowledgeStore, collection: string, index: CollectionIndex): void {
  store.savedIndexes?.save(collection, SAVED_INDEX_NAME, () => encodeCollectionIndex(index));
}
