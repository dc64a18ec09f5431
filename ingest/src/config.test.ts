import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config.ts';

describe('loadIngestConfig', () => {
  it('defaults to the built-in hashed embedder of 256 dimensions', () => {
    expect(loadIngestConfig({}).embedder).toEqual({ kind: 'hashed', dimensions: 256 });
  });

  it('reads the onnx embedder settings, resolving a relative model folder from where the command was typed', () => {
    const workingDirectory = path.resolve('some', 'where');
    const config = loadIngestConfig({
      INIT_CWD: workingDirectory,
      NAPARNIK_EMBEDDER: 'onnx',
      NAPARNIK_ONNX_MODEL_DIR: 'models/multilingual-e5-small',
      NAPARNIK_ONNX_DTYPE: 'q8',
      NAPARNIK_ONNX_POOLING: 'cls',
      NAPARNIK_ONNX_QUERY_PREFIX: 'query: ',
      NAPARNIK_ONNX_PASSAGE_PREFIX: 'passage: ',
      NAPARNIK_ONNX_BATCH_SIZE: '8',
      NAPARNIK_ONNX_MAX_TOKENS: '256',
    });
    expect(config.embedder).toEqual({
      kind: 'onnx',
      modelDir: path.join(workingDirectory, 'models', 'multilingual-e5-small'),
      dtype: 'q8',
      pooling: 'cls',
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
      batchSize: 8,
      maxTokens: 256,
    });
  });

  it('gives the onnx embedder mean pooling, unit vectors, no prefixes and onnx/model.onnx by default', () => {
    const config = loadIngestConfig({ NAPARNIK_EMBEDDER: 'onnx', NAPARNIK_ONNX_MODEL_DIR: 'model' });
    expect(config.embedder).toMatchObject({
      kind: 'onnx',
      dtype: 'fp32',
      pooling: 'mean',
      queryPrefix: '',
      passagePrefix: '',
      batchSize: 16,
      maxTokens: 512,
    });
  });

  it('refuses the onnx embedder without a model folder, naming the variable', () => {
    expect(() => loadIngestConfig({ NAPARNIK_EMBEDDER: 'onnx' })).toThrow(/NAPARNIK_ONNX_MODEL_DIR/);
  });

  it('refuses an unknown weight type or pooling, naming the variable', () => {
    const base = { NAPARNIK_EMBEDDER: 'onnx', NAPARNIK_ONNX_MODEL_DIR: 'model' };
    expect(() => loadIngestConfig({ ...base, NAPARNIK_ONNX_DTYPE: 'int3' })).toThrow(/NAPARNIK_ONNX_DTYPE/);
    expect(() => loadIngestConfig({ ...base, NAPARNIK_ONNX_POOLING: 'max' })).toThrow(
      /NAPARNIK_ONNX_POOLING/,
    );
  });

  it('keeps history 365 days by default, forever with 0, and refuses a negative retention', () => {
    expect(loadIngestConfig({}).historyRetentionDays).toBe(365);
    expect(loadIngestConfig({ NAPARNIK_HISTORY_RETENTION_DAYS: '0' }).historyRetentionDays).toBe(0);
    expect(() => loadIngestConfig({ NAPARNIK_HISTORY_RETENTION_DAYS: '-1' })).toThrow(
      /NAPARNIK_HISTORY_RETENTION_DAYS/,
    );
  });

  it('selects PostgreSQL with DATABASE_URL, the embedded store without it, and refuses a URL of another kind', () => {
    expect(loadIngestConfig({}).databaseUrl).toBeUndefined();
    expect(loadIngestConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    const url = 'postgres://naparnik:secret@db.internal:5432/naparnik';
    expect(loadIngestConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(() => loadIngestConfig({ DATABASE_URL: 'mysql://db/naparnik' })).toThrow(/DATABASE_URL/);
  });

  it('reads NAPARNIK_LINK_DOMAINS as a lower-cased list and names the variable when an entry is no domain', () => {
    expect(loadIngestConfig({}).linkDomains).toEqual([]);
    expect(loadIngestConfig({ NAPARNIK_LINK_DOMAINS: ' Aurelia.ru, help.aurelia.ru ,' }).linkDomains).toEqual(
      ['aurelia.ru', 'help.aurelia.ru'],
    );
    expect(() => loadIngestConfig({ NAPARNIK_LINK_DOMAINS: 'aurelia.ru, not a domain' })).toThrow(
      /NAPARNIK_LINK_DOMAINS/,
    );
  });

  it('puts vectors in Qdrant with QDRANT_URL, fusing in the service unless told otherwise', () => {
    expect(loadIngestConfig({}).qdrant).toBeUndefined();
    expect(loadIngestConfig({ QDRANT_URL: '' }).qdrant).toBeUndefined();
    expect(loadIngestConfig({ QDRANT_URL: 'http://qdrant:6333' }).qdrant).toEqual({
      url: 'http://qdrant:6333',
      fusion: 'service',
      timeoutMs: 10_000,
    });
    expect(
      loadIngestConfig({
        QDRANT_URL: 'https://qdrant.example.ru',
        QDRANT_API_KEY: 'secret',
        NAPARNIK_QDRANT_FUSION: 'qdrant',
        NAPARNIK_QDRANT_TIMEOUT_MS: '2500',
      }).qdrant,
    ).toEqual({ url: 'https://qdrant.example.ru', apiKey: 'secret', fusion: 'qdrant', timeoutMs: 2500 });
  });

  it('names the Qdrant setting that is wrong', () => {
    expect(() => loadIngestConfig({ QDRANT_URL: 'qdrant:6333' })).toThrow(/QDRANT_URL: an http\(s\) URL/u);
    expect(() => loadIngestConfig({ QDRANT_URL: 'http://q:6333', NAPARNIK_QDRANT_FUSION: 'server' })).toThrow(
      /NAPARNIK_QDRANT_FUSION/u,
    );
  });
});
