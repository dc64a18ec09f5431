import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistResponseSchema,
  documentEditSchema,
  errorBodySchema,
  ingestFileResultSchema,
  knowledgeDocumentsResponseSchema,
  previewResponseSchema,
  reviewQueueResponseSchema,
  saveContentResponseSchema,
  validateContentResponseSchema,
  versionsResponseSchema,
} from '../src/contract/index.ts';
import { assistBody, startTestService, type TestClient, type TestService } from './harness.ts';

/**
 * Edits in place, versions, rollback and review on a real service: the fixture knowledge base in
 * an on-disk store, versions in their SQLite file, requests made with tokens of real roles, and
 * every change checked through what operators get (`/v1/assist`) and what the console lists.
 */

const ORDER_QUESTION = 'Здравствуйте! Где мой заказ № 123456? Когда привезут заказ?';
const document = (documentId: string, suffix = '') =>
  `/v1/collections/demo/documents/${encodeURIComponent(documentId)}${suffix}`;

describe('knowledge edits, versions and review', () => {
  let service: TestService;
  let manager: TestClient;
  let reviewer: TestClient;

  const editOf = async (client: TestClient, documentId: string) =>
    documentEditSchema.parse(await (await client.get(document(documentId, '/edit'))).json());
  const versionsOf = async (documentId: string) =>
    versionsResponseSchema.parse(await (await manager.get(document(documentId, '/versions'))).json())
      .versions;
  const firstSuggestion = async () => {
    const response = await service.post(
      '/v1/assist',
      assistBody([{ role: 'customer', text: ORDER_QUESTION }]),
    );
    expect(response.status).toBe(200);
    return assistResponseSchema.parse(await response.json()).suggestions[0]!;
  };
  const documents = async () =>
    knowledgeDocumentsResponseSchema.parse(await (await service.get('/v1/collections/demo/documents')).json())
      .documents;
  const errorOf = async (response: Response) => errorBodySchema.parse(await response.json()).error;

  beforeAll(async () => {
    service = await startTestService();
    manager = await service.client({ role: 'knowledge_manager', name: 'marina' });
    reviewer = await service.client({ role: 'admin', name: 'boris' });
  });

  afterAll(async () => {
    await service.dispose();
  });

  it('opens a template as its own templates file, recorded as the first version from its file', async () => {
    const edit = await editOf(manager, 'tpl-order-status');
    expect(edit).toMatchObject({ kind: 'template', editable: true, format: 'yaml', version: 1, pending: [] });
    expect(edit.content).toMatch(/^naparnik: templates\nversion: 1\nitems:\n {2}- id: tpl-order-status\n/u);
    expect(edit.content).toContain('order_id:');
    const [first] = await versionsOf('tpl-order-status');
    expect(first).toMatchObject({
      version: 1,
      source: 'file',
      sourceFile: 'templates.yaml',
      author: null,
      status: 'served',
    });
    // The unit as stored checks as valid: what the editor opens with can be saved unchanged. Ingest's
    // warnings come along (this fixture states «передан» as done without preconditions).
    const checked = validateContentResponseSchema.parse(
      await (await manager.post(document('tpl-order-status', '/validate'), { content: edit.content })).json(),
    );
    expect(checked.valid).toBe(true);
    expect(checked.warnings).toEqual([expect.stringMatching(/states «передан» as done/u)]);
  });

  it('names the line and field of a mistake, and a save of it changes nothing', async () => {
    const edit = await editOf(manager, 'tpl-order-status');
    const broken = edit.content.replace(/^ {4}title: .*\n/mu, '');
    const checked = validateContentResponseSchema.parse(
      await (await manager.post(document('tpl-order-status', '/validate'), { content: broken })).json(),
    );
    expect(checked.valid).toBe(false);
    expect(checked.error).toMatch(/^items\[0\]\.title: Required \(line \d+\)$/u);

    const before = await documents();
    const saved = await manager.put(document('tpl-order-status', '/content'), { content: broken });
    expect(saved.status).toBe(400);
    expect((await errorOf(saved)).message).toMatch(/items\[0\]\.title: Required.*Nothing was changed\.$/u);
    const yamlError = await manager.put(document('tpl-order-status', '/content'), {
      content: edit.content.replace('title: Статус заказа в пути', 'title: [Статус'),
    });
    expect((await errorOf(yamlError)).message).toMatch(/line \d/u);
    const unmarked = await manager.post(document('tpl-order-status', '/validate'), {
      content: edit.content.replace('naparnik: templates\n', ''),
    });
    expect(validateContentResponseSchema.parse(await unmarked.json()).error).toBe(
      'line 1: a template is written as a "naparnik: templates" file; keep that first line',
    );
    const renamed = await manager.put(document('tpl-order-status', '/content'), {
      content: edit.content.replace('id: tpl-order-status', 'id: tpl-other'),
    });
    expect((await errorOf(renamed)).message).toContain('the id must stay "tpl-order-status"');
    expect(await documents()).toEqual(before);
    expect(await versionsOf('tpl-order-status')).toHaveLength(1);
  });

  it('previews the template filled from a sample conversation as the service fills it', async () => {
    const edit = await editOf(manager, 'tpl-order-status');
    const preview = previewResponseSchema.parse(
      await (
        await manager.post(document('tpl-order-status', '/preview'), {
          content: edit.content.replace('передан в службу доставки', 'уже едет к вам'),
          messages: [{ role: 'customer', text: ORDER_QUESTION }],
          customer: { name: 'Анна' },
        })
      ).json(),
    );
    expect(preview.text).toContain('Анна, ваш заказ № 123456 уже едет к вам');
    expect(preview.filledSlots).toMatchObject({ order_id: '123456', customer_name: 'Анна' });
    expect(preview.missingSlots).not.toContain('order_id');
    expect(preview.language).toBe('ru');
  });

  it('saves an edit as a new version by who made it, and operators get the new text at once', async () => {
    expect((await firstSuggestion()).text).toContain('передан в службу доставки');
    const edit = await editOf(manager, 'tpl-order-status');
    const response = await manager.put(document('tpl-order-status', '/content'), {
      content: edit.content.replace('передан в службу доставки', 'уже едет к вам'),
      note: 'новая формулировка',
    });
    expect(response.status).toBe(200);
    const saved = saveContentResponseSchema.parse(await response.json());
    expect(saved).toMatchObject({
      served: true,
      version: {
        version: 2,
        source: 'console-edit',
        sourceFile: 'console-edits/tpl-order-status.yaml',
        author: { name: 'marina', role: 'knowledge_manager' },
        note: 'новая формулировка',
        status: 'served',
      },
    });
    const suggestion = await firstSuggestion();
    expect(suggestion.citations[0]?.documentId).toBe('tpl-order-status');
    expect(suggestion.text).toContain('уже едет к вам');
    // Only the edited document moved to the edit file; its neighbours stay with templates.yaml.
    const listed = await documents();
    expect(listed.find((entry) => entry.documentId === 'tpl-order-status')?.source).toBe(
      'console-edits/tpl-order-status.yaml',
    );
    expect(listed.find((entry) => entry.documentId === 'tpl-defect')?.source).toBe('templates.yaml');
    const versions = await versionsOf('tpl-order-status');
    expect(versions.map((version) => [version.version, version.status])).toEqual([
      [2, 'served'],
      [1, 'superseded'],
    ]);
  });

  it('rolls back to an earlier version as a new version, and the old text is served again', async () => {
    const response = await manager.post(document('tpl-order-status', '/versions/1/rollback'), undefined);
    expect(response.status).toBe(200);
    const saved = saveContentResponseSchema.parse(await response.json());
    expect(saved.version).toMatchObject({ version: 3, source: 'rollback', rollbackOf: 1, status: 'served' });
    expect((await firstSuggestion()).text).toContain('передан в службу доставки');
    const versions = await versionsOf('tpl-order-status');
    expect(versions[0]?.content).toBe(versions[2]?.content);
  });

  it('edits an FAQ entry, a script step and a routing rule through the same parsers', async () => {
    const faq = await editOf(manager, 'faq-delivery-time');
    expect(faq.format).toBe('json');
    expect(JSON.parse(faq.content)).toMatchObject({
      id: 'faq-delivery-time',
      kind: 'faq',
      category: 'Доставка',
    });
    const changed = faq.content.replace('за 1–2 дня', 'за 1 день');
    expect((await manager.put(document('faq-delivery-time', '/content'), { content: changed })).status).toBe(
      200,
    );
    const search = await service.post('/v1/search', {
      collection: 'demo',
      query: 'сколько идёт доставка',
      topK: 1,
    });
    expect(JSON.stringify(await search.json())).toContain('за 1 день');

    const listed = await documents();
    const step = listed.find((entry) => entry.kind === 'script' && !entry.documentId.endsWith('/rules'));
    const rule = listed.find((entry) => entry.documentId === 'route-defect');
    for (const documentId of [step!.documentId, rule!.documentId]) {
      const edit = await editOf(manager, documentId);
      expect(edit.editable).toBe(true);
      const checked = validateContentResponseSchema.parse(
        await (await manager.post(document(documentId, '/validate'), { content: edit.content })).json(),
      );
      expect(checked).toEqual({ valid: true, warnings: [] });
    }
    const routing = await editOf(manager, 'route-defect');
    const unknown = await manager.put(document('route-defect', '/content'), {
      content: routing.content.replace('department: warranty', 'department: nowhere'),
    });
    expect((await errorOf(unknown)).message).toMatch(/rules\[0\]\.department: unknown department "nowhere"/u);
    const article = await editOf(manager, 'articles/care.md');
    expect(article).toMatchObject({ editable: false, format: 'text' });
  });

  it('holds changes for review when the collection requires it, until a reviewer approves', async () => {
    expect((await manager.put('/v1/collections/demo/review-settings', { requireReview: true })).status).toBe(
      200,
    );
    const edit = await editOf(manager, 'tpl-order-status');
    const response = await manager.put(document('tpl-order-status', '/content'), {
      content: edit.content.replace('передан в службу доставки', 'в пути'),
    });
    expect(response.status).toBe(202);
    const pending = saveContentResponseSchema.parse(await response.json());
    expect(pending).toMatchObject({ served: false, version: { version: 4, status: 'pending' } });
    // The previous version keeps being served.
    expect((await firstSuggestion()).text).toContain('передан в службу доставки');
    const queue = reviewQueueResponseSchema.parse(await (await manager.get('/v1/review-queue')).json());
    expect(queue.pending.map((version) => [version.documentId, version.version, version.title])).toEqual([
      ['tpl-order-status', 4, 'Статус заказа в пути'],
    ]);
    expect((await editOf(manager, 'tpl-order-status')).pending).toEqual([4]);

    const approved = await reviewer.post(document('tpl-order-status', '/versions/4/approve'), { note: 'ок' });
    expect(approved.status).toBe(200);
    expect(saveContentResponseSchema.parse(await approved.json()).version).toMatchObject({
      status: 'served',
      reviewedBy: { name: 'boris', role: 'admin' },
      reviewNote: 'ок',
    });
    expect((await firstSuggestion()).text).toContain('в пути');
    expect(
      reviewQueueResponseSchema.parse(await (await manager.get('/v1/review-queue')).json()).pending,
    ).toEqual([]);
    const again = await reviewer.post(document('tpl-order-status', '/versions/4/approve'), {});
    expect(again.status).toBe(409);
  });

  it('keeps a rejected version out of what is served, and flags documents for review with a note', async () => {
    const rollback = await manager.post(document('tpl-order-status', '/versions/1/rollback'), undefined);
    expect(rollback.status).toBe(202);
    const rejected = await reviewer.post(document('tpl-order-status', '/versions/5/reject'), {
      note: 'рано',
    });
    expect(rejected.status).toBe(200);
    expect((await firstSuggestion()).text).toContain('в пути');
    expect((await versionsOf('tpl-order-status'))[0]).toMatchObject({
      version: 5,
      status: 'rejected',
      reviewNote: 'рано',
    });

    const flagged = await manager.put(document('faq-return', '/review'), {
      needsReview: true,
      note: 'сроки возврата поменяются',
    });
    expect(flagged.status).toBe(200);
    const queue = reviewQueueResponseSchema.parse(await (await manager.get('/v1/review-queue')).json());
    expect(queue.flagged).toMatchObject([
      { documentId: 'faq-return', note: 'сроки возврата поменяются', flaggedBy: { name: 'marina' } },
    ]);
    expect((await editOf(manager, 'faq-return')).needsReview?.note).toBe('сроки возврата поменяются');
    await manager.put(document('faq-return', '/review'), { needsReview: false });
    expect(
      reviewQueueResponseSchema.parse(await (await manager.get('/v1/review-queue')).json()).flagged,
    ).toEqual([]);
    await manager.put('/v1/collections/demo/review-settings', { requireReview: false });
  });

  it('lets no one approve their own change; an admin may, with a reason kept in the history', async () => {
    await manager.put('/v1/collections/demo/review-settings', { requireReview: true });
    const edit = await editOf(manager, 'tpl-order-status');
    const own = await manager.put(document('tpl-order-status', '/content'), {
      content: edit.content.replace('Отследить его можно', 'Проверить его можно'),
    });
    const mine = saveContentResponseSchema.parse(await own.json()).version.version;
    // The author, a knowledge manager: refused, reason or not, and nothing is served.
    const approve = (client: TestClient, body: object) =>
      client.post(document('tpl-order-status', `/versions/${mine}/approve`), body);
    for (const body of [{}, { overrideReason: 'срочно, больше некому согласовать' }]) {
      const refused = await approve(manager, body);
      expect(refused.status).toBe(403);
      expect((await errorOf(refused)).message).toContain('согласовать её должен другой сотрудник');
    }
    expect((await versionsOf('tpl-order-status'))[0]).toMatchObject({ version: mine, status: 'pending' });
    expect(await editOf(manager, 'tpl-order-status')).toMatchObject({
      version: edit.version,
      pending: [mine],
    });
    // Another knowledge manager approves; a reason is refused when there is nothing to waive.
    const colleague = await service.client({ role: 'knowledge_manager', name: 'vera' });
    expect((await approve(colleague, { overrideReason: 'не нужна, но пусть будет' })).status).toBe(400);
    const approved = await approve(colleague, {});
    expect(approved.status).toBe(200);
    const served = saveContentResponseSchema.parse(await approved.json()).version;
    expect(served).toMatchObject({ reviewedBy: { name: 'vera' } });
    expect(served.reviewOverride).toBeUndefined();

    // An admin's own change: refused without a reason, approved with one, the reason in the history.
    const adminEdit = await reviewer.put(document('tpl-order-status', '/content'), {
      content: (await editOf(reviewer, 'tpl-order-status')).content.replace(
        'Проверить его можно',
        'Найти его можно',
      ),
    });
    const admins = saveContentResponseSchema.parse(await adminEdit.json()).version.version;
    const adminApprove = (body: object) =>
      reviewer.post(document('tpl-order-status', `/versions/${admins}/approve`), body);
    const withoutReason = await adminApprove({});
    expect(withoutReason.status).toBe(403);
    expect((await errorOf(withoutReason)).message).toContain('указав причину');
    expect((await adminApprove({ overrideReason: 'коротко' })).status).toBe(400);
    expect((await adminApprove({ overrideReason: 'ночная смена, второй менеджер в отпуске' })).status).toBe(
      200,
    );
    expect((await versionsOf('tpl-order-status'))[0]).toMatchObject({
      version: admins,
      status: 'served',
      author: { name: 'boris' },
      reviewedBy: { name: 'boris', role: 'admin' },
      reviewOverride: 'ночная смена, второй менеджер в отпуске',
    });
    const servedNow = await editOf(manager, 'tpl-order-status');
    expect(servedNow).toMatchObject({ version: admins, pending: [] });
    expect(servedNow.content).toContain('Найти его можно');
    await manager.put('/v1/collections/demo/review-settings', { requireReview: false });
  });

  it('holds an upload into a collection that requires review, and serves it once approved', async () => {
    const upload = (file: string, csv: string) =>
      fetch(`${service.url}/v1/collections/demo/files?path=${encodeURIComponent(file)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${manager.token}` },
        body: csv,
      });
    await manager.put('/v1/collections/demo/review-settings', { requireReview: true });
    const held = await upload(
      'sizes/faq.csv',
      'id;Вопрос;Ответ;Категория;Теги;Язык\nfaq-ring-size;Как узнать размер кольца?;Приходите на примерку в любой магазин.;Подбор;размер, кольцо;ru\n',
    );
    expect(held.status).toBe(202);
    const result = ingestFileResultSchema.parse(await held.json());
    expect(result).toMatchObject({ added: 0, updated: 0, pending: [{ documentId: 'faq-ring-size' }] });
    const search = async () =>
      JSON.stringify(
        await (
          await service.post('/v1/search', { collection: 'demo', query: 'как узнать размер кольца', topK: 1 })
        ).json(),
      );
    expect(await search()).not.toContain('Приходите на примерку');
    const version = result.pending?.[0]?.version ?? 0;
    expect((await versionsOf('faq-ring-size'))[0]).toMatchObject({
      version,
      status: 'pending',
      source: 'upload',
      sourceFile: 'sizes/faq.csv',
      author: { name: 'marina' },
    });
    expect((await reviewer.post(document('faq-ring-size', `/versions/${version}/approve`), {})).status).toBe(
      200,
    );
    expect(await search()).toContain('Приходите на примерку');

    // A new entry cannot wait as a version of anything: the file is refused whole.
    const fresh = await upload('new/faq.csv', 'id;Вопрос;Ответ\nfaq-brand-new;Новый вопрос?;Новый ответ.\n');
    expect(fresh.status).toBe(400);
    expect((await errorOf(fresh)).message).toContain('"faq-brand-new" cannot wait for it');
    expect((await documents()).some((entry) => entry.documentId === 'faq-brand-new')).toBe(false);
    await manager.put('/v1/collections/demo/review-settings', { requireReview: false });
  });

  it('records an upload as a version by its uploader and file', async () => {
    const csv =
      'id;Вопрос;Ответ\nfaq-return;Как вернуть украшение?;Вернуть украшение можно в течение 30 дней.\n';
    const uploaded = await fetch(
      `${service.url}/v1/collections/demo/files?path=${encodeURIComponent('returns/faq.csv')}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${manager.token}` },
        body: csv,
      },
    );
    expect(uploaded.status).toBe(200);
    expect((await versionsOf('faq-return'))[0]).toMatchObject({
      source: 'upload',
      sourceFile: 'returns/faq.csv',
      author: { name: 'marina', role: 'knowledge_manager' },
      status: 'served',
    });
  });

  it('describes every route in the OpenAPI document', async () => {
    const openApi = (await (await service.get('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/collections/{collection}/documents/{documentId}/edit',
        '/v1/collections/{collection}/documents/{documentId}/validate',
        '/v1/collections/{collection}/documents/{documentId}/preview',
        '/v1/collections/{collection}/documents/{documentId}/content',
        '/v1/collections/{collection}/documents/{documentId}/versions',
        '/v1/collections/{collection}/documents/{documentId}/versions/{version}/rollback',
        '/v1/collections/{collection}/documents/{documentId}/versions/{version}/approve',
        '/v1/collections/{collection}/documents/{documentId}/versions/{version}/reject',
        '/v1/collections/{collection}/documents/{documentId}/review',
        '/v1/collections/{collection}/review-settings',
        '/v1/review-queue',
      ]),
    );
  });

  it('lets only knowledge managers and above edit, and keeps each tenant to its own documents', async () => {
    const operator = await service.client({ role: 'operator', name: 'olga' });
    expect((await operator.get(document('tpl-order-status', '/edit'))).status).toBe(403);
    expect((await operator.put(document('tpl-order-status', '/content'), { content: 'x' })).status).toBe(403);
    expect((await operator.get('/v1/review-queue')).status).toBe(403);
    const otherTenant = await service.client({ role: 'admin', name: 'other-admin', tenant: 'tenant-b' });
    expect((await otherTenant.get(document('tpl-order-status', '/versions'))).status).toBe(404);
    expect(reviewQueueResponseSchema.parse(await (await otherTenant.get('/v1/review-queue')).json())).toEqual(
      {
        pending: [],
        flagged: [],
      },
    );
    const editsFolder = path.join(
      service.dataDir,
      'knowledge-edits',
      service.config.tenant,
      'demo',
      'console-edits',
    );
    expect(existsSync(path.join(editsFolder, 'tpl-order-status.yaml'))).toBe(true);
    expect(readFileSync(path.join(editsFolder, 'tpl-order-status.yaml'), 'utf8')).toContain('в пути');
  });
});
