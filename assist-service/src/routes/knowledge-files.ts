import path from 'node:path';
import { SUPPORTED_EXTENSIONS } from '@naparnik/ingest';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal, requirePermission } from '../auth/authenticate.ts';
import {
  type DocumentDeleteResponse,
  knowledgeDocumentParamsSchema,
  uploadQuerySchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseQuery, requestLogger } from './http.ts';

const actorOf = (response: Response) => {
  const caller = principal(response);
  return { name: caller.name, role: caller.role };
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * Uploads, re-ingests and deletes for the console's Knowledge page, through the ingest library the
 * CLI uses. One file per request, its bytes as the body: the browser reports each file's progress
 * and each file's error on its own, and one bad file never holds up the others.
 */
export function knowledgeFileRoutes(context: RouteContext): Router {
  const router = Router();
  const maxFileBytes = context.config.knowledge.maxFileBytes;
  // Each tenant's uploaded files in a folder of its own, as its collections are its own.
  const filesOf = (response: Response) => context.knowledgeFiles(tenantScope(response).tenant);
  const mayWrite = requirePermission('knowledge:write');

  /** Type and size are refused before a byte of the body is read. */
  const checkFile = (request: Request, _response: Response, next: NextFunction) => {
    const { path: file } = parseQuery(uploadQuerySchema, request.query);
    const extension = path.posix.extname(file).toLowerCase();
    if (!SUPPORTED_EXTENSIONS.has(extension)) {
      next(
        new ServiceError(
          'unsupported-media-type',
          `${file}: unsupported file type "${extension || '(none)'}" (supported: ${[...SUPPORTED_EXTENSIONS].sort().join(' ')}).`,
        ),
      );
      return;
    }
    const type = request.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/octet-stream') {
      next(new ServiceError('unsupported-media-type', 'Send the file’s bytes as application/octet-stream.'));
      return;
    }
    const length = Number(request.get('content-length') ?? Number.NaN);
    if (length > maxFileBytes) {
      next(
        new ServiceError(
          'payload-too-large',
          `${file}: the file is larger than the limit of ${megabytes(maxFileBytes)} (NAPARNIK_MAX_FILE_MB).`,
        ),
      );
      return;
    }
    next();
  };

  router.put(
    '/collections/:collection/files',
    mayWrite,
    checkFile,
    express.raw({ type: 'application/octet-stream', limit: maxFileBytes }),
    async (request, response) => {
      const { collection } = parseQuery(knowledgeDocumentParamsSchema, request.params);
      const { path: file } = parseQuery(uploadQuerySchema, request.query);
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new ServiceError('invalid-request', `${file}: the file is empty.`);
      }
      const knowledge = requireKnowledge(tenantScope(response).knowledge);
      const scope = { tenant: tenantScope(response).tenant, collection };
      if (await context.knowledgeEdits.requireReview(scope.tenant, collection)) {
        // Issue 13: a collection that requires review serves nothing of a file until it is approved.
        const held = await context.knowledgeEdits.holdUpload(knowledge, scope, file, body, actorOf(response));
        requestLogger(response).info(
          { collection, bytes: body.length, pending: held.pending?.length ?? 0 },
          'file held for review',
        );
        response.status(202).json(held);
        return;
      }
      const result = await filesOf(response).upload(knowledge, collection, file, body);
      // Provenance (issue 13): each changed document gets a version naming who uploaded which file.
      await context.knowledgeEdits.noticeUpload(
        knowledge,
        { tenant: tenantScope(response).tenant, collection },
        result.documents.map((document) => document.documentId),
        actorOf(response),
      );
      requestLogger(response).info(
        {
          collection,
          bytes: body.length,
          added: result.added,
          updated: result.updated,
          chunks: result.chunks,
        },
        'file uploaded',
      );
      response.status(result.added > 0 ? 201 : 200).json(result);
    },
  );

  router.post(
    '/collections/:collection/documents/:documentId/reingest',
    mayWrite,
    async (request, response) => {
      const { collection, documentId } = parseQuery(knowledgeDocumentParamsSchema, request.params);
      const knowledge = requireKnowledge(tenantScope(response).knowledge);
      const result = await filesOf(response).reingest(knowledge, collection, documentId ?? '');
      await context.knowledgeEdits.noticeUpload(
        knowledge,
        { tenant: tenantScope(response).tenant, collection },
        result.documents.map((document) => document.documentId),
        actorOf(response),
      );
      requestLogger(response).info(
        { collection, updated: result.updated, unchanged: result.unchanged },
        'document re-ingested',
      );
      response.json(result);
    },
  );

  router.delete('/collections/:collection/documents/:documentId', mayWrite, async (request, response) => {
    const { collection, documentId } = parseQuery(knowledgeDocumentParamsSchema, request.params);
    const knowledge = requireKnowledge(tenantScope(response).knowledge);
    const { fileRemoved } = await filesOf(response).remove(knowledge, collection, documentId ?? '');
    requestLogger(response).info({ collection, fileRemoved }, 'document deleted');
    const body: DocumentDeleteResponse = { collection, documentId: documentId ?? '', fileRemoved };
    response.json(body);
  });

  return router;
}
