import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_ANTHROPIC_FAST_MODEL,
  DEFAULT_ANTHROPIC_STRONG_MODEL,
  loadConfig,
} from '../config.ts';
import { createChatModels } from './create-chat-models.ts';

describe('the models section of the service config', () => {
  it('stays offline without a key, as before', () => {
    const config = loadConfig({});
    expect(config.models.provider).toBe('offline');
    expect(createChatModels(config.models)).toBeUndefined();
    expect(config.prompts.reply).toBe('reply@v1');
  });

  it('drafts with Claude when only ANTHROPIC_API_KEY is set, with the SDK’s current fast and strong models', () => {
    const { models } = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(models).toMatchObject({
      provider: 'anthropic',
      apiKey: 'sk-ant-x',
      baseURL: undefined,
      fastModel: DEFAULT_ANTHROPIC_FAST_MODEL,
      strongModel: DEFAULT_ANTHROPIC_STRONG_MODEL,
    });
    const chatModels = createChatModels(models)!;
    expect(chatModels.fast.id).toBe(`anthropic:${DEFAULT_ANTHROPIC_FAST_MODEL}`);
    expect(chatModels.strong.id).toBe(`anthropic:${DEFAULT_ANTHROPIC_STRONG_MODEL}`);
  });

  it('passes ANTHROPIC_BASE_URL through for gateways and proxies', () => {
    const { models } = loadConfig({
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: 'https://gateway.example.ru/anthropic',
    });
    expect(models).toMatchObject({ provider: 'anthropic', baseURL: 'https://gateway.example.ru/anthropic' });
  });

  it('uses an OpenAI-compatible endpoint given its base URL and model; the strong model defaults to it', () => {
    const { models } = loadConfig({
      NAPARNIK_OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      NAPARNIK_OPENAI_MODEL: 'qwen',
    });
    expect(models).toMatchObject({ provider: 'openai-compatible', fastModel: 'qwen', strongModel: 'qwen' });
    const chatModels = createChatModels(models)!;
    expect(chatModels.strong).toBe(chatModels.fast);
  });

  it('refuses to guess between two configured providers', () => {
    expect(() =>
      loadConfig({
        ANTHROPIC_API_KEY: 'k',
        NAPARNIK_OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
        NAPARNIK_OPENAI_MODEL: 'q',
      }),
    ).toThrow(/NAPARNIK_MODEL_PROVIDER: both/);
    const chosen = loadConfig({
      NAPARNIK_MODEL_PROVIDER: 'openai-compatible',
      ANTHROPIC_API_KEY: 'k',
      NAPARNIK_OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      NAPARNIK_OPENAI_MODEL: 'q',
    });
    expect(chosen.models.provider).toBe('openai-compatible');
  });

  it('names what is missing or wrong', () => {
    expect(() => loadConfig({ NAPARNIK_MODEL_PROVIDER: 'anthropic' })).toThrow(/ANTHROPIC_API_KEY: required/);
    expect(() => loadConfig({ NAPARNIK_OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' })).toThrow(
      /NAPARNIK_OPENAI_MODEL/,
    );
    expect(() => loadConfig({ NAPARNIK_MODEL_MAX_RETRIES: '9' })).toThrow(/NAPARNIK_MODEL_MAX_RETRIES/);
    expect(() => loadConfig({ NAPARNIK_MODEL_PRICES: '{"m": {"input": -1, "output": 2}}' })).toThrow(
      /NAPARNIK_MODEL_PRICES: price table: m.input/,
    );
    expect(() =>
      loadConfig({ NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: '9000', NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: '5000' }),
    ).toThrow(ConfigError);
  });

  it('reads timeouts, retries, breaker settings and the price table', () => {
    const { models } = loadConfig({
      ANTHROPIC_API_KEY: 'k',
      NAPARNIK_MODEL_FIRST_TOKEN_TIMEOUT_MS: '2500',
      NAPARNIK_MODEL_TOTAL_TIMEOUT_MS: '8000',
      NAPARNIK_MODEL_LATENCY_BUDGET_MS: '9000',
      NAPARNIK_MODEL_MAX_RETRIES: '1',
      NAPARNIK_MODEL_BREAKER_FAILURES: '3',
      NAPARNIK_MODEL_BREAKER_OPEN_MS: '15000',
      NAPARNIK_MODEL_PRICES: '{"claude-haiku-5-5": {"input": 1, "output": 5, "cacheRead": 0.1}}',
    });
    expect(models).toMatchObject({
      firstTokenTimeoutMs: 2500,
      totalTimeoutMs: 8000,
      latencyBudgetMs: 9000,
      maxRetries: 1,
      breakerFailures: 3,
      breakerOpenMs: 15000,
      prices: { 'claude-haiku-5-5': { input: 1, output: 5, cacheRead: 0.1 } },
    });
  });

  it('prices the default models out of the box, and an override replaces one model whole', () => {
    const { models } = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(models.prices['claude-haiku-5-5']).toEqual({
      input: 0.1,
      output: 0.5,
      cacheWrite: 0.125,
      cacheRead: 0.01,
    });
    expect(models.prices['claude-sonnet-5-5']).toEqual({
      input: 2,
      output: 10,
      cacheWrite: 2.5,
      cacheRead: 0.2,
    });
    const overridden = loadConfig({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      NAPARNIK_MODEL_PRICES:
        '{"claude-haiku-5-5": {"input": 1, "output": 5}, "qwen-local": {"input": 0, "output": 0}}',
    }).models.prices;
    expect(overridden['claude-haiku-5-5']).toEqual({ input: 1, output: 5 });
    expect(overridden['qwen-local']).toEqual({ input: 0, output: 0 });
    expect(overridden['claude-sonnet-5-5']).toEqual({
      input: 2,
      output: 10,
      cacheWrite: 2.5,
      cacheRead: 0.2,
    });
  });

  it('pins prompt versions per task and rejects a pin of another task', () => {
    expect(loadConfig({ NAPARNIK_PROMPT_REWRITE: 'rewrite@v1' }).prompts.rewrite).toBe('rewrite@v1');
    expect(() => loadConfig({ NAPARNIK_PROMPT_REPLY: 'summary@v1' })).toThrow(
      /NAPARNIK_PROMPT_REPLY: must pin a "reply" prompt/,
    );
    expect(() => loadConfig({ NAPARNIK_PROMPT_SUMMARY: 'latest' })).toThrow(/NAPARNIK_PROMPT_SUMMARY/);
  });
});

describe('the models section with empty variables', () => {
  it('reads ANTHROPIC_API_KEY= (empty) as unset and stays offline', () => {
    expect(
      loadConfig({ ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '', NAPARNIK_OPENAI_BASE_URL: ' ' }).models
        .provider,
    ).toBe('offline');
  });
});
