import type { Actor, KnowledgeVersion, ReviewFlag, VersionStatus } from '../contract/knowledge-edits.ts';

/** A version before the store numbers it. */
export type NewVersion = Omit<KnowledgeVersion, 'version' | 'reviewedBy' | 'reviewedAt' | 'reviewNote'> & {
  /** The store's content hash of the document once this version was ingested (served versions). */
  contentHash?: string;
};

export type StoredVersion = KnowledgeVersion & { contentHash?: string };

export interface DocumentKey {
  tenant: string;
  collection: string;
  documentId: string;
}

/**
 * Every saved version of every knowledge document, review flags on documents, and each
 * collection's review setting. Keyed by tenant like every service table; one implementation over
 * SQLite (knowledge-versions.sqlite) and PostgreSQL (`SERVICE_MIGRATIONS` version 4), in
 * `sql-version-store.ts`. Versions are never deleted, except one whose apply failed.
 */
export interface KnowledgeVersionStore {
  /** Numbers the version one above the document's highest and stores it. */
  add(key: DocumentKey, version: NewVersion): Promise<StoredVersion>;
  /** Newest first. */
  list(key: DocumentKey): Promise<StoredVersion[]>;
  get(key: DocumentKey, version: number): Promise<StoredVersion | undefined>;
  /** Makes `version` the served one (with the hash it was stored under); the served one before it becomes `superseded`. */
  markServed(key: DocumentKey, version: number, contentHash: string, review?: ReviewRecord): Promise<void>;
  /** A pending version turned down. */
  reject(key: DocumentKey, version: number, review: ReviewRecord): Promise<void>;
  /** Removes a version whose ingest failed: nothing was served from it. */
  discard(key: DocumentKey, version: number): Promise<void>;
  /** Every pending version of the tenant, oldest first. */
  pending(tenant: string): Promise<StoredVersion[]>;
  flag(key: DocumentKey, flag: { note: string; by: Actor; at: string } | null): Promise<void>;
  flagOf(key: DocumentKey): Promise<ReviewFlag | undefined>;
  flags(tenant: string): Promise<ReviewFlag[]>;
  requireReview(tenant: string, collection: string): Promise<boolean>;
  setRequireReview(tenant: string, collection: string, required: boolean, at: string): Promise<void>;
  close(): Promise<void>;
}

export interface ReviewRecord {
  by: Actor;
  at: string;
  note?: string;
  /** An admin approving their own change: why (four eyes waived). */
  override?: string;
}

export type { VersionStatus };
