// Record and replay end to end through the real Anthropic provider: the recording runs on the
// deterministic simulator (no model can be reached here), the replay on msw from the file written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createChatModels, loadConfig } from '@naparnik/assist-service';
import { afterEach, describe, expect, it } from 'vitest';
import { trafficModeFor } from '../targets/model-target.ts';
import { interactionKey, readCassette, restoreTexts, shareTexts } from './cassette.ts';
import { openModelTraffic, REPLAY_BASE_URL } from './model-traffic.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function cassetteFile(name = 'suite.claude.json'): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-cassette-'));
  directories.push(directory);
  return path.join(directory, name);
}

const SYSTEM = `Ты — помощник оператора. ${'Правило команды. '.repeat(80)}`;
const REQUEST = {
  system: SYSTEM,
  messages: [
    {
      role: 'user' as const,
      content:
        'Язык ответа: ru. Клиент торопится: нет.\n<source n="1" kind="faq" title="Доставка">\nКурьер привозит заказ за 1–3 дня.\n</source>',
    },
  ],
  maxTokens: 200,
};

function modelsFor(baseURL: string, fetch: typeof globalThis.fetch | undefined) {
  const config = loadConfig({
    NAPARNIK_MODEL_PROVIDER: 'anthropic',
    ANTHROPIC_API_KEY: 'sk-ant-never-stored-0123456789',
    ANTHROPIC_BASE_URL: baseURL,
    NAPARNIK_MODEL_MAX_RETRIES: '0',
  });
  const models = createChatModels(config.models, fetch ? { fetch } : {});
  if (!models) throw new Error('no models');
  return models;
}

async function collect(models: ReturnType<typeof modelsFor>): Promise<string> {
  let text = '';
  for await (const event of models.fast.stream(REQUEST)) if (event.type === 'text') text += event.text;
  return text;
}

/** One request recorded from the simulator into `file`; the text the provider read. */
async function recordOne(file: string): Promise<string> {
  const recording = await openModelTraffic({
    mode: 'record',
    suite: 'suite',
    engine: 'claude',
    provider: 'anthropic',
    file,
    simulate: true,
    model: 'claude-haiku-5-5',
  });
  const text = await collect(modelsFor('https://simulated.invalid', recording.fetch));
  expect(await recording.finish()).toEqual({ cassette: file, interactions: 1 });
  return text;
}

const openReplay = (file: string) =>
  openModelTraffic({ mode: 'replay', suite: 'suite', engine: 'claude', provider: 'anthropic', file });

describe('model traffic', () => {
  it('replays with msw exactly what a synthetic recording wrote, and never stores the API key', async () => {
    const file = cassetteFile();
    const recorded = await recordOne(file);
    const written = readFileSync(file, 'utf8');
    expect(written).not.toContain('sk-ant-never-stored');
    const cassette = readCassette(file);
    expect(cassette.source).toBe('synthetic');
    expect(cassette.note).toMatch(/^SYNTHETIC/u);
    // The system prompt is stored once, in `texts`, and restored on reading.
    expect(Object.values(cassette.texts)).toContain(SYSTEM);
    expect(cassette.interactions[0]!.key).toBe(
      interactionKey('anthropic-messages', cassette.interactions[0]!.request),
    );

    const replay = await openReplay(file);
    try {
      expect(replay.model).toBe('claude-haiku-5-5');
      const replayed = await collect(modelsFor(REPLAY_BASE_URL, undefined));
      expect(replayed).toBe(recorded);
      expect(replayed).toContain('Курьер привозит заказ за 1–3 дня. [1]');
      expect(replay.misses()).toBe(0);
      expect(replay.sent()).toHaveLength(1);
    } finally {
      await replay.finish();
    }
  });

  it('writes and replays a gzipped cassette (the checked-in ones) as it does a plain one', async () => {
    const file = cassetteFile('suite.claude.json.gz');
    const recorded = await recordOne(file);
    const bytes = readFileSync(file);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(bytes).toString('utf8')).format).toBe('naparnik-model-cassette/v1');
    const replay = await openReplay(file);
    try {
      expect(await collect(modelsFor(REPLAY_BASE_URL, undefined))).toBe(recorded);
      expect(replay.misses()).toBe(0);
    } finally {
      await replay.finish();
    }
  });

  it('names a gzipped cassette that is not gzip as not gzipped JSON', () => {
    const file = cassetteFile('broken.claude.json.gz');
    writeFileSync(file, '{"format": "naparnik-model-cassette/v1"}');
    expect(() => readCassette(file)).toThrow(/broken\.claude\.json\.gz: not gzipped JSON/u);
  });

  it('counts a request the cassette does not hold as a miss and answers it with an error', async () => {
    const file = cassetteFile();
    await recordOne(file);
    const replay = await openReplay(file);
    try {
      const models = modelsFor(REPLAY_BASE_URL, undefined);
      const changed = { ...REQUEST, messages: [{ role: 'user' as const, content: 'Другой вопрос' }] };
      await expect(
        (async () => {
          for await (const _event of models.fast.stream(changed)) {
            // drained
          }
        })(),
      ).rejects.toThrow();
      expect(replay.misses()).toBe(1);
    } finally {
      await replay.finish();
    }
  });

  it('keys a request by its content, whatever order its fields were written in', () => {
    expect(interactionKey('anthropic-messages', { model: 'm', max_tokens: 1 })).toBe(
      interactionKey('anthropic-messages', { max_tokens: 1, model: 'm' }),
    );
    expect(interactionKey('anthropic-messages', { model: 'm' })).not.toBe(
      interactionKey('openai-chat-completions', { model: 'm' }),
    );
    const texts: Record<string, string> = {};
    const request = { system: [{ text: SYSTEM }], short: 'короткий' };
    expect(restoreTexts(shareTexts(request, texts), texts)).toEqual(request);
  });

  it('runs live with a key, replays without one, and records only when asked', () => {
    expect(trafficModeFor('claude', {}, { ANTHROPIC_API_KEY: 'sk' })).toBe('live');
    expect(trafficModeFor('claude', {}, {})).toBe('replay');
    expect(trafficModeFor('claude', { replay: true }, { ANTHROPIC_API_KEY: 'sk' })).toBe('replay');
    expect(trafficModeFor('claude', { record: true, simulate: true }, {})).toBe('record');
    expect(() => trafficModeFor('claude', { record: true }, {})).toThrow(/ANTHROPIC_API_KEY/u);
    expect(() => trafficModeFor('openai-compatible', { record: true }, {})).toThrow(
      /NAPARNIK_OPENAI_BASE_URL/u,
    );
    expect(() => trafficModeFor('claude', { simulate: true }, {})).toThrow(/--record/u);
    expect(
      trafficModeFor(
        'openai-compatible',
        {},
        { NAPARNIK_OPENAI_BASE_URL: 'http://llm', NAPARNIK_OPENAI_MODEL: 'q' },
      ),
    ).toBe('live');
  });
});
