import { z } from 'zod';
import {
  analyticsBreakdownResponseSchema,
  analyticsDimensionsResponseSchema,
  analyticsEditingResponseSchema,
  analyticsGapsResponseSchema,
  analyticsOutcomesResponseSchema,
  analyticsRatesResponseSchema,
  analyticsReasonsResponseSchema,
  analyticsSetsResponseSchema,
} from './analytics.ts';
import { assistRequestSchema, assistResponseSchema } from './assist.ts';
import {
  sessionRequestSchema,
  sessionResponseSchema,
  tokenCreateRequestSchema,
  tokenCreateResponseSchema,
  tokenListResponseSchema,
  tokenRecordSchema,
} from './auth.ts';
import { collectionCalibrationResponseSchema } from './calibration.ts';
import { checkDraftRequestSchema, checkDraftResponseSchema } from './check-draft.ts';
import {
  documentDeleteResponseSchema,
  funnelResponseSchema,
  funnelSuggestionsResponseSchema,
  ingestFileResultSchema,
  knowledgeDocumentDetailSchema,
  knowledgeDocumentsResponseSchema,
} from './console.ts';
import { errorBodySchema } from './errors.ts';
import { feedbackEventSchema, feedbackEventsResponseSchema, feedbackResponseSchema } from './feedback.ts';
import {
  approveVersionRequestSchema,
  documentEditSchema,
  knowledgeVersionSchema,
  previewRequestSchema,
  previewResponseSchema,
  reviewDecisionRequestSchema,
  reviewFlagRequestSchema,
  reviewQueueResponseSchema,
  reviewSettingsRequestSchema,
  reviewSettingsSchema,
  saveContentRequestSchema,
  saveContentResponseSchema,
  validateContentRequestSchema,
  validateContentResponseSchema,
  versionsResponseSchema,
} from './knowledge-edits.ts';
import {
  editPatternsResponseSchema,
  faqDraftRequestSchema,
  faqDraftResponseSchema,
  faqSaveRequestSchema,
  faqSaveResponseSchema,
  knowledgeGapsResponseSchema,
} from './knowledge-gaps.ts';
import {
  erasureResponseSchema,
  retentionSettingsRequestSchema,
  retentionSettingsResponseSchema,
  subjectExportResponseSchema,
} from './privacy.ts';
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
  CollectionCalibrationResponse: { schema: collectionCalibrationResponseSchema, io: 'output' },
  KnowledgeDocumentDetail: { schema: knowledgeDocumentDetailSchema, io: 'output' },
  IngestFileResult: { schema: ingestFileResultSchema, io: 'output' },
  DocumentDeleteResponse: { schema: documentDeleteResponseSchema, io: 'output' },
  FunnelResponse: { schema: funnelResponseSchema, io: 'output' },
  FunnelSuggestionsResponse: { schema: funnelSuggestionsResponseSchema, io: 'output' },
  ErasureResponse: { schema: erasureResponseSchema, io: 'output' },
  SubjectExportResponse: { schema: subjectExportResponseSchema, io: 'output' },
  RetentionSettingsRequest: { schema: retentionSettingsRequestSchema, io: 'input' },
  RetentionSettingsResponse: { schema: retentionSettingsResponseSchema, io: 'output' },
  TokenCreateRequest: { schema: tokenCreateRequestSchema, io: 'input' },
  TokenCreateResponse: { schema: tokenCreateResponseSchema, io: 'output' },
  TokenListResponse: { schema: tokenListResponseSchema, io: 'output' },
  TokenRecord: { schema: tokenRecordSchema, io: 'output' },
  SessionRequest: { schema: sessionRequestSchema, io: 'input' },
  SessionResponse: { schema: sessionResponseSchema, io: 'output' },
  UsageResponse: { schema: usageResponseSchema, io: 'output' },
  KnowledgeGapsResponse: { schema: knowledgeGapsResponseSchema, io: 'output' },
  FaqDraftRequest: { schema: faqDraftRequestSchema, io: 'input' },
  FaqDraftResponse: { schema: faqDraftResponseSchema, io: 'output' },
  FaqSaveRequest: { schema: faqSaveRequestSchema, io: 'input' },
  FaqSaveResponse: { schema: faqSaveResponseSchema, io: 'output' },
  EditPatternsResponse: { schema: editPatternsResponseSchema, io: 'output' },
  DocumentEdit: { schema: documentEditSchema, io: 'output' },
  ValidateContentRequest: { schema: validateContentRequestSchema, io: 'input' },
  ValidateContentResponse: { schema: validateContentResponseSchema, io: 'output' },
  PreviewRequest: { schema: previewRequestSchema, io: 'input' },
  PreviewResponse: { schema: previewResponseSchema, io: 'output' },
  SaveContentRequest: { schema: saveContentRequestSchema, io: 'input' },
  SaveContentResponse: { schema: saveContentResponseSchema, io: 'output' },
  KnowledgeVersion: { schema: knowledgeVersionSchema, io: 'output' },
  VersionsResponse: { schema: versionsResponseSchema, io: 'output' },
  ReviewDecisionRequest: { schema: reviewDecisionRequestSchema, io: 'input' },
  ApproveVersionRequest: { schema: approveVersionRequestSchema, io: 'input' },
  ReviewFlagRequest: { schema: reviewFlagRequestSchema, io: 'input' },
  ReviewSettings: { schema: reviewSettingsSchema, io: 'output' },
  ReviewSettingsRequest: { schema: reviewSettingsRequestSchema, io: 'input' },
  ReviewQueueResponse: { schema: reviewQueueResponseSchema, io: 'output' },
  AnalyticsRatesResponse: { schema: analyticsRatesResponseSchema, io: 'output' },
  AnalyticsBreakdownResponse: { schema: analyticsBreakdownResponseSchema, io: 'output' },
  AnalyticsEditingResponse: { schema: analyticsEditingResponseSchema, io: 'output' },
  AnalyticsReasonsResponse: { schema: analyticsReasonsResponseSchema, io: 'output' },
  AnalyticsGapsResponse: { schema: analyticsGapsResponseSchema, io: 'output' },
  AnalyticsDimensionsResponse: { schema: analyticsDimensionsResponseSchema, io: 'output' },
  AnalyticsOutcomesResponse: { schema: analyticsOutcomesResponseSchema, io: 'output' },
  AnalyticsSetsResponse: { schema: analyticsSetsResponseSchema, io: 'output' },
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
  401: 'No token, or an unknown or revoked one (Authorization: Bearer <token>, or the console session).',
  403: "The token's role may not do this, or a console write lacks X-CSRF-Token.",
  421: 'The Host header is not a name the service is known by (NAPARNIK_ALLOWED_HOSTS).',
  429: 'Over the rate limit or quota of the token or the tenant; retry after `Retry-After` seconds.',
  404: 'Unknown collection or suggestion set.',
  413: 'The body is larger than the configured limit.',
  415: 'The body is not JSON.',
  503: 'The knowledge base is not open yet, or storage is locked, read-only or failing (`storage-unavailable`); retry after `Retry-After` seconds.',
  507: 'The disk (or EVENTS_MAX_SIZE) is full (`storage-full`): nothing was stored; retry after `Retry-After` seconds.',
};

function post(summary: string, request: ComponentName, response: ComponentName, extra: JsonObject = {}) {
  return {
    post: {
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: ref(request) } } },
      responses: {
        '200': json(response, 'OK'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 421, 429, 503),
        ...extra,
      },
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
    'Suggestions, summary and next actions for a conversation; answered only once its suggestion set is stored',
    'AssistRequest',
    'AssistResponse',
    errorResponses(507),
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
        'Reply suggestions, summaries, next actions, draft checks and feedback for support operators. ' +
        'Every route but /v1/health needs a token: `Authorization: Bearer <token>` (roles operator < ' +
        'knowledge_manager < team_lead < admin, each scoped to a tenant), or the console session cookie ' +
        'with X-CSRF-Token on writes. Bodies of writes must be application/json.',
    },
    security: [{ bearer: [] }, { consoleSession: [] }],
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
        errorResponses(507),
      ),
      '/v1/feedback/events': {
        get: {
          summary:
            'Recorded feedback events, oldest first (query: suggestionSetId, limit ≤ 1000); team_lead or above',
          responses: { '200': json('FeedbackEventsResponse', 'OK'), ...errorResponses(400, 401, 403) },
        },
      },
      '/v1/health': {
        get: {
          summary: 'The process is alive (the one route without a token)',
          security: [],
          responses: { '200': json('HealthResponse', 'OK') },
        },
      },
      ...AUTH_PATHS,
      '/v1/ready': {
        get: {
          summary: 'The stores are open and writable (a write probe) and the knowledge base is loaded',
          responses: { '200': json('ReadyResponse', 'Ready'), ...errorResponses(503, 507) },
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
          summary: 'Publish a new version (knowledge_manager or above)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('Recipe') } } },
          responses: {
            '201': json('PublishedRecipe', 'Published'),
            ...errorResponses(401, 403),
            '409': json('Error', 'The version is not above the stored one (the message names both)'),
            ...errorResponses(400),
          },
        },
        delete: {
          summary: "Withdraw a domain's recipe (the history is kept; knowledge_manager or above)",
          responses: {
            '200': json('RecipeWithdrawResponse', 'Withdrawn'),
            ...errorResponses(401, 403),
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
      ...GAP_PATHS,
      ...KNOWLEDGE_EDIT_PATHS,
      ...PRIVACY_PATHS,
      '/v1/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from `pnpm naparnik tokens create` or POST /v1/tokens',
        },
        consoleSession: { type: 'apiKey', in: 'cookie', name: 'naparnik_session' },
      },
    },
  };
}

const LEAD_NOTE = ' team_lead or above.';
const KNOWLEDGE_WRITE_NOTE = ' knowledge_manager or above.';
const FUNNEL_QUERY =
  'Query: bucket (15m | hour | day | week), from, to (ISO), offsetMinutes (east of UTC), operator, collection, engine.';

const ANALYTICS_QUERY =
  'Query: from, to (ISO; default the last 30 days, at most 400), offsetMinutes (east of UTC), and filters operator, collection, topic, channel, document, engine, promptVersion.';

/** The console's APIs (issue 12): what a collection holds and the suggestion funnel. */
const CONSOLE_PATHS: JsonObject = {
  '/v1/collections/{collection}/documents': {
    get: {
      summary: `A collection's documents: source, kind, language, chunks, last ingested, status.`,
      responses: { '200': json('KnowledgeDocumentsResponse', 'OK'), ...errorResponses(400, 404, 503) },
    },
  },
  '/v1/collections/{collection}/calibration': {
    get: {
      summary: `Which confidence model scores the collection's answers: \`fitted\` by \`pnpm naparnik calibrate\` on its history (when, on which history generation, its out-of-fold ECE and precision of "high" beside the shipped model's), \`shipped\`, or \`invalid\` (a stored fit that does not validate; the shipped model is used). The history's generation now says whether it changed since the fit.`,
      responses: { '200': json('CollectionCalibrationResponse', 'OK'), ...errorResponses(400, 404, 503) },
    },
  },
  '/v1/collections/{collection}/documents/{documentId}': {
    get: {
      summary: `One document and its chunks, in order.`,
      responses: { '200': json('KnowledgeDocumentDetail', 'OK'), ...errorResponses(400, 404, 503) },
    },
    delete: {
      summary: `Remove a document from the collection; an uploaded file that holds no other document goes too.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('DocumentDeleteResponse', 'Deleted'), ...errorResponses(400, 404, 503) },
    },
  },
  '/v1/collections/{collection}/documents/{documentId}/reingest': {
    post: {
      summary: `Read the document's source file again and ingest it (every document of that file); unchanged content is left as it is. No body.${KNOWLEDGE_WRITE_NOTE}`,
      responses: {
        '200': json('IngestFileResult', 'Ingested (counts say what changed)'),
        '400': json(
          'Error',
          'The file no longer ingests (the reason is in the message); what was stored is unchanged',
        ),
        '404': json('Error', 'Unknown collection or document, or its file is no longer on disk'),
        ...errorResponses(503),
      },
    },
  },
  '/v1/collections/{collection}/files': {
    put: {
      summary: `Upload one file into a collection (created when new) and ingest it as the CLI would. Query: path, relative with forward slashes (a dropped folder keeps its layout; documents without an id of their own are named by it). Body: the file's bytes as application/octet-stream. Uploading the same path again replaces the file; a file that fails changes nothing.${KNOWLEDGE_WRITE_NOTE}`,
      parameters: [{ name: 'path', in: 'query', required: true, schema: { type: 'string', maxLength: 300 } }],
      requestBody: {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        '201': json('IngestFileResult', 'Ingested, with new documents'),
        '200': json('IngestFileResult', 'Ingested, replacing or keeping documents the collection had'),
        '202': json(
          'IngestFileResult',
          'The collection requires review: the entries the file changes wait as pending versions (`pending`); nothing was stored or served yet',
        ),
        '400': json(
          'Error',
          'A bad path, an empty file, or a file the loaders refuse (the reason is in the message); nothing was changed',
        ),
        '413': json('Error', 'The file is larger than NAPARNIK_MAX_FILE_MB'),
        '415': json('Error', 'A file type no loader reads, or a body not sent as application/octet-stream'),
        ...errorResponses(503),
      },
    },
  },
  '/v1/analytics/funnel': {
    get: {
      summary: `Suggestions shown → inserted → sent as is / sent edited / dismissed, per bucket, with rates and dismissal reasons: five of the counts of /v1/analytics/rates (the same rollup, the same numbers). ${FUNNEL_QUERY}${LEAD_NOTE}`,
      responses: { '200': json('FunnelResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/funnel.csv': {
    get: {
      summary: `The funnel table as CSV. ${FUNNEL_QUERY} Also encoding (utf-8 | cp1251: \`;\` and decimal commas for a Russian Excel) and language (ru | en).${LEAD_NOTE}`,
      responses: {
        '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        ...errorResponses(400),
      },
    },
  },
  '/v1/analytics/funnel/suggestions': {
    get: {
      summary: `The suggestions behind a funnel number, newest first. ${FUNNEL_QUERY} Also stage (shown | inserted | sent-as-is | sent-edited | dismissed) and limit.${LEAD_NOTE}`,
      responses: { '200': json('FunnelSuggestionsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/rates': {
    get: {
      summary: `Funnel counts and rates (inserted, sent as is, sent edited, dismissed, thumbs down, fallback) per bucket, every bucket of the period. ${ANALYTICS_QUERY} Also bucket (15m | hour | day | week; default day), breakdown (a dimension: one row per bucket and each of its \`top\` busiest values, default 5).${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsRatesResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/breakdown': {
    get: {
      summary: `Funnel counts and rates per value of one dimension (required: dimension), busiest first. ${ANALYTICS_QUERY}${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsBreakdownResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/editing': {
    get: {
      summary: `Histograms with mean, p50 and p90: edit distance between the inserted suggestion and the sent text; time from the customer's message to the reply with and without an inserted suggestion; time to first suggestion. ${ANALYTICS_QUERY}${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsEditingResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/reasons': {
    get: {
      summary: `Reasons given with thumbs down and with dismissals, most frequent first. ${ANALYTICS_QUERY}${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsReasonsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/gaps': {
    get: {
      summary: `Knowledge gaps logged per bucket. Query: bucket, from, to, offsetMinutes, collection, topic.${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsGapsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/dimensions': {
    get: {
      summary: `The values each dimension takes in the period (for filter lists). ${ANALYTICS_QUERY}${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsDimensionsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/outcomes': {
    get: {
      summary: `The shown suggestions behind a number, newest first. ${ANALYTICS_QUERY} Also stage (shown | inserted | sent-as-is | sent-edited | dismissed | rated-down | degraded), measure (editDistance | replyWithSuggestion | replyWithoutSuggestion | firstSuggestion) with min and max (a histogram bin, [min, max)), reason, limit (≤ 1000).${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsOutcomesResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/sets': {
    get: {
      summary: `The suggestion sets behind a knowledge-gap count or a day's model tokens and cost, newest first. Query: behind (gaps | usage), from, to (ISO; default the last 30 days; a UTC day of usage is [day 00:00Z, next day 00:00Z)), collection and topic (gaps), engine and model (usage), limit (≤ 1000). The total is the number the figure shows for the same filters.${LEAD_NOTE}`,
      responses: { '200': json('AnalyticsSetsResponse', 'OK'), ...errorResponses(400) },
    },
  },
  '/v1/analytics/export': {
    get: {
      summary: `One analytics table as a file. Query: table (rates | breakdown | editing | reasons | gaps | usage) with the query its endpoint takes, format (csv | xlsx), encoding (CSV: utf-8 with a BOM, or cp1251 with \`;\` and decimal commas), language (ru | en).${LEAD_NOTE}`,
      responses: {
        '200': {
          description: 'CSV or XLSX',
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        ...errorResponses(400),
      },
    },
  },
  '/v1/analytics/usage': {
    get: {
      summary: `What drafting with a model cost: tokens in and out, cache reads and writes, and US dollars per UTC day, engine and model, with totals. Query: from, to (YYYY-MM-DD, both included; default the last 30 days; at most 366 days).${LEAD_NOTE}`,
      responses: { '200': json('UsageResponse', 'OK'), ...errorResponses(400) },
    },
  },
};

const GAP_PERIOD =
  'Query: from, to (ISO date-times; default the 30 days before now; at most 366 days), collection.';

/** Knowledge gaps and operator edits (issue 12): the console's Gaps page. */
const GAP_PATHS: JsonObject = {
  '/v1/knowledge-gaps': {
    get: {
      summary: `Conversations where confidence was low or operators dismissed or heavily rewrote the suggestion, clustered by the content words of the question (decision 0022), largest cluster first, with masked examples. ${GAP_PERIOD} Also limit (clusters, ≤ 500).${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('KnowledgeGapsResponse', 'OK'), ...errorResponses(400, 401, 403, 503) },
    },
  },
  '/v1/knowledge-gaps/{clusterId}/draft': {
    post: {
      summary: `Draft an FAQ entry for a cluster (same period and collection as the list) from the replies operators sent: offline, the medoid reply word for word; with a configured model, the pinned faq-from-answers prompt (the offline draft, with \`degraded\`, when the model fails).${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: { required: false, content: { 'application/json': { schema: ref('FaqDraftRequest') } } },
      responses: {
        '200': json('FaqDraftResponse', 'OK'),
        '404': json('Error', 'The period has no cluster with this id (reload the list)'),
        ...errorResponses(400, 401, 403, 503),
      },
    },
  },
  '/v1/knowledge-gaps/faq': {
    post: {
      summary: `Save an edited FAQ entry into a collection through the ingest library: a new JSON Lines document, or appended to the file of a chosen FAQ document uploaded through the console. With fromCluster, the cluster's sent replies are learnt as history for the new entry. A failed ingest changes nothing.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: { required: true, content: { 'application/json': { schema: ref('FaqSaveRequest') } } },
      responses: {
        '201': json('FaqSaveResponse', 'Saved and ingested; search finds it from now on'),
        ...errorResponses(400, 401, 403, 404, 503),
      },
    },
  },
  '/v1/operator-edits': {
    get: {
      summary: `Documents whose suggestions operators keep rewriting the same way (two or more like rewrites), with the typical rewrite (medoid) and its count. ${GAP_PERIOD}${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('EditPatternsResponse', 'OK'), ...errorResponses(400, 401, 403, 503) },
    },
  },
};

const DOCUMENT_PATH = '/v1/collections/{collection}/documents/{documentId}';
const VERSION_PATH = `${DOCUMENT_PATH}/versions/{version}`;
const body = (name: ComponentName) => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});
const SAVED = {
  '200': json('SaveContentResponse', 'Saved and served: the document was ingested again from the edit'),
  '202': json(
    'SaveContentResponse',
    'Saved as pending: the collection requires review; the previous version is still served',
  ),
};

/**
 * Edits in place, versions, rollback and review of knowledge documents (issue 12; provenance and
 * review from issue 13). Every route needs knowledge_manager or above, within the caller's tenant.
 */
const KNOWLEDGE_EDIT_PATHS: JsonObject = {
  [`${DOCUMENT_PATH}/edit`]: {
    get: {
      summary: `The document as its editable unit: a template, script step or routing rule as a one-item Naparnik YAML file, an FAQ entry as a JSON record (ingest/FORMATS.md); the served version's number, pending versions, the needs-review flag and whether the collection requires review. Articles come back as text, not editable.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('DocumentEdit', 'OK'), ...errorResponses(401, 403, 404) },
    },
  },
  [`${DOCUMENT_PATH}/validate`]: {
    post: {
      summary: `Check content with ingest's own parsers without saving; the error names the field and line (\`items[0].title: Required (line 6)\`), warnings are ingest's.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('ValidateContentRequest'),
      responses: { '200': json('ValidateContentResponse', 'Checked'), ...errorResponses(400, 401, 403, 404) },
    },
  },
  [`${DOCUMENT_PATH}/preview`]: {
    post: {
      summary: `The template (or FAQ answer) of the content with its slots filled from a sample conversation, by the assist service's own understanding and slot filling.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('PreviewRequest'),
      responses: { '200': json('PreviewResponse', 'Rendered'), ...errorResponses(400, 401, 403, 404) },
    },
  },
  [`${DOCUMENT_PATH}/content`]: {
    put: {
      summary: `Save a new version: checked, written to the collection's edit file and ingested (this document only); a failure changes nothing. Who and when come from the token.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('SaveContentRequest'),
      responses: {
        ...SAVED,
        '400': json(
          'Error',
          'The content is not a valid unit of this document (the message names field and line); nothing was changed',
        ),
        ...errorResponses(401, 403, 404, 503),
      },
    },
  },
  [`${DOCUMENT_PATH}/versions`]: {
    get: {
      summary: `Every version, newest first: content, who (token name and role; null for changes made outside the service, such as the CLI), when, source (console-edit | upload | file | rollback), the file, status (served | pending | rejected | superseded) and review.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('VersionsResponse', 'OK'), ...errorResponses(401, 403, 404) },
    },
  },
  [`${VERSION_PATH}/rollback`]: {
    post: {
      summary: `Make a copy of an earlier version the newest version (pending when the collection requires review). No body.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { ...SAVED, ...errorResponses(400, 401, 403, 404) },
    },
  },
  [`${VERSION_PATH}/approve`]: {
    post: {
      summary: `Approve a pending version: it is ingested and served; the body may carry a note. Someone other than the version's author approves it (403 for the author); an admin may approve their own change with \`overrideReason\`, recorded as the version's \`reviewOverride\`.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('ApproveVersionRequest'),
      responses: {
        '200': json('SaveContentResponse', 'Approved and served'),
        '409': json('Error', 'The version is not pending'),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  },
  [`${VERSION_PATH}/reject`]: {
    post: {
      summary: `Reject a pending version; the served one stays.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('ReviewDecisionRequest'),
      responses: {
        '200': json('KnowledgeVersion', 'Rejected'),
        '409': json('Error', 'The version is not pending'),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  },
  [`${DOCUMENT_PATH}/review`]: {
    put: {
      summary: `Mark the document as needing review (with a note), or clear the mark.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('ReviewFlagRequest'),
      responses: {
        '200': { description: '`{needsReview: flag | null}`' },
        ...errorResponses(400, 401, 403, 404),
      },
    },
  },
  '/v1/collections/{collection}/review-settings': {
    get: {
      summary: `Whether changes to the collection wait for review before they are served.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('ReviewSettings', 'OK'), ...errorResponses(401, 403, 404) },
    },
    put: {
      summary: `Turn "changes require review before they are served" on or off.${KNOWLEDGE_WRITE_NOTE}`,
      requestBody: body('ReviewSettingsRequest'),
      responses: { '200': json('ReviewSettings', 'Saved'), ...errorResponses(400, 401, 403, 404) },
    },
  },
  '/v1/review-queue': {
    get: {
      summary: `The tenant's pending versions (oldest first) and documents marked as needing review.${KNOWLEDGE_WRITE_NOTE}`,
      responses: { '200': json('ReviewQueueResponse', 'OK'), ...errorResponses(401, 403) },
    },
  },
};

const ADMIN_NOTE =
  " Admin, for the admin's own tenant: another tenant's rows are neither counted nor touched.";
const CUSTOMER_NOTE =
  ' `{id}`: any identifier the helpdesk card gave (`conversation.customer.ids`: customer id, phone, e-mail…), compared normalised as a keyed hash.';

function privacyPaths(segment: 'conversations' | 'customers', whose: string, note: string): JsonObject {
  const guarded = {
    '401': json('Error', 'No token sent'),
    '403': json('Error', 'Not an admin of this tenant'),
  };
  return {
    [`/v1/privacy/${segment}/{id}`]: {
      delete: {
        summary: `Erase everything about ${whose}: suggestion sets, feedback, knowledge gaps, learnt history (docs/personal-data.md).${note}${ADMIN_NOTE}`,
        responses: {
          '200': json('ErasureResponse', 'Erased (zeros when nothing was held)'),
          ...guarded,
          ...errorResponses(400),
        },
      },
    },
    [`/v1/privacy/${segment}/{id}/export`]: {
      get: {
        summary: `What is held about ${whose}, as stored (masked).${note}${ADMIN_NOTE}`,
        responses: { '200': json('SubjectExportResponse', 'OK'), ...guarded, ...errorResponses(400) },
      },
    },
  };
}

/** Data subject requests (issue 13): erasure and export by conversation or customer; retention per tenant. */
const PRIVACY_PATHS: JsonObject = {
  '/v1/privacy/retention': {
    get: {
      summary: `How long the tenant keeps each table (days, 0: forever): the figures in force and those its admin set over the configured policy (NAPARNIK_RETENTION_*).${ADMIN_NOTE}`,
      responses: {
        '200': json('RetentionSettingsResponse', 'OK'),
        '401': json('Error', 'No token sent'),
        '403': json('Error', 'Not an admin of this tenant'),
      },
    },
    put: {
      summary: `Sets the tenant's days per table (\`null\`: back to the configured figure); the retention job applies them at its next run.${ADMIN_NOTE}`,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('RetentionSettingsRequest') } },
      },
      responses: {
        '200': json('RetentionSettingsResponse', 'Stored; the figures now in force'),
        '401': json('Error', 'No token sent'),
        '403': json('Error', 'Not an admin of this tenant'),
        ...errorResponses(400),
      },
    },
  },
  ...privacyPaths('conversations', 'one conversation (`conversation.id` of /v1/assist)', ''),
  ...privacyPaths('customers', 'one customer', CUSTOMER_NOTE),
};

/** Tokens (admin) and the console's session (issue 13). */
const AUTH_PATHS: JsonObject = {
  '/v1/tokens': {
    get: {
      summary:
        "Tokens (never their values): the caller's tenant, or every tenant for the default tenant's admin. Admin.",
      responses: { '200': json('TokenListResponse', 'OK'), ...errorResponses(401, 403) },
    },
    post: {
      summary: 'Make a token; its value is in this answer only (only its SHA-256 is stored). Admin.',
      requestBody: { required: true, content: { 'application/json': { schema: ref('TokenCreateRequest') } } },
      responses: {
        '201': json('TokenCreateResponse', 'Created'),
        '409': json('Error', 'The tenant already has a live token with this name'),
        ...errorResponses(400, 401, 403),
      },
    },
  },
  '/v1/tokens/{idOrName}': {
    delete: {
      summary: 'Revoke a token by id or name; its requests and console sessions stop at once. Admin.',
      responses: { '200': json('TokenRecord', 'Revoked'), ...errorResponses(401, 403, 404) },
    },
  },
  '/v1/session': {
    post: {
      summary: 'Console sign-in: a token for an HttpOnly, SameSite=Strict session cookie (Secure over TLS)',
      security: [],
      requestBody: { required: true, content: { 'application/json': { schema: ref('SessionRequest') } } },
      responses: {
        '200': json('SessionResponse', 'Signed in; Set-Cookie naparnik_session'),
        ...errorResponses(400, 401),
      },
    },
    get: {
      summary: "The console session's holder and CSRF token (after a reload)",
      responses: { '200': json('SessionResponse', 'OK'), ...errorResponses(401) },
    },
    delete: {
      summary: 'Sign out: the session ends and the cookie is cleared',
      responses: { '204': { description: 'Signed out' }, ...errorResponses(401, 403) },
    },
  },
};
