import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import {
  documentDeleteResponseSchema,
  errorBodySchema,
  ingestFileResultSchema,
  knowledgeDocumentsResponseSchema,
  searchResponseSchema,
} from '../src/contract/index.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * Uploads, re-ingests and deletes on a real service: the fixture knowledge base in an on-disk
 * store, files sent as the console sends them (one PUT per file, raw bytes), the uploaded files
 * looked at on disk and the documents through the same list and search the console reads.
 */

const FAQ_CSV = [
  'id,вопрос,ответ,категория',
  'faq-engraving,Можно ли сделать гравировку на кольце?,"Да, гравировка на кольцах бесплатна, срок — 3 рабочих дня.",Услуги',
  'faq-gift-wrap,Есть ли подарочная упаковка?,"Да, подарочная коробка входит в стоимость заказа.",Услуги',
].join('\n');

const ARTICLE = [
  '# Ремонт украшений',
  '',
  'Мастерская чинит цепочки и замки за 5 рабочих дней; оценка ремонта бесплатна.',
].join('\n');

describe('console uploads, re-ingest and delete', () => {
  let service: TestService;
  let uploads: string;

  const put = (
    collection: string,
    file: string,
    body: string | Uint8Array,
    type = 'application/octet-stream',
  ) =>
    fetch(`${service.url}/v1/collections/${collection}/files?path=${encodeURIComponent(file)}`, {
      method: 'PUT',
      headers: { 'content-type': type, authorization: `Bearer ${service.token}` },
      body,
    });
  const documents = async (collection = 'demo') =>
    knowledgeDocumentsResponseSchema.parse(
      await (await service.get(`/v1/collections/${collection}/documents`)).json(),
    ).documents;
  const search = async (query: string, collection = 'demo') =>
    searchResponseSchema.parse(
      await (await service.post('/v1/search', { collection, query, topK: 3 })).json(),
    ).hits;
  const errorOf = async (response: Response) => errorBodySchema.parse(await response.json()).error;

  beforeAll(async () => {
    service = await startTestService({
      config: { knowledge: { ...loadConfig({}).knowledge, maxFileBytes: 4096 } },
    });
    uploads = path.join(service.dataDir, 'uploads', service.config.tenant);
  });

  afterAll(async () => {
    await service.dispose();
  });

  it('ingests each file of a dropped folder at its path, and search finds it', async () => {
    const faq = await put('demo', 'services/faq.csv', FAQ_CSV);
    expect(faq.status).toBe(201);
    const faqResult = ingestFileResultSchema.parse(await faq.json());
    expect(faqResult).toMatchObject({ collection: 'demo', file: 'services/faq.csv', added: 2, updated: 0 });
    expect(faqResult.documents.map((document) => document.documentId)).toEqual([
      'faq-engraving',
      'faq-gift-wrap',
    ]);

    const article = ingestFileResultSchema.parse(
      await (await put('demo', 'services/repair.md', ARTICLE)).json(),
    );
    // A document without an id of its own is named by its path in the dropped folder, as the CLI names it.
    expect(article.documents).toEqual([
      {
        documentId: 'services/repair.md',
        title: 'Ремонт украшений',
        kind: 'article',
        source: 'services/repair.md',
      },
    ]);
    expect(readFileSync(path.join(uploads, 'demo', 'services', 'repair.md'), 'utf8')).toBe(ARTICLE);

    const listed = await documents();
    expect(listed.find((document) => document.documentId === 'faq-engraving')).toMatchObject({
      source: 'services/faq.csv',
      kind: 'faq',
      chunks: 1,
      status: 'ok',
    });
    expect((await search('гравировка на кольце'))[0]?.documentId).toBe('faq-engraving');
    expect((await search('ремонт цепочки'))[0]?.documentId).toBe('services/repair.md');
  });

  it('answers 200 with nothing changed when the same file is uploaded again', async () => {
    const again = await put('demo', 'services/faq.csv', FAQ_CSV);
    expect(again.status).toBe(200);
    expect(ingestFileResultSchema.parse(await again.json())).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
    });
  });

  it('keeps the previous file and documents when a replacement fails to ingest', async () => {
    const before = await documents();
    const broken = await put('demo', 'services/faq.csv', 'id,что-то,другое\n1,2,3\n');
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).message).toMatch(/^services\/faq\.csv: .+Nothing was changed\.$/u);
    expect(readFileSync(path.join(uploads, 'demo', 'services', 'faq.csv'), 'utf8')).toBe(FAQ_CSV);
    expect(await documents()).toEqual(before);
  });

  it('leaves no file and no collection behind when the first file of a new collection fails', async () => {
    const response = await put('fresh', 'broken.pdf', 'not a pdf at all');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/^broken\.pdf: /u);
    expect(existsSync(path.join(uploads, 'fresh', 'broken.pdf'))).toBe(false);
    expect((await service.get('/v1/collections/fresh/documents')).status).toBe(404);
  });

  it('creates a collection on its first good file', async () => {
    expect((await put('fresh', 'repair.md', ARTICLE)).status).toBe(201);
    expect((await documents('fresh')).map((document) => document.documentId)).toEqual(['repair.md']);
  });

  it('refuses a bad path, type, size, body or content type before ingesting anything', async () => {
    const cases: Array<[Response, number, RegExp]> = [
      [await put('demo', '../escape.md', ARTICLE), 400, /query parameters/u],
      [await put('demo', 'a/.hidden.md', ARTICLE), 400, /query parameters/u],
      [await put('demo', 'legacy.doc', 'text'), 415, /unsupported file type "\.doc"/u],
      [await put('demo', 'big.md', 'я'.repeat(3000)), 413, /big\.md: the file is larger than the limit/u],
      [await put('demo', 'empty.md', ''), 400, /empty\.md: the file is empty/u],
      [await put('demo', 'note.md', ARTICLE, 'text/markdown'), 415, /application\/octet-stream/u],
      [await put('...', 'note.md', ARTICLE), 400, /collection named/u],
    ];
    for (const [response, status, message] of cases) {
      expect(response.status).toBe(status);
      expect((await errorOf(response)).message).toMatch(message);
    }
    expect(existsSync(path.join(service.dataDir, 'uploads', 'escape.md'))).toBe(false);
    expect(
      (await documents()).some((document) => /escape|legacy|big|empty|note/u.test(document.documentId)),
    ).toBe(false);
  });

  it('re-ingests a document from its file on disk: changes are picked up, an unchanged file is left alone', async () => {
    const reingest = (documentId: string) =>
      service.post(`/v1/collections/demo/documents/${encodeURIComponent(documentId)}/reingest`, undefined);
    const unchanged = await reingest('services/repair.md');
    expect(unchanged.status).toBe(200);
    expect(ingestFileResultSchema.parse(await unchanged.json())).toMatchObject({ unchanged: 1, updated: 0 });

    const file = path.join(uploads, 'demo', 'services', 'repair.md');
    writeFileSync(file, `${ARTICLE}\n\nСрочный ремонт браслетов — за 1 день.`);
    const changed = ingestFileResultSchema.parse(await (await reingest('services/repair.md')).json());
    expect(changed).toMatchObject({ updated: 1, file: 'services/repair.md' });
    expect((await search('срочный ремонт браслетов'))[0]?.documentId).toBe('services/repair.md');

    // The demo's own files are re-read from where the service ingested them.
    const fixture = await reingest('articles/care.md');
    expect(ingestFileResultSchema.parse(await fixture.json())).toMatchObject({ unchanged: 1 });

    expect((await reingest('no-such-document')).status).toBe(404);
  });

  it('lets only knowledge managers and above change knowledge: an operator gets 403 and nothing is stored', async () => {
    const operator = await service.client({ role: 'operator', name: 'op-uploads' });
    const response = await fetch(`${service.url}/v1/collections/demo/files?path=faq/operator.md`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${operator.token}` },
      body: '# Не должно попасть в базу',
    });
    expect(response.status).toBe(403);
    expect((await documents()).map((document) => document.documentId)).not.toContain('faq/operator.md');
    expect((await operator.delete('/v1/collections/demo/documents/faq-engraving')).status).toBe(403);
  });

  it('deletes a document, and its uploaded file once no other document comes from it', async () => {
    const remove = async (documentId: string) =>
      service.delete(`/v1/collections/demo/documents/${encodeURIComponent(documentId)}`);
    const first = await remove('faq-engraving');
    expect(documentDeleteResponseSchema.parse(await first.json())).toEqual({
      collection: 'demo',
      documentId: 'faq-engraving',
      fileRemoved: false,
    });
    expect(existsSync(path.join(uploads, 'demo', 'services', 'faq.csv'))).toBe(true);
    expect((await search('гравировка на кольце')).some((hit) => hit.documentId === 'faq-engraving')).toBe(
      false,
    );

    const last = documentDeleteResponseSchema.parse(await (await remove('faq-gift-wrap')).json());
    expect(last.fileRemoved).toBe(true);
    expect(existsSync(path.join(uploads, 'demo', 'services', 'faq.csv'))).toBe(false);
    expect((await remove('faq-gift-wrap')).status).toBe(404);

    // A document whose file is gone cannot be re-read; the message says to upload it again.
    expect((await put('demo', 'services/gone.md', ARTICLE.replace('Ремонт', 'Чистка'))).status).toBe(201);
    rmSync(path.join(uploads, 'demo', 'services', 'gone.md'));
    const missing = await service.post(
      '/v1/collections/demo/documents/services%2Fgone.md/reingest',
      undefined,
    );
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).message).toMatch(/no longer on disk; upload it again/u);
  });

  it('lists entries outside their validity window as expired or not yet valid, and search never returns them', async () => {
    const templates = [
      'naparnik: templates',
      'version: 1',
      'language: ru',
      'items:',
      '  - id: promo-past',
      '    title: Скидка на броши прошлой осенью',
      '    text: На все броши скидка 20 % по промокоду BROOCH20.',
      '    validFrom: 2020-10-01',
      '    validUntil: 2020-10-31',
      '  - id: promo-future',
      '    title: Скидка на броши в будущем',
      '    text: На все броши скидка 25 % по промокоду BROOCH25.',
      '    validFrom: 2999-01-01T00:00:00+03:00',
      '  - id: promo-now',
      '    title: Скидка на броши сейчас',
      '    text: На все броши скидка 10 % по промокоду BROOCH10.',
      '    validFrom: 2020-01-01',
      '    validUntil: 2999-12-31',
    ].join('\n');
    expect((await put('demo', 'promos.yaml', templates)).status).toBe(201);
    const listed = new Map((await documents()).map((document) => [document.documentId, document]));
    expect(listed.get('promo-past')).toMatchObject({
      status: 'expired',
      validFrom: '2020-10-01',
      validUntil: '2020-10-31',
    });
    expect(listed.get('promo-future')).toMatchObject({
      status: 'not-yet-valid',
      validFrom: '2999-01-01T00:00:00+03:00',
    });
    expect(listed.get('promo-now')?.status).toBe('ok');
    expect(listed.get('articles/care.md')).toMatchObject({ status: 'ok' });
    expect(listed.get('articles/care.md')).not.toHaveProperty('validUntil');

    const hits = await search('скидка на броши промокод');
    expect(hits.map((hit) => hit.documentId)).toContain('promo-now');
    expect(hits.map((hit) => hit.documentId)).not.toContain('promo-past');
    expect(hits.map((hit) => hit.documentId)).not.toContain('promo-future');
  });

  it('lists FAQ table rows outside their window as expired or not yet valid, as it does templates', async () => {
    const sheet = [
      'id;Вопрос;Ответ;Действует с;Действует до',
      'faq-clasp-past;Есть ли скидка на застёжки?;Скидка на застёжки 15 % по промокоду CLASP15.;01.10.2020;31.10.2020',
      'faq-clasp-future;Будет ли скидка на застёжки?;Скидка на застёжки 25 % по промокоду CLASP25.;01.01.2999 10:00;',
      'faq-clasp-now;Сколько стоит замена застёжки?;Замена застёжки стоит 500 ₽.;;31.12.2999',
    ].join('\n');
    expect((await put('demo', 'promos/clasps.csv', sheet)).status).toBe(201);
    const listed = new Map((await documents()).map((document) => [document.documentId, document]));
    expect(listed.get('faq-clasp-past')).toMatchObject({
      kind: 'faq',
      source: 'promos/clasps.csv',
      status: 'expired',
      validFrom: '2020-10-01',
      validUntil: '2020-10-31',
    });
    expect(listed.get('faq-clasp-future')).toMatchObject({
      status: 'not-yet-valid',
      validFrom: '2999-01-01T10:00:00Z',
    });
    expect(listed.get('faq-clasp-future')).not.toHaveProperty('validUntil');
    expect(listed.get('faq-clasp-now')).toMatchObject({ status: 'ok', validUntil: '2999-12-31' });
    const hits = (await search('скидка на застёжки промокод замена')).map((hit) => hit.documentId);
    expect(hits).toContain('faq-clasp-now');
    expect(hits).not.toContain('faq-clasp-past');
    expect(hits).not.toContain('faq-clasp-future');

    // A bad date refuses the new version of the sheet and keeps the stored rows and file as they were.
    const broken = sheet.replace('31.12.2999', 'завтра');
    const refused = await put('demo', 'promos/clasps.csv', broken);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toContain(
      'row 4, column "Действует до": "завтра" is not a date',
    );
    expect(readFileSync(path.join(uploads, 'demo', 'promos', 'clasps.csv'), 'utf8')).toBe(sheet);
    expect((await documents()).find((document) => document.documentId === 'faq-clasp-now')).toMatchObject({
      status: 'ok',
      validUntil: '2999-12-31',
    });
  });

  it('lists the upload, re-ingest and delete routes in the OpenAPI document', async () => {
    const openApi = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(openApi.paths['/v1/collections/{collection}/files']).toHaveProperty('put');
    expect(openApi.paths['/v1/collections/{collection}/documents/{documentId}']).toHaveProperty('delete');
    expect(openApi.paths['/v1/collections/{collection}/documents/{documentId}/reingest']).toHaveProperty(
      'post',
    );
  });
});
