import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assistResponseSchema } from '../src/contract/index.ts';
import { assistBody, type TestClient, type TestService } from './harness.ts';

/**
 * The main id lookups a tenant makes, each with three ids of the same shape: one of its own, one
 * of another tenant's, one that exists nowhere. Shared by the path-equality test
 * (`tenant-isolation-paths.integration.test.ts`) and `pnpm bench isolation`.
 */
export type IdKind = 'own' | 'foreign' | 'missing';

export interface TenantProbe {
  route: string;
  ids: Record<IdKind, string>;
  /** The request tenant B makes for `id`. */
  send(id: string): Promise<Response>;
}

const RECIPE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'recipes',
  'teach-desk.recipe.json',
);

async function suggestionSetOf(client: TestClient): Promise<string> {
  const response = await client.post(
    '/v1/assist',
    assistBody([{ role: 'customer', text: 'Где мой заказ 123456?' }]),
  );
  if (response.status !== 200) throw new Error(`assist answered ${response.status}`);
  return assistResponseSchema.parse(await response.json()).suggestionSetId;
}

/**
 * Tenant A (the service's default tenant, with the fixture KB) and tenant B (`tenant-b`), each
 * with a suggestion set, feedback, a knowledge document and a page recipe; the probes are B's.
 */
export async function twoTenants(service: TestService): Promise<TenantProbe[]> {
  const b = await service.client({ role: 'admin', name: 'admin-b', tenant: 'tenant-b' });
  // B's knowledge: a collection of the same name as A's, with a document id A does not have.
  const upload = await fetch(
    `${service.url}/v1/collections/demo/files?path=${encodeURIComponent('b/faq.csv')}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${b.token}` },
      body: 'id;Вопрос;Ответ\nfaq-b-delivery-01;Сколько идёт доставка?;Доставка занимает 3–5 дней.\n',
    },
  );
  if (upload.status !== 201 && upload.status !== 200) throw new Error(`B's upload answered ${upload.status}`);

  const ownSet = await suggestionSetOf(b);
  const foreignSet = await suggestionSetOf(service);
  const missingSet = randomUUID();
  for (const [client, set] of [
    [b, ownSet],
    [service, foreignSet],
  ] as const) {
    await client.post('/v1/feedback', {
      eventId: `${set}-shown`,
      type: 'suggestion-shown',
      suggestionSetId: set,
      suggestionIndex: 0,
    });
  }

  const recipe = JSON.parse(readFileSync(RECIPE, 'utf8')) as Record<string, unknown>;
  const publish = async (client: TestClient, domain: string) => {
    const response = await client.put(`/v1/recipes/${domain}`, { ...recipe, domain, version: 1 });
    if (response.status !== 201) throw new Error(`publishing ${domain} answered ${response.status}`);
  };
  await publish(b, 'desk-b.example.ru');
  await publish(service, 'desk-a.example.ru');

  const feedback = (suggestionSetId: string) =>
    b.post('/v1/feedback', {
      eventId: randomUUID(),
      type: 'suggestion-shown',
      suggestionSetId,
      suggestionIndex: 0,
    });
  return [
    {
      route: 'POST /v1/feedback (suggestion set)',
      ids: { own: ownSet, foreign: foreignSet, missing: missingSet },
      send: feedback,
    },
    {
      route: 'GET /v1/feedback/events?suggestionSetId=',
      ids: { own: ownSet, foreign: foreignSet, missing: missingSet },
      send: (id) => b.get(`/v1/feedback/events?suggestionSetId=${id}`),
    },
    {
      route: 'GET /v1/collections/demo/documents/{id}',
      // A's template and an id of the same length that no one has.
      ids: { own: 'faq-b-delivery-01', foreign: 'tpl-order-status', missing: 'tpl-order-absent' },
      send: (id) => b.get(`/v1/collections/demo/documents/${encodeURIComponent(id)}`),
    },
    {
      route: 'GET /v1/recipes/{domain}',
      ids: { own: 'desk-b.example.ru', foreign: 'desk-a.example.ru', missing: 'desk-c.example.ru' },
      send: (id) => b.get(`/v1/recipes/${id}`),
    },
  ];
}
