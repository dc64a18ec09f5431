import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { KnowledgeVersion } from '../contract/knowledge-edits.ts';
import type { Chunk } from '../retrieval/knowledge-base.ts';

/**
 * A document as one editable unit: the smallest complete knowledge file of its format
 * (ingest/FORMATS.md) that gives exactly that document. The editor shows this file, ingest's own
 * loaders check it (their line numbers are the editor's), and saving ingests it as the document's
 * new source. Rebuilt from the stored chunk's metadata, which holds the unit as it was parsed.
 */
export interface Unit {
  format: KnowledgeVersion['format'];
  content: string;
  editable: boolean;
}

/** What a unit is built from: the document's chunks and, for a routing rule, its file's departments. */
export interface UnitSource {
  documentId: string;
  kind: Chunk['kind'];
  chunks: readonly Chunk[];
  /** The chunks of the other documents of the same file (a routing rule's departments). */
  siblings: readonly Chunk[];
}

/** Metadata keys ingest adds that are not part of the knowledge file. */
const DERIVED_KEYS = new Set(['type', 'safety']);

export function unitOf(source: UnitSource): Unit {
  const chunk = source.chunks[0];
  const metadata = { ...(chunk?.metadata ?? {}) };
  if (chunk && source.chunks.length === 1) {
    if (source.kind === 'template' && metadata.type === 'template') return yamlUnit(templateFile(metadata));
    if (source.kind === 'script' && (metadata.type === 'script-step' || metadata.type === 'script-rules')) {
      return yamlUnit(scriptFile(source.documentId, chunk, metadata));
    }
    if (source.kind === 'routing' && metadata.type === 'routing-rule') {
      const file = routingFile(chunk, metadata, source.siblings);
      if (file) return yamlUnit(file);
    }
    if (
      source.kind === 'faq' &&
      typeof metadata.question === 'string' &&
      typeof metadata.answer === 'string'
    ) {
      return jsonUnit(faqRecord(source.documentId, chunk, metadata));
    }
  }
  // Articles, glossaries, department lists: kept as their text, changed by uploading their file.
  return {
    format: 'text',
    content: source.chunks.map((part) => part.text).join('\n\n'),
    editable: false,
  };
}

function yamlUnit(file: Record<string, unknown>): Unit {
  return { format: 'yaml', content: stringify(file, { lineWidth: 0 }), editable: true };
}

function jsonUnit(record: Record<string, unknown>): Unit {
  return { format: 'json', content: `${JSON.stringify(record, null, 2)}\n`, editable: true };
}

/** Drops ingest's own keys and empty defaults (`tags: []`, `slots: {}`) the file did not need. */
function cleaned(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).filter(
      ([key, value]) =>
        !DERIVED_KEYS.has(key) &&
        value !== undefined &&
        !(Array.isArray(value) && value.length === 0 && key !== 'preconditions') &&
        !(
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length === 0
        ),
    ),
  );
}

function templateFile(metadata: Record<string, unknown>): Record<string, unknown> {
  const item = cleaned(metadata);
  // Placeholders ingest listed as plain required slots need no declaration.
  const slots = item.slots as Record<string, Record<string, unknown>> | undefined;
  if (slots) {
    const declared = Object.fromEntries(
      Object.entries(slots).filter(
        ([, slot]) =>
          !(Object.keys(slot).length === 1 && slot.required === true) && Object.keys(slot).length > 0,
      ),
    );
    if (Object.keys(declared).length > 0) item.slots = declared;
    else delete item.slots;
  }
  return { naparnik: 'templates', version: 1, items: [item] };
}

function scriptFile(
  documentId: string,
  chunk: Chunk,
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  const fileId = documentId.slice(0, documentId.lastIndexOf('/'));
  const title = chunk.titlePath[0];
  const { address, language, rules, ...step } = cleaned(metadata);
  return {
    naparnik: 'scripts',
    version: 1,
    id: fileId,
    ...(title && title !== fileId ? { title } : {}),
    language,
    address,
    ...(metadata.type === 'script-step' ? { steps: [step] } : { rules }),
  };
}

function routingFile(
  chunk: Chunk,
  metadata: Record<string, unknown>,
  siblings: readonly Chunk[],
): Record<string, unknown> | undefined {
  const departments = siblings.find((sibling) => sibling.metadata?.type === 'departments');
  if (!departments) return undefined;
  const fileId = departments.documentId.replace(/\/departments$/u, '');
  const title = chunk.titlePath[0];
  return {
    naparnik: 'routing',
    version: 1,
    id: fileId,
    ...(title && title !== fileId ? { title } : {}),
    ...(chunk.language === 'en' ? { language: 'en' } : {}),
    departments: departments.metadata?.departments ?? [],
    rules: [cleaned(metadata)],
  };
}

function faqRecord(
  documentId: string,
  chunk: Chunk,
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  const tags = chunk.tags.filter((tag) => tag.toLowerCase() !== chunk.category?.toLowerCase());
  return {
    id: documentId,
    kind: 'faq',
    question: metadata.question,
    answer: metadata.answer,
    ...(typeof metadata.title === 'string' ? { title: metadata.title } : {}),
    ...(chunk.category ? { category: chunk.category } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    language: chunk.language,
    ...(typeof metadata.validFrom === 'string' ? { validFrom: metadata.validFrom } : {}),
    ...(typeof metadata.validUntil === 'string' ? { validUntil: metadata.validUntil } : {}),
  };
}

/**
 * The edit file a unit is ingested from, under the collection's edits folder: readable, one per
 * document, never hidden (ingest skips dot files), and distinct for ids that read alike.
 */
export function editFileName(documentId: string, format: 'yaml' | 'json'): string {
  const readable = documentId
    .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
    .replace(/^\.+/u, '_')
    .slice(0, 100);
  const suffix =
    readable === documentId ? '' : `.${createHash('sha256').update(documentId).digest('hex').slice(0, 8)}`;
  return `console-edits/${readable}${suffix}.${format}`;
}
