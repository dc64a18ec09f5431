import { type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal, requirePermission } from '../auth/authenticate.ts';
import {
  type Actor,
  approveVersionRequestSchema,
  type DocumentEdit,
  type KnowledgeVersion,
  knowledgeDocumentParamsSchema,
  type PreviewResponse,
  previewRequestSchema,
  type ReviewQueueResponse,
  type ReviewSettings,
  reviewDecisionRequestSchema,
  reviewFlagRequestSchema,
  reviewSettingsRequestSchema,
  type SaveContentResponse,
  saveContentRequestSchema,
  type ValidateContentResponse,
  type VersionsResponse,
  validateContentRequestSchema,
  versionParamsSchema,
} from '../contract/index.ts';
import { previewDocument } from '../knowledge-edits/preview.ts';
import type { DocumentKey } from '../knowledge-edits/version-store.ts';
import { requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, parseQuery, requestLogger } from './http.ts';

const DOCUMENT = '/collections/:collection/documents/:documentId';
const VERSION = `${DOCUMENT}/versions/:version`;

/** The version as clients see it: the store's content hash is bookkeeping. */
function visible(version: KnowledgeVersion & { contentHash?: string }): KnowledgeVersion {
  const { contentHash: _hash, ...rest } = version;
  return rest;
}

/**
 * Edit a template, FAQ entry, script step or routing rule in place; every version kept with who,
 * when and from which file; rollback; review before serving (issue 12, provenance from issue 13).
 * Reading needs the knowledge manager's role too: the history names people and holds drafts.
 */
export function knowledgeEditRoutes(context: RouteContext): Router {
  const router = Router();
  const edits = context.knowledgeEdits;
  const mayWrite = requirePermission('knowledge:write');
  const keyOf = (request: { params: unknown }, response: Response): DocumentKey => {
    const { collection, documentId } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    return { tenant: tenantScope(response).tenant, collection, documentId: documentId ?? '' };
  };
  const knowledgeOf = (response: Response) => requireKnowledge(tenantScope(response).knowledge);
  const actorOf = (response: Response): Actor => {
    const caller = principal(response);
    return { name: caller.name, role: caller.role };
  };

  router.get(`${DOCUMENT}/edit`, mayWrite, async (request, response) => {
    const body: DocumentEdit = await edits.editable(knowledgeOf(response), keyOf(request, response));
    response.json(body);
  });

  router.post(`${DOCUMENT}/validate`, mayWrite, async (request, response) => {
    const { content } = parseBody(validateContentRequestSchema, request.body);
    const body: ValidateContentResponse = await edits.validate(
      knowledgeOf(response),
      keyOf(request, response),
      content,
    );
    response.json(body);
  });

  router.post(`${DOCUMENT}/preview`, mayWrite, async (request, response) => {
    const { content, messages, customer } = parseBody(previewRequestSchema, request.body);
    const document = await edits.parse(knowledgeOf(response), keyOf(request, response), content);
    const body: PreviewResponse = previewDocument(
      document,
      { messages, ...(customer ? { customer } : {}) },
      context.clock.now(),
    );
    response.json(body);
  });

  router.put(`${DOCUMENT}/content`, mayWrite, async (request, response) => {
    const { content, note } = parseBody(saveContentRequestSchema, request.body);
    const key = keyOf(request, response);
    const result = await edits.save(knowledgeOf(response), key, content, actorOf(response), note);
    requestLogger(response).info(
      { collection: key.collection, version: result.version.version, served: result.served },
      'knowledge document edited',
    );
    const body: SaveContentResponse = { ...result, version: visible(result.version) };
    response.status(result.served ? 200 : 202).json(body);
  });

  router.get(`${DOCUMENT}/versions`, mayWrite, async (request, response) => {
    const key = keyOf(request, response);
    const versions = await edits.history(knowledgeOf(response), key);
    const body: VersionsResponse = {
      collection: key.collection,
      documentId: key.documentId,
      versions: versions.map(visible),
    };
    response.json(body);
  });

  const versionOf = (request: { params: unknown }, response: Response) => {
    const { collection, documentId, version } = parseQuery(versionParamsSchema, request.params);
    return { key: { tenant: tenantScope(response).tenant, collection, documentId }, version };
  };

  router.post(`${VERSION}/rollback`, mayWrite, async (request, response) => {
    const { key, version } = versionOf(request, response);
    const result = await edits.rollback(knowledgeOf(response), key, version, actorOf(response));
    requestLogger(response).info(
      { collection: key.collection, to: version, version: result.version.version, served: result.served },
      'knowledge document rolled back',
    );
    const body: SaveContentResponse = { ...result, version: visible(result.version) };
    response.status(result.served ? 200 : 202).json(body);
  });

  router.post(`${VERSION}/approve`, mayWrite, async (request, response) => {
    const { key, version } = versionOf(request, response);
    const decision = parseBody(approveVersionRequestSchema, request.body ?? {});
    const result = await edits.approve(knowledgeOf(response), key, version, actorOf(response), decision);
    requestLogger(response).info(
      { collection: key.collection, version, overridden: decision.overrideReason !== undefined },
      'knowledge version approved',
    );
    const body: SaveContentResponse = { ...result, version: visible(result.version) };
    response.json(body);
  });

  router.post(`${VERSION}/reject`, mayWrite, async (request, response) => {
    const { key, version } = versionOf(request, response);
    const { note } = parseBody(reviewDecisionRequestSchema, request.body ?? {});
    const result = await edits.reject(key, version, actorOf(response), note);
    requestLogger(response).info({ collection: key.collection, version }, 'knowledge version rejected');
    response.json(visible(result));
  });

  router.put(`${DOCUMENT}/review`, mayWrite, async (request, response) => {
    const { needsReview, note } = parseBody(reviewFlagRequestSchema, request.body);
    const flag = await edits.flag(
      knowledgeOf(response),
      keyOf(request, response),
      needsReview,
      actorOf(response),
      note,
    );
    response.json({ needsReview: flag });
  });

  router.get('/collections/:collection/review-settings', mayWrite, async (request, response) => {
    const { collection } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    await requireCollection(knowledgeOf(response), collection);
    const body: ReviewSettings = {
      collection,
      requireReview: await edits.requireReview(tenantScope(response).tenant, collection),
    };
    response.json(body);
  });

  router.put('/collections/:collection/review-settings', mayWrite, async (request, response) => {
    const { collection } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    const { requireReview } = parseBody(reviewSettingsRequestSchema, request.body);
    await requireCollection(knowledgeOf(response), collection);
    await edits.setRequireReview(tenantScope(response).tenant, collection, requireReview);
    requestLogger(response).info({ collection, requireReview }, 'review setting changed');
    const body: ReviewSettings = { collection, requireReview };
    response.json(body);
  });

  router.get('/review-queue', mayWrite, async (_request, response) => {
    const body: ReviewQueueResponse = await edits.queue(knowledgeOf(response), tenantScope(response).tenant);
    response.json(body);
  });

  return router;
}
