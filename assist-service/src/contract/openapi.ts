import { z } from 'zod';
import { assistRequestSchema, assistResponseSchema } from './assist.ts';
import { checkDraftRequestSchema, checkDraftResponseSchema } from './check-draft.ts';
import {
  funnelResponseSchema,
  funnelSuggestionsResponseSchema,
  knowledgeDocumentDetailSchema,
  knowledgeDocumentsResponseSchema,
} from './console.ts';
import { errorBodySchema } from './errors.ts';
import { feedbackEventSchema, feedbackEventsResponseSchema, feedbackResponseSchema } from './feedback.ts';
import {
  publishedRecipeSchema,
  recipeListResponseSchema,
  recipeSchema,
  recipeVersionsResponseSchema,
  recipeWithdrawResponseSchema,
} from './recipes.ts';
import { rewriteRequestSchema, rewriteResponseSchema } from './rewrite.ts';
import { searchRequestSchema, searchResponseSchema } from './search.ts';
import { collectionsResponseSchema, healthResponseSchema, readyResponseSchema } from './service.ts';
import { assistEventSchema } from './stream.ts';
import { usageResponseSchema } from './usage.ts';

type JsonObject = Record<string, unknown>;

const COMPONENTS = {
  AssistRequest: { schema: assistRequestSchema, io: 'input' },
  AssistResponse: { schema: assistResponseSchema, io: 'output' },
  AssistEvent: { schema: assistEventSchema, io: 'output' },
  SearchRequest: { schema: searchRequestSchema, io: 'input' },
  SearchResponse: { schema: searchResponseSchema, io: 'output' },
  CheckDraftRequest: { schema: checkDraftRequestSchema, io: 'input' },
  CheckDraftResponse: { schema: checkDraftResponseSchema, io: 'output' },
  RewriteRequest: { schema: rewriteRequestSchema, io: 'input' },
  RewriteResponse: { schema: rewriteResponseSchema, io: 'output' },
  FeedbackEvent: { schema: feedbackEventSchema, io: 'input' },
  FeedbackResponse: { schema: feedbackResponseSchema, io: 'output' },
  FeedbackEventsResponse: { schema: feedbackEventsResponseSchema, io: 'output' },
  HealthResponse: { schema: healthResponseSchema, io: 'output' },
  ReadyResponse: { schema: readyResponseSchema, io: 'output' },
  CollectionsResponse: { schema: collectionsResponseSchema, io: 'output' },
  Recipe: { schema: recipeSchema, io: 'input' },
  PublishedRecipe: { schema: publishedRecipeSchema, io: 'output' },
  RecipeListResponse: { schema: recipeListResponseSchema, io: 'output' },
  RecipeVersionsResponse: { schema: recipeVersionsResponseSchema, io: 'output' },
  RecipeWithdrawResponse: { schema: recipeWithdrawResponseSchema, io: 'output' },
  KnowledgeDocumentsResponse: { schema: knowledgeDocumentsResponseSchema, io: 'output' },
  KnowledgeDocumentDetail: { schema: knowledgeDocumentDetailSchema, io: 'output' },
  FunnelResponse: { schema: funnelResponseSchema, io: 'output' },
  FunnelSuggestionsResponse: { schema: funnelSuggestionsResponseSchema, io: 'output' },
  UsageResponse: { schema: usageResponseSchema, io: 'output' },
  Error: { schema: errorBodySchema, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;

type ComponentName = keyof typeof COMPONENTS;

function ref(name: ComponentName): JsonObject {
  return { $ref: `#/components/schemas/${name}` };
}

function json(name: ComponentName, description: string): JsonObject {
  return { description, content: { 'application/json': { schema: ref(name) } } };
}

const errorResponses = (...statuses: number[]): JsonObject =>
  Object.fromEntries(
    statuses.map((status) => [String(status), json('Error', ERROR_DESCRIPTIONS[status] ?? 'Error')]),
  );

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid JSON or a body that does not match the schema (`issues` lists the field paths).',
  404: 'Unknown collection or suggestion set.',
  413: 'The body is larger than the configured limit.',
  415: 'The body is not JSON.',
  503: 'The knowledge base is not open yet; retry after `Retry-After` seconds.',
};

function post(summary: string, request: ComponentName, response: ComponentName, extra: JsonObject = {}) {
  return {
    post: {
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: ref(request) } } },
      responses: { '200': json(response, 'OK'), ...errorResponses(400, 404, 413, 415, 503), ...extra },
    },
  };
}

/** The OpenAPI 3.1 document of the v1 contract, generated from the zod schemas. */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string }): JsonObject {
  const schemas = Object.fromEntries(
    Object.entries(COMPONENTS).map(([name, { schema, io }]) => {
      const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      return [name, jsonSchema];
    }),
  );
  const assist = post(
    'Suggestions, summary and next actions for a conversation',
    'AssistRequest',
    'AssistResponse',
  );
  assist.post.responses['200'] = {
    description:
      'JSON by default; with `Accept: text/event-stream` the same as Server-Sent Events ' +
      '(`retrieval`, `suggestion-delta`, `suggestion-restart` (clear the text streamed so far), `suggestion-done`, `summary`, `next-actions`, `done`, `error`), ' +
      'each `data:` line one AssistEvent.',
    content: {
      'application/json': { schema: ref('AssistResponse') },
      'text/event-stream': { schema: ref('AssistEvent') },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Naparnik assist service',
      version: options.version,
      description:
        'Reply suggestions, summaries, next actions, draft checks and feedback for support operators.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths: {
      '/v1/assist': assist,
      '/v1/search': post('Knowledge search (the panel search box)', 'SearchRequest', 'SearchResponse'),
      '/v1/check-draft': post(
        "Check an operator's draft against the team's script",
        'CheckDraftRequest',
        'CheckDraftResponse',
      ),
      '/v1/rewrite': post(
        'Rewrite a text shorter, friendlier or more formal (the styles `GET /v1/ready` lists in `capabilities.rewrite`)',
        'RewriteRequest',
        'RewriteResponse',
      ),
      '/v1/feedback': post(
        'Record what the operator did with a suggestion (idempotent on eventId)',
        'FeedbackEvent',
        'FeedbackResponse',
      ),
      '/v1/feedback/events': {
        get: {
          summary: 'Recorded feedback events, oldest first (query: suggestionSetId, limit ≤ 1000)',
          responses: { '200': json('FeedbackEventsResponse', 'OK'), ...errorResponses(400) },
        },
      },
      '/v1/health': {
        get: { summary: 'The process is alive', responses: { '200': json('HealthResponse', 'OK') } },
      },
      '/v1/ready': {
        get: {
          summary: 'The stores are open and the knowledge base is loaded',
          responses: { '200': json('ReadyResponse', 'Ready'), ...errorResponses(503) },
        },
      },
      '/v1/collections': {
        get: {
          summary: 'Knowledge base collections with their statistics',
          responses: { '200': json('CollectionsResponse', 'OK'), ...errorResponses(503) },
        },
      },
      '/v1/recipes': {
        get: {
          summary: 'Published page recipes: the latest of every domain (query: domain)',
          responses: { '200': json('RecipeListResponse', 'OK'), ...errorResponses(400) },
        },
      },
      '/v1/recipes/{domain}': {
        get: {
          summary: "A domain's latest recipe; ETag, If-None-Match answers 304",
          responses: {
            '200': json('PublishedRecipe', 'OK'),
            '304': { description: 'Unchanged since the ETag sent in If-None-Match' },
            ...errorResponses(400, 404),
          },
        },
        put: {
          summary:
            'Publish a new version (Authorization: Bearer <ASSIST_ADMIN_TOKEN> when the service sets one)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('Recipe') } } },
          responses: {
            '201': json('PublishedRecipe', 'Published'),
            '401': json('Error', 'No admin token sent'),
            '403': json('Error', 'Wrong admin token'),
            '409': json('Error', 'The version is not above the stored one (the message names both)'),
            ...errorResponses(400),
          },
        },
        delete: {
          summary: "Withdraw a domain's recipe (the history is kept)",
          responses: {
            '200': json('RecipeWithdrawResponse', 'Withdrawn'),
            '401': json('Error', 'No admin token sent'),
            '403': json('Error', 'Wrong admin token'),
            ...errorResponses(404),
          },
        },
      },
      '/v1/recipes/{domain}/versions': {
        get: {
          summary: 'Every published version of a domain, newest first',
          responses: { '200': json('RecipeVersionsResponse', 'OK'), ...errorResponses(404) },
        },
      },
      ...CONSOLE_PATHS,
      '/v1/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
    components: { schemas },
  };
}

const LOOPBACK_NOTE = ' Loopback only until roles arrive (403 from anywhere else).';
const FUNNEL_QUERY =
  'Query: bucket (15m | hour | day | week), from, to (ISO), offsetMinutes (east of UTC), operator, collection, engine.';

/** The console's APIs (issue 12): what a collection holds and the suggestion funnel. */
const CONSOLE_PATHS: JsonObject = {
  '/v1/collections/{collection}/documents': {
    get: {
      summary: `A collection's documents: source, kind, language, chunks, last ingested, status.${LOOPBACK_NOTE}`,
      responses: { '200': json('KnowledgeDocumentsResponse', 'OK'), ...errorResponses(400, 404, 503) },
    },
  },
  '/v1/collections/{collection}/documents/{documentId}': {
    get: {
      summary: `One document and its chunks, in order.${LOOPBACK_NOTE}`,
      responses: { '200': json('KnowledgeDocumentDetail', 'OK'), ...errorResponses(400, 404, 503) },
    },
  },
  '/v1/analytics/funnel': {
    get: {
      summary: `Suggestions shown → inserted → sent as is / sent edited / dismissed, per bucket, with rates and dismissal reasons. ${FUNNEL_QUERY}${LOOPBACK_NOTE}`,
      responses: { '200': json('FunnelResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/funnel.csv': {
    get: {
      summary: `The funnel table as CSV. ${FUNNEL_QUERY} Also encoding (utf-8 | cp1251: \`;\` and decimal commas for a Russian Excel) and language (ru | en).${LOOPBACK_NOTE}`,
      responses: {
        '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        ...errorResponses(400),
      },
    },
  },
  '/v1/analytics/funnel/suggestions': {
    get: {
      summary: `The suggestions behind a funnel number, newest first. ${FUNNEL_QUERY} Also stage (shown | inserted | sent-as-is | sent-edited | dismissed) and limit.${LOOPBACK_NOTE}`,
      responses: { '200': json('FunnelSuggestionsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/usage': {
    get: {
      summary: `What drafting with a model cost: tokens in and out, cache reads and writes, and US dollars per UTC day, engine and model, with totals. Query: from, to (YYYY-MM-DD, both included; default the last 30 days; at most 366 days).${LOOPBACK_NOTE}`,
      responses: { '200': json('UsageResponse', 'OK'), ...errorResponses(400) },
    },
  },
};
