import { DEMO_KB_PATHS } from '@naparnik/ingest';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { AssistEvent } from '../src/contract/index.ts';
import { ANTHROPIC_BASE_URL, anthropicApi, type ScriptedApi } from '../src/models/test-support/model-apis.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * For a test file: a real service on the demo knowledge base that drafts with Claude at the msw
 * stand-in of the Messages API (local requests, the test talking to the service, pass through),
 * with `settings` on top of a test key. Started before the file's tests, closed after.
 */
export function useServiceWithClaude(settings: Record<string, string> = {}): {
  anthropic: ScriptedApi;
  service: () => TestService;
} {
  const anthropic = anthropicApi();
  const mockApi = setupServer(anthropic.handler);
  let service: TestService | undefined;
  beforeAll(async () => {
    mockApi.listen({ onUnhandledFrame: 'bypass' });
    const modelSettings = loadConfig({
      ANTHROPIC_API_KEY: 'sk-ant-test-key-not-real',
      ANTHROPIC_BASE_URL,
      ...settings,
    });
    service = await startTestService({
      demoPaths: DEMO_KB_PATHS,
      config: { models: modelSettings.models, prompts: modelSettings.prompts },
    });
  }, 120_000);
  afterAll(async () => {
    await service?.dispose();
    mockApi.close();
  });
  return {
    anthropic,
    service: () => {
      if (!service) throw new Error('the service has not started');
      return service;
    },
  };
}

/** The events of an SSE answer of /v1/assist, in order. */
export async function readEvents(response: Response): Promise<AssistEvent[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice('data: '.length)) as AssistEvent);
}
