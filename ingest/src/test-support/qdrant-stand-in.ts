import { HttpResponse, http } from 'msw';
import { z } from 'zod';

/**
 * A local stand-in for a Qdrant server, as msw handlers: no Qdrant can run on this machine, so the
 * Qdrant adapter's tests (and the RUTUBE measurement of the service-side fusion) talk to this.
 * It is NOT Qdrant. It implements the slice of Qdrant's documented REST API the adapter uses
 * (https://api.qdrant.tech/api-reference, v1.20; shapes checked against @qdrant/js-client-rest's
 * generated OpenAPI types): collection exists/create/delete, payload indexes, upsert, delete by
 * filter, and the Query API (dense and sparse nearest, prefetch with reciprocal rank fusion,
 * query batch), with Qdrant's response envelope (`{result, status, time}`) and error JSON
 * (`{status: {error}, time}`). Its search is exact: cosine over every point the filter admits
 * (Qdrant's HNSW approximates it), sparse dot product with BM25's IDF as Qdrant's `idf` modifier
 * documents it, RRF as 1 / (k + rank counted from 0) with Qdrant's default k 2.
 * Request bodies are parsed with zod; one that does not fit gets Qdrant's 400.
 */

const sparseVector = z.object({ indices: z.array(z.number().int().min(0)), values: z.array(z.number()) });
const pointIdSchema = z.union([z.uuid(), z.number().int().min(0)]);

type FilterBody = {
  must?: ConditionBody[];
  should?: ConditionBody[];
  must_not?: ConditionBody[];
};
type ConditionBody = Record<string, unknown>;
const filterSchema: z.ZodType<FilterBody> = z.lazy(() =>
  z
    .object({
      must: z.array(conditionSchema).optional(),
      should: z.array(conditionSchema).optional(),
      must_not: z.array(conditionSchema).optional(),
    })
    .strict(),
);
const conditionSchema: z.ZodType<ConditionBody> = z.lazy(() =>
  z.union([
    z
      .object({
        key: z.string(),
        match: z
          .union([
            z.object({ value: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
            z.object({ any: z.array(z.union([z.string(), z.number()])) }).strict(),
          ])
          .optional(),
        range: z
          .object({
            gt: z.number().optional(),
            gte: z.number().optional(),
            lt: z.number().optional(),
            lte: z.number().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ is_empty: z.object({ key: z.string() }).strict() }).strict(),
    z.object({ has_id: z.array(pointIdSchema) }).strict(),
    filterSchema as z.ZodType<ConditionBody>,
  ]),
);

interface QueryBody {
  query?:
    | number[]
    | z.infer<typeof sparseVector>
    | { rrf: { k?: number; weights?: number[] } }
    | { fusion: 'rrf' };
  using?: string;
  prefetch?: QueryBody | QueryBody[];
  filter?: FilterBody;
  limit?: number;
  with_payload?: boolean | string[];
}
const querySchema: z.ZodType<QueryBody> = z.lazy(() =>
  z
    .object({
      query: z
        .union([
          z.array(z.number()),
          sparseVector,
          z.object({
            rrf: z.object({ k: z.number().int().min(0).optional(), weights: z.array(z.number()).optional() }),
          }),
          z.object({ fusion: z.literal('rrf') }),
        ])
        .optional(),
      using: z.string().optional(),
      prefetch: z.union([querySchema, z.array(querySchema)]).optional(),
      filter: filterSchema.optional(),
      limit: z.number().int().min(1).optional(),
      with_payload: z.union([z.boolean(), z.array(z.string())]).optional(),
    })
    .strict(),
);

const createCollectionSchema = z.object({
  vectors: z.record(
    z.string(),
    z.object({ size: z.number().int().min(1), distance: z.enum(['Cosine', 'Dot', 'Euclid', 'Manhattan']) }),
  ),
  sparse_vectors: z.record(z.string(), z.object({ modifier: z.enum(['idf', 'none']).optional() })).optional(),
});
const createIndexSchema = z.object({
  field_name: z.string().min(1),
  field_schema: z.union([
    z.enum(['keyword', 'integer', 'float', 'bool', 'datetime', 'uuid', 'text']),
    z.object({
      type: z.enum(['keyword', 'integer', 'float', 'datetime', 'uuid']),
      is_tenant: z.boolean().optional(),
    }),
  ]),
});
const upsertSchema = z.object({
  points: z.array(
    z.object({
      id: pointIdSchema,
      vector: z.record(z.string(), z.union([z.array(z.number()), sparseVector])),
      payload: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
const deleteSchema = z.union([
  z.object({ filter: filterSchema }).strict(),
  z.object({ points: z.array(pointIdSchema) }).strict(),
]);
const batchSchema = z.object({ searches: z.array(querySchema) });

interface StoredPoint {
  id: string | number;
  dense: Map<string, Float32Array>;
  sparse: Map<string, Map<number, number>>;
  payload: Record<string, unknown>;
}

export interface StandInCollection {
  vectors: Map<string, { size: number }>;
  sparse: Map<string, { idf: boolean }>;
  indexes: Map<string, unknown>;
  points: Map<string, StoredPoint>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/collections/x/points?wait=true`. */
  path: string;
  headers: Headers;
  body: unknown;
}

export interface QdrantStandIn {
  readonly url: string;
  readonly handlers: ReturnType<typeof http.all>[];
  readonly collections: Map<string, StandInCollection>;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Refuses requests without this `api-key` header (as a Qdrant started with an API key does); undefined: none needed. */
  requireApiKey(key: string | undefined): void;
  /** Forgets every collection and request, and the API key. */
  reset(): void;
}

const time = () => 0.000_5;
const ok = (result: unknown) => HttpResponse.json({ result, status: 'ok', time: time() });
const failure = (status: number, error: string) =>
  HttpResponse.json({ status: { error }, time: time() }, { status });
const updated = (operationId: number) => ok({ operation_id: operationId, status: 'completed' });

function payloadValues(payload: Record<string, unknown>, key: string): unknown[] {
  const value = payload[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function conditionHolds(condition: ConditionBody, point: StoredPoint): boolean {
  if ('must' in condition || 'should' in condition || 'must_not' in condition)
    return filterHolds(condition as FilterBody, point);
  if ('has_id' in condition) return (condition.has_id as Array<string | number>).includes(point.id);
  if ('is_empty' in condition)
    return payloadValues(point.payload, (condition.is_empty as { key: string }).key).length === 0;
  const { key, match, range } = condition as {
    key: string;
    match?: { value?: unknown; any?: unknown[] };
    range?: { gt?: number; gte?: number; lt?: number; lte?: number };
  };
  const values = payloadValues(point.payload, key);
  if (match && 'value' in match) return values.some((value) => value === match.value);
  if (match?.any) return values.some((value) => match.any!.includes(value));
  if (range) {
    return values.some(
      (value) =>
        typeof value === 'number' &&
        (range.gt === undefined || value > range.gt) &&
        (range.gte === undefined || value >= range.gte) &&
        (range.lt === undefined || value < range.lt) &&
        (range.lte === undefined || value <= range.lte),
    );
  }
  return false;
}

function filterHolds(filter: FilterBody | undefined, point: StoredPoint): boolean {
  if (!filter) return true;
  if (filter.must && !filter.must.every((condition) => conditionHolds(condition, point))) return false;
  if (filter.should?.length && !filter.should.some((condition) => conditionHolds(condition, point)))
    return false;
  if (filter.must_not?.some((condition) => conditionHolds(condition, point))) return false;
  return true;
}

interface Scored {
  point: StoredPoint;
  score: number;
}

class QueryError extends Error {}

function runQuery(collection: StandInCollection, query: QueryBody): Scored[] {
  const limit = query.limit ?? 10;
  const admitted = [...collection.points.values()].filter((point) => filterHolds(query.filter, point));
  const order = (scored: Scored[]) =>
    scored.sort(
      (left, right) =>
        right.score - left.score || String(left.point.id).localeCompare(String(right.point.id)),
    );
  const body = query.query;
  if (body && typeof body === 'object' && ('rrf' in body || 'fusion' in body)) {
    const prefetches = Array.isArray(query.prefetch)
      ? query.prefetch
      : query.prefetch
        ? [query.prefetch]
        : [];
    if (prefetches.length === 0)
      throw new QueryError('Wrong input: Fusion queries need at least one prefetch');
    const k = 'rrf' in body ? (body.rrf.k ?? 2) : 2;
    const weights = 'rrf' in body ? body.rrf.weights : undefined;
    if (weights && weights.length !== prefetches.length)
      throw new QueryError('Wrong input: The number of weights must match the number of prefetches');
    const scores = new Map<string, Scored>();
    prefetches.forEach((prefetch, index) => {
      runQuery(collection, prefetch).forEach((entry, rank) => {
        const key = String(entry.point.id);
        const previous = scores.get(key);
        const share = (weights?.[index] ?? 1) / (k + rank);
        scores.set(key, { point: entry.point, score: (previous?.score ?? 0) + share });
      });
    });
    return order([...scores.values()].filter((entry) => filterHolds(query.filter, entry.point))).slice(
      0,
      limit,
    );
  }
  if (Array.isArray(body)) {
    const using = query.using ?? '';
    const config = collection.vectors.get(using);
    if (!config) throw new QueryError(`Wrong input: Not existing vector name error: ${using}`);
    if (body.length !== config.size)
      throw new QueryError(
        `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${body.length}`,
      );
    const norm = Math.hypot(...body) || 1;
    return order(
      admitted.flatMap((point) => {
        const stored = point.dense.get(using);
        if (!stored) return [];
        let dot = 0;
        for (let index = 0; index < stored.length; index++) dot += stored[index]! * (body[index]! / norm);
        return [{ point, score: dot }];
      }),
    ).slice(0, limit);
  }
  if (body && 'indices' in body) {
    const using = query.using ?? '';
    const config = collection.sparse.get(using);
    if (!config) throw new QueryError(`Wrong input: Not existing vector name error: ${using}`);
    const withVector = [...collection.points.values()].filter((point) => point.sparse.has(using));
    const idf = (index: number) => {
      if (!config.idf) return 1;
      const containing = withVector.filter((point) => point.sparse.get(using)!.has(index)).length;
      return Math.log(1 + (withVector.length - containing + 0.5) / (containing + 0.5));
    };
    const weights = body.indices.map((index, position) => ({
      index,
      weight: body.values[position]! * idf(index),
    }));
    return order(
      admitted.flatMap((point) => {
        const stored = point.sparse.get(using);
        if (!stored) return [];
        let score = 0;
        let overlaps = false;
        for (const { index, weight } of weights) {
          const value = stored.get(index);
          if (value === undefined) continue;
          overlaps = true;
          score += weight * value;
        }
        return overlaps ? [{ point, score }] : [];
      }),
    ).slice(0, limit);
  }
  throw new QueryError('Wrong input: the stand-in answers nearest and fusion queries only');
}

function pointOut(entry: Scored, withPayload: QueryBody['with_payload']) {
  const payload =
    withPayload === true
      ? entry.point.payload
      : Array.isArray(withPayload)
        ? Object.fromEntries(
            withPayload
              .filter((key) => key in entry.point.payload)
              .map((key) => [key, entry.point.payload[key]]),
          )
        : null;
  return { id: entry.point.id, version: 0, score: entry.score, payload };
}

export function createQdrantStandIn(options: { url?: string } = {}): QdrantStandIn {
  let apiKey: string | undefined;
  const url = (options.url ?? 'http://qdrant.stand-in:6333').replace(/\/$/u, '');
  const collections = new Map<string, StandInCollection>();
  const requests: RecordedRequest[] = [];
  let operations = 0;

  /** Records the request, checks the API key and parses the body; a Response when it must stop there. */
  const receive = async <T>(request: Request, schema?: z.ZodType<T>): Promise<T | Response> => {
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const address = new URL(request.url);
    requests.push({
      method: request.method,
      path: address.pathname + address.search,
      headers: request.headers,
      body,
    });
    if (apiKey && request.headers.get('api-key') !== apiKey) return failure(401, 'Invalid API key or JWT');
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return failure(
        400,
        `Format error in JSON body: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
    return parsed.data;
  };
  const collectionOr404 = (name: string) =>
    collections.get(name) ?? failure(404, `Not found: Collection \`${name}\` doesn't exist!`);

  const handlers = [
    http.get(`${url}/collections/:name/exists`, async ({ request, params }) => {
      const received = await receive(request);
      if (received instanceof Response) return received;
      return ok({ exists: collections.has(String(params.name)) });
    }),
    http.put(`${url}/collections/:name`, async ({ request, params }) => {
      const body = await receive(request, createCollectionSchema);
      if (body instanceof Response) return body;
      const name = String(params.name);
      if (collections.has(name)) return failure(409, `Wrong input: Collection \`${name}\` already exists!`);
      collections.set(name, {
        vectors: new Map(Object.entries(body.vectors).map(([key, value]) => [key, { size: value.size }])),
        sparse: new Map(
          Object.entries(body.sparse_vectors ?? {}).map(([key, value]) => [
            key,
            { idf: value.modifier === 'idf' },
          ]),
        ),
        indexes: new Map(),
        points: new Map(),
      });
      return ok(true);
    }),
    http.delete(`${url}/collections/:name`, async ({ request, params }) => {
      const received = await receive(request);
      if (received instanceof Response) return received;
      return ok(collections.delete(String(params.name)));
    }),
    http.put(`${url}/collections/:name/index`, async ({ request, params }) => {
      const body = await receive(request, createIndexSchema);
      if (body instanceof Response) return body;
      const collection = collectionOr404(String(params.name));
      if (collection instanceof Response) return collection;
      collection.indexes.set(body.field_name, body.field_schema);
      return updated(++operations);
    }),
    http.put(`${url}/collections/:name/points`, async ({ request, params }) => {
      const body = await receive(request, upsertSchema);
      if (body instanceof Response) return body;
      const collection = collectionOr404(String(params.name));
      if (collection instanceof Response) return collection;
      const points: StoredPoint[] = [];
      for (const point of body.points) {
        const stored: StoredPoint = {
          id: point.id,
          dense: new Map(),
          sparse: new Map(),
          payload: point.payload ?? {},
        };
        for (const [name, vector] of Object.entries(point.vector)) {
          if (Array.isArray(vector)) {
            const config = collection.vectors.get(name);
            if (!config) return failure(400, `Wrong input: Not existing vector name error: ${name}`);
            if (vector.length !== config.size)
              return failure(
                400,
                `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${vector.length}`,
              );
            const norm = Math.hypot(...vector) || 1;
            stored.dense.set(
              name,
              Float32Array.from(vector, (value) => value / norm),
            );
          } else {
            if (!collection.sparse.has(name))
              return failure(400, `Wrong input: Not existing vector name error: ${name}`);
            stored.sparse.set(
              name,
              new Map(vector.indices.map((index, position) => [index, vector.values[position]!])),
            );
          }
        }
        points.push(stored);
      }
      // All or nothing, as Qdrant validates a request before applying it.
      for (const point of points) collection.points.set(String(point.id), point);
      return updated(++operations);
    }),
    http.post(`${url}/collections/:name/points/delete`, async ({ request, params }) => {
      const body = await receive(request, deleteSchema);
      if (body instanceof Response) return body;
      const collection = collectionOr404(String(params.name));
      if (collection instanceof Response) return collection;
      for (const [key, point] of collection.points) {
        const doomed = 'filter' in body ? filterHolds(body.filter, point) : body.points.includes(point.id);
        if (doomed) collection.points.delete(key);
      }
      return updated(++operations);
    }),
    http.post(`${url}/collections/:name/points/query/batch`, async ({ request, params }) => {
      const body = await receive(request, batchSchema);
      if (body instanceof Response) return body;
      const collection = collectionOr404(String(params.name));
      if (collection instanceof Response) return collection;
      try {
        return ok(
          body.searches.map((search) => ({
            points: runQuery(collection, search).map((entry) => pointOut(entry, search.with_payload)),
          })),
        );
      } catch (error) {
        if (error instanceof QueryError) return failure(400, error.message);
        throw error;
      }
    }),
    http.post(`${url}/collections/:name/points/query`, async ({ request, params }) => {
      const body = await receive(request, querySchema);
      if (body instanceof Response) return body;
      const collection = collectionOr404(String(params.name));
      if (collection instanceof Response) return collection;
      try {
        return ok({ points: runQuery(collection, body).map((entry) => pointOut(entry, body.with_payload)) });
      } catch (error) {
        if (error instanceof QueryError) return failure(400, error.message);
        throw error;
      }
    }),
  ];

  return {
    url,
    handlers,
    collections,
    requests,
    requireApiKey(key) {
      apiKey = key;
    },
    reset() {
      apiKey = undefined;
      collections.clear();
      requests.length = 0;
    },
  };
}
