import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from './fixtures/make-tiny-onnx-model.ts';

const root = mkdtempSync(path.join(tmpdir(), 'naparnik-create-embedder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Builds the embedder the environment configures in a fresh Node process and reports whether
 * anything imported @huggingface/transformers on the way (a module resolve hook watches).
 */
function buildInFreshProcess(environment: Record<string, string>) {
  const createEmbedderUrl = new URL('./create-embedder.ts', import.meta.url).href;
  const configUrl = new URL('../config.ts', import.meta.url).href;
  const script = `
    import { registerHooks } from 'node:module';
    let transformers = false;
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier.startsWith('@huggingface/transformers')) transformers = true;
        return next(specifier, context);
      },
    });
    const { loadIngestConfig } = await import(${JSON.stringify(configUrl)});
    const { createEmbedder } = await import(${JSON.stringify(createEmbedderUrl)});
    const embedder = await createEmbedder(loadIngestConfig(process.env).embedder);
    process.stdout.write(JSON.stringify({ id: embedder.id, transformers }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...environment },
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { id: string; transformers: boolean };
}

describe('createEmbedder', { timeout: 60_000 }, () => {
  it('builds the default hashed embedder without importing transformers.js', () => {
    expect(buildInFreshProcess({})).toEqual({ id: 'hashed-ngrams-v1:256', transformers: false });
  });

  it('imports transformers.js only when the onnx embedder is configured', () => {
    const modelDir = path.join(root, 'tiny-bert');
    writeTinyModel(modelDir, { hidden: 16 });
    const built = buildInFreshProcess({ NAPARNIK_EMBEDDER: 'onnx', NAPARNIK_ONNX_MODEL_DIR: modelDir });
    expect(built.transformers).toBe(true);
    expect(built.id).toMatch(/^onnx:tiny-bert:[0-9a-f]{12}:16:mean-[0-9a-f]{8}$/);
  });

  it('fails with a clear error when the configured model folder does not exist', () => {
    const modelDir = path.join(root, 'missing');
    const script = `
      const { createEmbedder } = await import(${JSON.stringify(new URL('./create-embedder.ts', import.meta.url).href)});
      const { loadIngestConfig } = await import(${JSON.stringify(new URL('../config.ts', import.meta.url).href)});
      await createEmbedder(loadIngestConfig(process.env).embedder).catch((error) => process.stdout.write(error.code + ' ' + error.message));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NAPARNIK_EMBEDDER: 'onnx', NAPARNIK_ONNX_MODEL_DIR: modelDir },
    });
    expect(result.stdout).toBe(
      `model-dir-missing ONNX model folder ${modelDir} does not exist or is not a folder (NAPARNIK_ONNX_MODEL_DIR)`,
    );
  });
});
