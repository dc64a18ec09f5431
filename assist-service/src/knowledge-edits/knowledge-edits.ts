import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { IngestError, loadKnowledgeFile, type SourceDocument } from '@naparnik/ingest';
import type { DocumentRecord } from '@naparnik/ingest/store';
import { writeAtomically } from '../console/knowledge-files.ts';
import type { IngestFileResult } from '../contract/console.ts';
import type {
  Actor,
  DocumentEdit,
  KnowledgeVersion,
  ReviewQueueResponse,
  SaveContentResponse,
  ValidateContentResponse,
  VersionSource,
} from '../contract/knowledge-edits.ts';
import { ServiceError } from '../errors.ts';
import { type Chunk, type KnowledgeBaseLike, requireCollection } from '../retrieval/knowledge-base.ts';
import { editFileName, type Unit, unitOf } from './unit-content.ts';
import type { DocumentKey, KnowledgeVersionStore, StoredVersion } from './version-store.ts';

/** The `naparnik:` marker of each YAML unit's file (ingest/FORMATS.md). */
const MARKERS: Partial<Record<DocumentRecord['kind'], string>> = {
  template: 'templates',
  script: 'scripts',
  routing: 'routing',
};

export interface KnowledgeEditsOptions {
  versions: KnowledgeVersionStore;
  /** `<dataDir>/knowledge-edits`: each tenant's and collection's edit files under it. */
  editsDir: string;
  now: () => Date;
}

/** Where a change came from, for its version: who (from the auth context) and which file. */
export interface Provenance {
  author: Actor | null;
  source: VersionSource;
  sourceFile: string;
  note?: string;
  rollbackOf?: number;
}

/**
 * Edits in place, versions, rollback and review of knowledge documents (issue 12; provenance and
 * review from issue 13). An edit is the document's unit as a knowledge file (`unit-content.ts`):
 * checked by ingest's loaders, written to the collection's edit folder and ingested through the
 * knowledge base's own ingest, naming that one document. One change at a time per service, as
 * uploads are: a failed ingest puts the edit file back and leaves the store as it was.
 */
export function createKnowledgeEdits(options: KnowledgeEditsOptions) {
  const { versions } = options;
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
  const at = () => options.now().toISOString();

  async function findDocument(knowledge: KnowledgeBaseLike, key: DocumentKey): Promise<DocumentRecord> {
    await requireCollection(knowledge, key.collection);
    const record = (await knowledge.store.listDocuments(key.collection)).find(
      (candidate) => candidate.documentId === key.documentId,
    );
    if (!record) {
      throw new ServiceError(
        'not-found',
        `Collection "${key.collection}" has no document "${key.documentId}".`,
      );
    }
    return record;
  }

  /** The document as stored now, as its editable unit. */
  async function storedUnit(
    knowledge: KnowledgeBaseLike,
    key: DocumentKey,
    record: DocumentRecord,
  ): Promise<Unit> {
    const chunks = await knowledge.store.listChunks(key.collection, { documentIds: [key.documentId] });
    let siblings: typeof chunks = [];
    if (record.kind === 'routing') {
      const others = (await knowledge.store.listDocuments(key.collection))
        .filter((other) => other.sourcePath === record.sourcePath && other.documentId !== key.documentId)
        .map((other) => other.documentId);
      siblings =
        others.length > 0 ? await knowledge.store.listChunks(key.collection, { documentIds: others }) : [];
    }
    return unitOf({ documentId: key.documentId, kind: record.kind, chunks, siblings });
  }

  /**
   * The served version of what is stored now. A document changed outside the console (the CLI,
   * or a version recorded before) gets a version here, from its stored content: the history then
   * holds every state that was served, whoever changed it.
   */
  async function servedVersion(
    knowledge: KnowledgeBaseLike,
    key: DocumentKey,
    provenance?: Omit<Provenance, 'sourceFile'>,
  ): Promise<{ record: DocumentRecord; served: StoredVersion }> {
    const record = await findDocument(knowledge, key);
    const served = (await versions.list(key)).find((version) => version.status === 'served');
    if (served && served.contentHash === record.contentHash) return { record, served };
    const unit = await storedUnit(knowledge, key, record);
    const added = await versions.add(key, {
      collection: key.collection,
      documentId: key.documentId,
      kind: record.kind,
      ...unit,
      author: provenance?.author ?? null,
      createdAt: record.updatedAt,
      source: provenance?.source ?? 'file',
      sourceFile: record.source,
      status: 'pending',
      ...(provenance?.note ? { note: provenance.note } : {}),
    });
    await versions.markServed(key, added.version, record.contentHash);
    return { record, served: { ...added, status: 'served', contentHash: record.contentHash } };
  }

  /** The unit's documents as ingest's loaders read them; an `IngestError` says what is wrong. */
  async function check(record: DocumentRecord, unit: Pick<Unit, 'format'>, content: string) {
    if (unit.format === 'text') {
      throw new ServiceError(
        'invalid-request',
        `"${record.documentId}" is a ${record.kind}: change it by uploading its file again.`,
      );
    }
    const fileName = editFileName(record.documentId, unit.format);
    const documents = await loadKnowledgeFile({
      path: path.join(options.editsDir, fileName),
      relativePath: fileName,
      bytes: new TextEncoder().encode(content),
    }).catch((error: unknown) => {
      // Without its marker a YAML unit is no Naparnik file at all: say which line it needs.
      const marker = MARKERS[record.kind];
      if (error instanceof IngestError && error.code === 'unsupported' && marker) {
        throw new IngestError(
          'invalid',
          `line 1: a ${record.kind} is written as a "naparnik: ${marker}" file; keep that first line`,
        );
      }
      throw error;
    });
    const document = documents.find((candidate) => candidate.documentId === record.documentId);
    if (!document) {
      const found = documents.map((candidate) => `"${candidate.documentId}"`).join(', ');
      throw new IngestError(
        'invalid',
        `the id must stay "${record.documentId}" (the edit gives ${found}); a new entry is added by uploading a file`,
      );
    }
    if (document.kind !== record.kind) {
      throw new IngestError(
        'invalid',
        `the edit gives a ${document.kind}, but "${record.documentId}" is a ${record.kind}`,
      );
    }
    return { fileName, document };
  }

  async function validate(
    knowledge: KnowledgeBaseLike,
    key: DocumentKey,
    content: string,
  ): Promise<ValidateContentResponse> {
    const record = await findDocument(knowledge, key);
    const unit = await storedUnit(knowledge, key, record);
    try {
      const { document } = await check(record, unit, content);
      return { valid: true, warnings: document.warnings ?? [] };
    } catch (error) {
      if (error instanceof IngestError) return { valid: false, error: error.message, warnings: [] };
      throw error;
    }
  }

  async function checked(record: DocumentRecord, unit: Unit, content: string) {
    try {
      return await check(record, unit, content);
    } catch (error) {
      if (error instanceof IngestError) {
        throw new ServiceError('invalid-request', `${error.message}. Nothing was changed.`, {
          issues: [{ path: 'content', message: error.message }],
        });
      }
      throw error;
    }
  }

  /** Writes the edit file and ingests the one document from it; on failure everything is put back. */
  async function apply(
    knowledge: KnowledgeBaseLike,
    tenant: string,
    key: DocumentKey,
    version: StoredVersion,
  ) {
    const ingest = knowledge.ingest;
    if (!ingest) throw new ServiceError('not-ready', 'This service cannot ingest files.');
    if (version.format === 'text')
      throw new ServiceError('invalid-request', 'This version cannot be served again.');
    // The collection name allows dots; a name of dots alone would leave the tenant's edits folder.
    if (/^\.+$/u.test(key.collection)) {
      throw new ServiceError(
        'invalid-request',
        `Documents of a collection named "${key.collection}" cannot be edited here.`,
      );
    }
    const root = path.join(options.editsDir, tenant, key.collection);
    const fileName = editFileName(key.documentId, version.format);
    const file = path.join(root, fileName);
    const previous = await readFile(file).catch(() => undefined);
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file, version.content);
    try {
      const summary = await ingest.call(knowledge, [root], {
        collection: key.collection,
        only: [fileName],
        documents: [key.documentId],
      });
      const failure = summary.failed[0];
      if (failure) {
        throw new ServiceError('invalid-request', `${failure.reason}. What was stored is unchanged.`);
      }
    } catch (error) {
      if (previous) await writeAtomically(file, previous);
      else await rm(file, { force: true });
      throw error;
    }
    const record = await findDocument(knowledge, key);
    return record.contentHash;
  }

  /** A new version of the document from `content`: served now, or pending when the collection requires review. */
  async function saveVersion(
    knowledge: KnowledgeBaseLike,
    key: DocumentKey,
    content: string,
    provenance: Omit<Provenance, 'sourceFile'>,
  ): Promise<SaveContentResponse> {
    const { record } = await servedVersion(knowledge, key);
    const unit = await storedUnit(knowledge, key, record);
    const { fileName } = await checked(record, unit, content);
    const version = await versions.add(key, {
      collection: key.collection,
      documentId: key.documentId,
      kind: record.kind,
      format: unit.format,
      content,
      editable: true,
      author: provenance.author,
      createdAt: at(),
      source: provenance.source,
      sourceFile: fileName,
      status: 'pending',
      ...(provenance.note ? { note: provenance.note } : {}),
      ...(provenance.rollbackOf !== undefined ? { rollbackOf: provenance.rollbackOf } : {}),
    });
    if (await versions.requireReview(key.tenant, key.collection)) return { version, served: false };
    let contentHash: string;
    try {
      contentHash = await apply(knowledge, key.tenant, key, version);
    } catch (error) {
      await versions.discard(key, version.version);
      throw error;
    }
    await versions.markServed(key, version.version, contentHash);
    return { version: { ...version, status: 'served' }, served: true };
  }

  /**
   * Four eyes: a version is approved by someone other than its author (the token's name, within
   * the tenant). An admin may approve their own change only with a reason, which is returned to be
   * recorded; anyone else is refused whatever they say.
   */
  function fourEyes(version: StoredVersion, reviewer: Actor, overrideReason?: string): string | undefined {
    const ownChange = version.author !== null && version.author.name === reviewer.name;
    if (!ownChange) {
      if (overrideReason) {
        throw new ServiceError(
          'invalid-request',
          'Причина нужна, только когда администратор согласует собственное изменение; эту версию сохранил(а) другой сотрудник.',
        );
      }
      return undefined;
    }
    if (reviewer.role !== 'admin') {
      throw new ServiceError(
        'forbidden',
        `Версию ${version.version} сохранили вы: согласовать её должен другой сотрудник с правом изменять базу знаний.`,
      );
    }
    if (!overrideReason) {
      throw new ServiceError(
        'forbidden',
        `Версию ${version.version} сохранили вы: согласовать её должен другой сотрудник. Администратор может согласовать своё изменение, указав причину (overrideReason), — она останется в истории версий.`,
      );
    }
    return overrideReason;
  }

  async function pendingVersion(key: DocumentKey, number: number): Promise<StoredVersion> {
    const version = await versions.get(key, number);
    if (!version) throw new ServiceError('not-found', `"${key.documentId}" has no version ${number}.`);
    if (version.status !== 'pending') {
      throw new ServiceError(
        'version-conflict',
        `Version ${number} of "${key.documentId}" is ${version.status}, not pending.`,
      );
    }
    return version;
  }

  return {
    validate,

    async editable(knowledge: KnowledgeBaseLike, key: DocumentKey): Promise<DocumentEdit> {
      const { record, served } = await servedVersion(knowledge, key);
      const all = await versions.list(key);
      return {
        collection: key.collection,
        documentId: key.documentId,
        kind: record.kind,
        title: record.title,
        editable: served.editable,
        format: served.format,
        content: served.content,
        version: served.version,
        pending: all.filter((version) => version.status === 'pending').map((version) => version.version),
        needsReview: (await versions.flagOf(key)) ?? null,
        requireReview: await versions.requireReview(key.tenant, key.collection),
      };
    },

    /** The unit's document as ingest reads it, for the preview. */
    async parse(knowledge: KnowledgeBaseLike, key: DocumentKey, content: string) {
      const record = await findDocument(knowledge, key);
      const unit = await storedUnit(knowledge, key, record);
      return (await checked(record, unit, content)).document;
    },

    save: (knowledge: KnowledgeBaseLike, key: DocumentKey, content: string, author: Actor, note?: string) =>
      serial(() =>
        saveVersion(knowledge, key, content, { author, source: 'console-edit', ...(note ? { note } : {}) }),
      ),

    rollback: (knowledge: KnowledgeBaseLike, key: DocumentKey, number: number, author: Actor) =>
      serial(async () => {
        const target = await versions.get(key, number);
        if (!target) throw new ServiceError('not-found', `"${key.documentId}" has no version ${number}.`);
        if (!target.editable) {
          throw new ServiceError(
            'invalid-request',
            `Version ${number} is not an editable unit: upload its file again.`,
          );
        }
        return saveVersion(knowledge, key, target.content, {
          author,
          source: 'rollback',
          rollbackOf: number,
        });
      }),

    approve: (
      knowledge: KnowledgeBaseLike,
      key: DocumentKey,
      number: number,
      reviewer: Actor,
      decision: { note?: string; overrideReason?: string } = {},
    ) =>
      serial(async (): Promise<SaveContentResponse> => {
        await servedVersion(knowledge, key);
        const version = await pendingVersion(key, number);
        const override = fourEyes(version, reviewer, decision.overrideReason);
        const contentHash = await apply(knowledge, key.tenant, key, version);
        const { note } = decision;
        const review = {
          by: reviewer,
          at: at(),
          ...(note ? { note } : {}),
          ...(override ? { override } : {}),
        };
        await versions.markServed(key, number, contentHash, review);
        return {
          version: {
            ...version,
            status: 'served',
            reviewedBy: reviewer,
            reviewedAt: review.at,
            ...(note ? { reviewNote: note } : {}),
            ...(override ? { reviewOverride: override } : {}),
          },
          served: true,
        };
      }),

    reject: (key: DocumentKey, number: number, reviewer: Actor, note?: string) =>
      serial(async () => {
        await pendingVersion(key, number);
        await versions.reject(key, number, { by: reviewer, at: at(), ...(note ? { note } : {}) });
        return (await versions.get(key, number)) as KnowledgeVersion;
      }),

    async history(knowledge: KnowledgeBaseLike, key: DocumentKey): Promise<KnowledgeVersion[]> {
      await servedVersion(knowledge, key);
      return versions.list(key);
    },

    /** Records what an upload changed, with who uploaded it and from which file. */
    async noticeUpload(
      knowledge: KnowledgeBaseLike,
      key: Omit<DocumentKey, 'documentId'>,
      documentIds: string[],
      author: Actor,
    ) {
      for (const documentId of documentIds) {
        await servedVersion(knowledge, { ...key, documentId }, { author, source: 'upload' });
      }
    },

    /**
     * An upload into a collection that requires review: its entries that change become pending
     * versions (source `upload`, the file's path), checked by ingest's loaders first; nothing is
     * written to the store or the uploads folder. Entries that cannot wait as a version — new
     * documents, articles — refuse the whole file, so nothing of it is served unreviewed.
     */
    holdUpload: (
      knowledge: KnowledgeBaseLike,
      scope: Omit<DocumentKey, 'documentId'>,
      relativePath: string,
      bytes: Uint8Array,
      author: Actor,
    ) =>
      serial(async (): Promise<IngestFileResult> => {
        let documents: SourceDocument[];
        try {
          documents = await loadKnowledgeFile({ path: relativePath, relativePath, bytes });
        } catch (error) {
          if (error instanceof IngestError) {
            throw new ServiceError(
              'invalid-request',
              `${relativePath}: ${error.message}. Nothing was changed.`,
            );
          }
          throw error;
        }
        const records = new Map(
          (await knowledge.store.listDocuments(scope.collection)).map((record) => [
            record.documentId,
            record,
          ]),
        );
        const units = documents.map((document) => ({
          document,
          unit: unitOf({
            documentId: document.documentId,
            kind: document.kind,
            chunks: chunksOf(document, relativePath),
            siblings: documents
              .filter((other) => other !== document)
              .flatMap((other) => chunksOf(other, relativePath)),
          }),
        }));
        const refused = units.filter(
          ({ document, unit }) => !records.has(document.documentId) || !unit.editable,
        );
        if (refused.length > 0) {
          const named = refused
            .slice(0, 5)
            .map(({ document }) => `"${document.documentId}"`)
            .join(', ');
          throw new ServiceError(
            'invalid-request',
            `${relativePath}: collection "${scope.collection}" requires review, and ${named}${refused.length > 5 ? ' …' : ''} cannot wait for it (only changes to existing templates, FAQ entries, script steps and routing rules can); nothing was changed. Upload the file once review is turned off, or edit the entries in the console.`,
          );
        }
        const pending: Array<{ documentId: string; version: number }> = [];
        let unchanged = 0;
        for (const { document, unit } of units) {
          const key = { ...scope, documentId: document.documentId };
          const { served } = await servedVersion(knowledge, key);
          if (served.content === unit.content) {
            unchanged++;
            continue;
          }
          const version = await versions.add(key, {
            collection: scope.collection,
            documentId: document.documentId,
            kind: document.kind,
            ...unit,
            author,
            createdAt: at(),
            source: 'upload',
            sourceFile: relativePath,
            status: 'pending',
          });
          pending.push({ documentId: document.documentId, version: version.version });
        }
        return {
          collection: scope.collection,
          file: relativePath,
          added: 0,
          updated: 0,
          unchanged,
          removed: 0,
          chunks: 0,
          documents: documents.map(({ documentId, title, kind }) => ({
            documentId,
            title,
            kind,
            source: relativePath,
          })),
          warnings: documents.flatMap((document) =>
            (document.warnings ?? []).map((message) => ({ documentId: document.documentId, message })),
          ),
          pending,
        };
      }),

    async flag(
      knowledge: KnowledgeBaseLike,
      key: DocumentKey,
      needsReview: boolean,
      by: Actor,
      note?: string,
    ) {
      await findDocument(knowledge, key);
      await versions.flag(key, needsReview ? { note: note ?? '', by, at: at() } : null);
      return (await versions.flagOf(key)) ?? null;
    },

    async queue(knowledge: KnowledgeBaseLike, tenant: string): Promise<ReviewQueueResponse> {
      const titles = new Map<string, string>();
      const titleOf = async (collection: string, documentId: string) => {
        if (!titles.has(collection)) {
          titles.set(collection, '');
          for (const record of await knowledge.store.listDocuments(collection).catch(() => [])) {
            titles.set(`${collection}\u0000${record.documentId}`, record.title);
          }
        }
        return titles.get(`${collection}\u0000${documentId}`) ?? documentId;
      };
      const pending = [];
      for (const version of await versions.pending(tenant)) {
        const { contentHash: _hash, ...visible } = version;
        pending.push({ ...visible, title: await titleOf(version.collection, version.documentId) });
      }
      const flagged = [];
      for (const flag of await versions.flags(tenant)) {
        flagged.push({ ...flag, title: await titleOf(flag.collection, flag.documentId) });
      }
      return { pending, flagged };
    },

    requireReview: (tenant: string, collection: string) => versions.requireReview(tenant, collection),
    setRequireReview: (tenant: string, collection: string, required: boolean) =>
      versions.setRequireReview(tenant, collection, required, at()),
  };
}

export type KnowledgeEdits = ReturnType<typeof createKnowledgeEdits>;

/** A loaded document's sections as the chunks ingest would store for an atomic unit. */
function chunksOf(document: SourceDocument, source: string): Chunk[] {
  return document.sections.map((section, ordinal) => ({
    chunkId: `${document.documentId}#${ordinal}`,
    documentId: document.documentId,
    ordinal,
    kind: document.kind,
    title: document.title,
    titlePath: section.titlePath,
    text: section.text,
    language: document.language ?? '',
    tags: document.tags,
    ...(document.category ? { category: document.category } : {}),
    source,
    ...(section.metadata ? { metadata: section.metadata } : {}),
  }));
}
