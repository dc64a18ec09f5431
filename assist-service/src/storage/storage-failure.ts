import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * What went wrong with the disk, a database file or the database server, read from node:sqlite's
 * errors (the SQLite result code, extended codes included), from PostgreSQL's SQLSTATE codes and
 * from file-system and socket errors. Each kind decides how the service answers: a full disk is
 * 507, the rest 503, both with Retry-After.
 */
export type StorageFailure = 'full' | 'read-only' | 'busy' | 'io' | 'corrupt' | 'cannot-open' | 'unreachable';

/** Primary SQLite result codes (https://sqlite.org/rescode.html). */
const SQLITE_CODES: Record<number, StorageFailure> = {
  5: 'busy', // SQLITE_BUSY
  6: 'busy', // SQLITE_LOCKED
  8: 'read-only', // SQLITE_READONLY
  10: 'io', // SQLITE_IOERR
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'full', // SQLITE_FULL
  14: 'cannot-open', // SQLITE_CANTOPEN
  26: 'corrupt', // SQLITE_NOTADB
};

/**
 * PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html),
 * exact codes first, then by class (the first two characters).
 */
const POSTGRES_CODES: Record<string, StorageFailure> = {
  '53100': 'full', // disk_full
  '25006': 'read-only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '55P03': 'busy', // lock_not_available (lock_timeout)
  '57014': 'busy', // query_canceled (statement_timeout)
  '58030': 'io', // io_error
  XX001: 'corrupt', // data_corrupted
  XX002: 'corrupt', // index_corrupted
};
const POSTGRES_CLASSES: Record<string, StorageFailure> = {
  '08': 'unreachable', // connection exception
  '53': 'busy', // insufficient resources: too many connections, out of memory
  '57': 'unreachable', // operator intervention: shutting down, starting up
};

/** An error from the PostgreSQL driver itself: its connection failed or timed out. */
export class DatabaseUnreachableError extends Error {
  readonly code = 'EDBUNREACHABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnreachableError';
  }
}

const FILE_SYSTEM_CODES: Record<string, StorageFailure> = {
  EDBUNREACHABLE: 'unreachable',
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EPIPE: 'unreachable',
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  EIO: 'io',
  ENOTDIR: 'cannot-open',
  EISDIR: 'cannot-open',
  EEXIST: 'cannot-open',
};

/** The kind of storage failure `error` is, or undefined when it is not one. */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') return SQLITE_CODES[errcode & 0xff];
  // SQLSTATE: five characters, a digit first (or the XX internal-error class); errno names start with E.
  if (typeof code === 'string' && /^([0-9][0-9A-Z]|XX)[0-9A-Z]{3}$/u.test(code))
    return POSTGRES_CODES[code] ?? POSTGRES_CLASSES[code.slice(0, 2)];
  if (typeof code === 'string') return FILE_SYSTEM_CODES[code];
  return undefined;
}

/** For operators and start-up messages: what the failure means, in Russian first. */
export const STORAGE_FAILURE_TEXT: Record<StorageFailure, string> = {
  full: 'диск заполнен (disk full)',
  'read-only': 'нет права записи или файловая система только для чтения (read-only)',
  busy: 'база данных заблокирована другим процессом (locked)',
  io: 'ошибка ввода-вывода диска (I/O error)',
  corrupt: 'файл повреждён или не является базой SQLite (corrupt)',
  'cannot-open': 'файл не открывается: на месте каталога лежит файл или путь недоступен (cannot open)',
  unreachable: 'сервер базы данных PostgreSQL недоступен (unreachable)',
};

/** A data file the service could not open or write at start: names the file and the cause. */
export class StorageStartError extends Error {
  readonly code = 'storage-start-failed' as const;
  readonly file: string;
  readonly failure: StorageFailure | undefined;

  constructor(file: string, cause: unknown) {
    const failure = diagnose(file, storageFailureOf(cause));
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `Не удаётся открыть хранилище ${file}: ${failure ? STORAGE_FAILURE_TEXT[failure] : 'неизвестная ошибка'} — ${detail}`,
      { cause },
    );
    this.name = 'StorageStartError';
    this.file = file;
    this.failure = failure;
  }
}

/**
 * SQLite says only "unable to open database file" when it cannot create one: the folder tells why
 * (a read-only file system, no write permission, or no folder at all).
 */
function diagnose(file: string, failure: StorageFailure | undefined): StorageFailure | undefined {
  if (failure !== undefined && failure !== 'cannot-open') return failure;
  try {
    accessSync(path.dirname(file), constants.W_OK);
    return failure;
  } catch (error) {
    return storageFailureOf(error) ?? failure;
  }
}

/** Runs `open` and turns any failure into a StorageStartError naming `file`. */
export function openStorage<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new StorageStartError(file, error);
  }
}
