// Rewrite with a model through the real service. The Anthropic API cannot be reached from this
// machine or CI: the real SDK talks to msw handlers written from the documented Messages API
// (src/models/test-support/model-apis.ts). The service, its stores and the route are real.
import { describe, expect, it } from 'vitest';
import { errorBodySchema, rewriteResponseSchema } from '../src/contract/index.ts';
import { useServiceWithClaude } from './model-harness.ts';

const claude = useServiceWithClaude({
  NAPARNIK_MODEL_MAX_RETRIES: '0',
  NAPARNIK_MODEL_BREAKER_FAILURES: '50',
});
const anthropic = claude.anthropic;

const DRAFT =
  'Здравствуйте! Смотрите, я вам уже писала выше, что заказ 10452378 передан в доставку, ждите, пожалуйста, курьер позвонит вам накануне.';

async function rewrite(body: Record<string, unknown>) {
  const response = await claude.service().post('/v1/rewrite', { text: DRAFT, collection: 'demo', ...body });
  return { status: response.status, body: await response.json() };
}

describe('rewriting with Claude', () => {
  it('returns the model’s friendlier text with the prompt it used, and sends the draft with its style', async () => {
    const before = anthropic.requests.length;
    anthropic.script({
      kind: 'reply',
      deltas: ['Здравствуйте! Заказ 10452378 уже передан в доставку — курьер позвонит вам накануне.'],
    });
    const { status, body } = await rewrite({ style: 'friendlier' });
    expect(status).toBe(200);
    const result = rewriteResponseSchema.parse(body);
    expect(result).toMatchObject({ engine: 'claude', style: 'friendlier', promptId: 'rewrite@v1' });
    expect(result.text).toContain('курьер позвонит вам накануне');
    expect(result.degraded).toBeUndefined();
    const sent = JSON.stringify(anthropic.requests.slice(before).at(-1)?.body);
    expect(sent).toContain('friendlier');
    expect(sent).toContain('10452378');
  });

  it('asks again when «короче» is not shorter, and rewrites offline when the model still misses the limit', async () => {
    const before = anthropic.requests.length;
    anthropic.script({ kind: 'reply', deltas: [`${DRAFT} Хорошего дня!`] });
    const result = rewriteResponseSchema.parse((await rewrite({ style: 'shorter' })).body);
    expect(anthropic.requests.length - before).toBe(2);
    expect(result.engine).toBe('offline');
    expect(result.degraded).toEqual({ reason: 'too-long', engine: 'claude' });
    // The offline rules shorten what they can; they never lengthen.
    expect(result.text.length).toBeLessThanOrEqual(DRAFT.length);
  });

  it('rewrites offline when the model brings in a number the draft did not have', async () => {
    anthropic.script({ kind: 'reply', deltas: ['Здравствуйте! Заказ 10452378 приедет 12 декабря.'] });
    const result = rewriteResponseSchema.parse((await rewrite({ style: 'formal' })).body);
    expect(result.engine).toBe('offline');
    expect(result.degraded?.reason).toBe('invented-facts');
  });

  it('fixes grammar with the model, and hands the text back untouched, saying why, when the API is overloaded', async () => {
    anthropic.script({ kind: 'reply', deltas: ['Здравствуйте! Заказ передан в доставку.'] });
    const typo = await claude.service().post('/v1/rewrite', {
      text: 'Здраствуйте! Заказ передан в даставку.',
      style: 'fix-grammar',
    });
    const fixed = rewriteResponseSchema.parse(await typo.json());
    expect(fixed).toMatchObject({ engine: 'claude', text: 'Здравствуйте! Заказ передан в доставку.' });
    anthropic.script({ kind: 'status', status: 529 });
    const response = await claude.service().post('/v1/rewrite', { text: DRAFT, style: 'fix-grammar' });
    const result = rewriteResponseSchema.parse(await response.json());
    expect(result).toMatchObject({
      engine: 'offline',
      text: DRAFT,
      degraded: { reason: 'overloaded', engine: 'claude' },
    });
  });

  it('still refuses a style nobody offers', async () => {
    const { status, body } = await rewrite({ style: 'poetic' });
    expect(status).toBe(400);
    expect(errorBodySchema.parse(body).error.code).toBe('invalid-request');
  });
});
