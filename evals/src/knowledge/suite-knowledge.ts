import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type KnowledgeBase, loadIngestConfig, openKnowledgeBase } from '@naparnik/ingest';
import { EvalRunError } from '../errors.ts';
import { CACHE_DIR, REPO_ROOT } from '../paths.ts';
import type { KnowledgeSpec } from '../suite/schema.ts';

/**
 * A suite's knowledge base, ingested by the real pipeline into a temporary data directory for one
 * run. The built store is cached under `evals/.cache/kb/<key>/` where the key hashes every input
 * file's path and bytes, the embedder and the ingest package's source: any change to the data or
 * to how it is loaded rebuilds it, nothing else does.
 */
export interface SuiteKnowledge {
  kb: KnowledgeBase;
  collection: string;
  /** Whether the store came from the cache. */
  cached: boolean;
  ingestSeconds: number;
  close(): Promise<void>;
}

const INGEST_SOURCE = path.join(REPO_ROOT, 'ingest', 'src');

function filesUnder(target: string): string[] {
  const info = statSync(target);
  if (info.isFile()) return [target];
  const found: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true }).sort((left, right) =>
    left.name < right.name ? -1 : 1,
  )) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/** What decides the built store: inputs, embedder, ingest code (not its tests, not retrieval/classify). */
export function knowledgeCacheKey(paths: readonly string[], embedderId: string): string {
  const hash = createHash('sha256');
  hash.update(`embedder ${embedderId}\n`);
  for (const root of paths) {
    for (const file of filesUnder(root)) {
      hash.update(`input ${path.relative(REPO_ROOT, file)} `);
      hash.update(createHash('sha256').update(readFileSync(file)).digest('hex'));
      hash.update('\n');
    }
  }
  for (const file of filesUnder(INGEST_SOURCE)) {
    const relative = path.relative(INGEST_SOURCE, file);
    if (/\.test\.ts$|^(retrieval|classify)\/|fixtures\//u.test(relative)) continue;
    hash.update(`code ${relative} `);
    hash.update(createHash('sha256').update(readFileSync(file)).digest('hex'));
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 24);
}

export async function openSuiteKnowledge(
  spec: KnowledgeSpec,
  options: { resolve: (relative: string) => string; useCache?: boolean },
): Promise<SuiteKnowledge> {
  const paths = spec.paths.map(options.resolve);
  for (const target of paths) {
    if (!existsSync(target)) throw new EvalRunError('data-missing', `knowledge path not found: ${target}`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-evals-'));
  const config = { ...loadIngestConfig(), dataDir };
  const started = performance.now();
  // A cached SQLite file holds no Qdrant points: with QDRANT_URL the knowledge is ingested afresh.
  const useCache = (options.useCache ?? true) && !config.qdrant;
  let cached = false;
  try {
    // The embedder's id is known only from a knowledge base, and opening one is cheap.
    const probe = await openKnowledgeBase({ dataDir: path.join(dataDir, 'probe'), config });
    const embedderId = probe.embedder.id;
    await probe.close();
    rmSync(path.join(dataDir, 'probe'), { recursive: true, force: true });

    const key = knowledgeCacheKey(paths, embedderId);
    const cacheFile = path.join(CACHE_DIR, 'kb', key, 'knowledge.sqlite');
    const storeFile = path.join(dataDir, 'knowledge.sqlite');
    if (useCache && existsSync(cacheFile)) {
      copyFileSync(cacheFile, storeFile);
      cached = true;
    } else {
      const building = await openKnowledgeBase({ dataDir, config });
      const summary = await building.ingest(paths, { collection: spec.collection });
      await building.close();
      if (summary.failed.length > 0) {
        const problems = summary.failed.map((failure) => `${failure.file}: ${failure.reason}`).join('; ');
        throw new EvalRunError(
          'data-invalid',
          `knowledge for collection ${spec.collection} did not ingest: ${problems}`,
        );
      }
      if (useCache) {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}.partial`;
        copyFileSync(storeFile, partial);
        renameSync(partial, cacheFile);
      }
    }
    const kb = await openKnowledgeBase({ dataDir, config });
    if (!(await kb.store.getCollection(spec.collection))) {
      await kb.close();
      throw new EvalRunError('data-invalid', `collection ${spec.collection} is empty after ingest`);
    }
    return {
      kb,
      collection: spec.collection,
      cached,
      ingestSeconds: (performance.now() - started) / 1000,
      async close() {
        await kb.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
