import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, readyResponseSchema, rewriteResponseSchema } from '../src/contract/index.ts';
import { startTestService, type TestService } from './harness.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.dispose();
});

describe('POST /v1/rewrite over HTTP', () => {
  it('reports the rewrite styles the engine offers in /v1/ready', async () => {
    const ready = readyResponseSchema.parse(await (await service.get('/v1/ready')).json());
    expect(ready.capabilities).toEqual({ engine: 'offline', rewrite: ['shorter', 'friendlier', 'formal'] });
  });

  it("rewrites friendlier in the collection's own script, greeting the customer by name", async () => {
    const response = await service.post('/v1/rewrite', {
      text: 'Пришлите фото чека к заказу 10452378.',
      style: 'friendlier',
      collection: 'demo',
      channel: 'chat',
      customerName: 'Анна',
    });
    expect(response.status).toBe(200);
    const body = rewriteResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ style: 'friendlier', engine: 'offline', language: 'ru' });
    // The fixture script's greeting and closing, not the built-in defaults.
    expect(body.text).toBe(
      'Здравствуйте, Анна! Спасибо за обращение!\nПожалуйста, пришлите фото чека к заказу 10452378.\nЕсли появятся вопросы, пишите — мы на связи.',
    );
    expect(body.changes.find((change) => change.rule === 'closing')?.documentId).toMatch(/closing/);
  });

  it('rewrites formal and shorter without a collection', async () => {
    const formal = rewriteResponseSchema.parse(
      await (
        await service.post('/v1/rewrite', { text: 'Привет! Щас проверю твой заказ 😊', style: 'formal' })
      ).json(),
    );
    expect(formal.text).toBe('Здравствуйте! Сейчас проверю Ваш заказ.');
    const shorter = rewriteResponseSchema.parse(
      await (
        await service.post('/v1/rewrite', {
          text: 'I just wanted to let you know that your order 10452378 has shipped. I hope this helps.',
          style: 'shorter',
        })
      ).json(),
    );
    expect(shorter).toMatchObject({ language: 'en', text: 'Your order 10452378 has shipped.' });
  });

  it('answers 400 naming the field for an unknown style, 404 for an unknown collection', async () => {
    const bad = await service.post('/v1/rewrite', { text: 'Текст', style: 'poetic' });
    expect(bad.status).toBe(400);
    const error = errorBodySchema.parse(await bad.json()).error;
    expect(error.code).toBe('invalid-request');
    expect(error.issues?.map((issue) => issue.path)).toContain('style');

    const missing = await service.post('/v1/rewrite', {
      text: 'Текст',
      style: 'friendlier',
      collection: 'nope',
    });
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(await missing.json()).error.code).toBe('collection-not-found');
  });

  it('is in the OpenAPI document and never logs the text', async () => {
    const document = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths).toHaveProperty('/v1/rewrite');
    expect(document.components.schemas).toHaveProperty('RewriteRequest');
    await service.post('/v1/rewrite', {
      text: 'Уникальнаяфразадляпроверкилогов, пришлите чек',
      style: 'friendlier',
    });
    const logs = service.logs.join('');
    expect(logs).toContain('"msg":"rewrite"');
    expect(logs).not.toContain('Уникальнаяфразадляпроверкилогов');
  });
});
