/**
 * The onnx embedder end to end: configured through the environment or the CLI flags, ingesting
 * the demo knowledge base into a store on disk and searching it. The model is GENERATED for the
 * test (fixtures/make-tiny-onnx-model.ts), a tiny BERT-shaped network with random weights run by
 * the real transformers.js + onnxruntime-node; a real deployment points at a real export.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../config.ts';
import { DEMO_KB_PATHS, openKnowledgeBase } from '../knowledge-base.ts';
import { writeTinyModel } from './fixtures/make-tiny-onnx-model.ts';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const FIXTURE_KB = fileURLToPath(new URL('../fixtures/pipeline/kb', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'naparnik-onnx-kb-'));
const modelDir = path.join(root, 'tiny-bert');

/** The CLI with no NAPARNIK_* settings inherited from the machine running the tests. */
function cli(...args: string[]) {
  const environment: NodeJS.ProcessEnv = { INIT_CWD: '' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('NAPARNIK_')) environment[name] = value;
  }
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: environment });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  writeTinyModel(modelDir, { hidden: 32 });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

// Each CLI run starts Node, onnxruntime and the store: seconds on a busy machine.
describe('knowledge base with the local onnx embedder (generated tiny model)', { timeout: 120_000 }, () => {
  const dataDir = path.join(root, 'cli-data');

  it('ingests the demo knowledge base through `pnpm ingest --onnx-model` and searches it', () => {
    const ingest = cli(
      'ingest',
      ...DEMO_KB_PATHS,
      '--collection',
      'demo',
      '--data-dir',
      dataDir,
      '--onnx-model',
      modelDir,
      '--json',
    );
    expect(ingest.code, ingest.stderr).toBe(0);
    const summary = JSON.parse(ingest.stdout) as { added: number; chunks: number; failed: unknown[] };
    expect(summary.failed).toEqual([]);
    expect(summary.added).toBeGreaterThan(50);

    const collections = cli(
      'collections',
      '--data-dir',
      dataDir,
      '--embedder',
      'onnx',
      '--onnx-model',
      modelDir,
      '--json',
    );
    expect(collections.code).toBe(0);
    const [demo] = JSON.parse(collections.stdout) as Array<{ embedderId: string; chunks: number }>;
    expect(demo?.embedderId).toMatch(/^onnx:tiny-bert:[0-9a-f]{12}:32:mean-[0-9a-f]{8}$/);

    const search = cli(
      'search',
      'сколько стоит доставка',
      '--collection',
      'demo',
      '--data-dir',
      dataDir,
      '--onnx-model',
      modelDir,
      '--json',
    );
    expect(search.code).toBe(0);
    const hits = JSON.parse(search.stdout) as Array<{ text: string; title: string }>;
    expect(hits.length).toBeGreaterThan(0);
    expect(`${hits[0]!.title} ${hits[0]!.text}`.toLowerCase()).toContain('доставк');
  });

  it('refuses to search that collection with the default hashed embedder', () => {
    const search = cli('search', 'доставка', '--collection', 'demo', '--data-dir', dataDir);
    expect(search.code).toBe(2);
    expect(search.stderr).toMatch(
      /built with embedder onnx:tiny-bert:.*but hashed-ngrams-v1:256 is configured/,
    );
  });

  it('stops with exit code 2 and names the variable when the onnx embedder has no model folder', () => {
    const search = cli(
      'search',
      'доставка',
      '--collection',
      'demo',
      '--data-dir',
      dataDir,
      '--embedder',
      'onnx',
    );
    expect(search.code).toBe(2);
    expect(search.stderr).toContain('NAPARNIK_ONNX_MODEL_DIR');
  });

  it('keeps a collection built with hashed n-grams from the onnx embedder until it is rebuilt', async () => {
    const storeDir = path.join(root, 'switch-data');
    const hashed = await openKnowledgeBase({ config: loadIngestConfig({ NAPARNIK_DATA_DIR: storeDir }) });
    await hashed.ingest([FIXTURE_KB], { collection: 'support' });
    await hashed.close();

    const onnx = await openKnowledgeBase({
      config: loadIngestConfig({
        NAPARNIK_DATA_DIR: storeDir,
        NAPARNIK_EMBEDDER: 'onnx',
        NAPARNIK_ONNX_MODEL_DIR: modelDir,
      }),
    });
    try {
      expect(onnx.embedder.id).toMatch(/^onnx:tiny-bert:/);
      await expect(onnx.search('support', 'доставка')).rejects.toMatchObject({ code: 'embedder-mismatch' });
      await expect(onnx.ingest([FIXTURE_KB], { collection: 'support' })).rejects.toMatchObject({
        code: 'embedder-mismatch',
      });
      const rebuilt = await onnx.ingest([FIXTURE_KB], { collection: 'support', rebuild: true });
      expect(rebuilt.added).toBeGreaterThan(0);
      expect((await onnx.store.getCollection('support'))?.embedderId).toBe(onnx.embedder.id);
      expect((await onnx.search('support', 'доставка')).length).toBeGreaterThan(0);
    } finally {
      await onnx.close();
    }
  });
});
