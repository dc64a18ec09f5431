import path from 'node:path';
import { loadIngestConfig } from '@naparnik/ingest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, REPO_ROOT } from './config.ts';

describe('service configuration', () => {
  it('keeps its data in the repository by default, wherever the service was started', () => {
    const config = loadConfig({ INIT_CWD: path.resolve('elsewhere') });
    expect(config.dataDir).toBe(path.join(REPO_ROOT, '.naparnik-data'));
    expect(config.knowledge.dataDir).toBe(config.dataDir);
    expect(config.tenant).toBe('default');
  });

  it('takes the knowledge base settings from @naparnik/ingest, as the CLI reads them', () => {
    const environment = {
      INIT_CWD: path.resolve('typed', 'here'),
      NAPARNIK_DATA_DIR: './data',
      NAPARNIK_TENANT: 'acme',
      NAPARNIK_EMBEDDER: 'onnx',
      NAPARNIK_ONNX_MODEL_DIR: 'models/e5',
      NAPARNIK_ONNX_QUERY_PREFIX: 'query: ',
      NAPARNIK_MAX_FILE_MB: '5',
    };
    const config = loadConfig(environment);
    expect(config.knowledge).toEqual(loadIngestConfig(environment));
    expect(config.dataDir).toBe(path.resolve('typed', 'here', 'data'));
    expect(config.tenant).toBe('acme');
    expect(config.knowledge.embedder).toMatchObject({ kind: 'onnx', queryPrefix: 'query: ' });
  });

  it('stops on a bad knowledge base setting with a ConfigError naming the variable', () => {
    expect(() => loadConfig({ NAPARNIK_EMBEDDER: 'onnx' })).toThrow(ConfigError);
    expect(() => loadConfig({ NAPARNIK_EMBEDDER: 'onnx' })).toThrow(/NAPARNIK_ONNX_MODEL_DIR/);
    expect(() => loadConfig({ NAPARNIK_TENANT: 'Has Spaces' })).toThrow(/NAPARNIK_TENANT/);
  });
});
