import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { requirePermission } from '../auth/authenticate.ts';
import { saveFaqEntry } from '../console/faq-entries.ts';
import { editPatterns, historyForEntry, offlineFaqDraft } from '../console/knowledge-gaps.ts';
import {
  type EditPatternsResponse,
  type FaqDraftResponse,
  faqDraftRequestSchema,
  faqSaveRequestSchema,
  type GapPeriodQuery,
  gapPeriodQuerySchema,
  type KnowledgeGapsResponse,
  knowledgeGapsQuerySchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { GapSignalFilter, GapSignalStore } from '../feedback/gap-signals.ts';
import { draftFaqFromAnswersWithModel } from '../models/faq-from-answers-with-model.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, parseQuery, requestLogger } from './http.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/**
 * Knowledge gaps and operator edits for knowledge managers (issue 12): what customers ask that the
 * knowledge base does not answer, an FAQ entry drafted from what operators sent, saved through the
 * ingest library; and documents whose suggestions operators keep rewriting the same way.
 */
export function knowledgeGapRoutes(context: RouteContext): Router {
  const router = Router();
  router.use(['/knowledge-gaps', '/operator-edits'], requirePermission('knowledge:write'));

  const signals = (): GapSignalStore => {
    if (!context.gapSignals)
      throw new ServiceError('not-ready', 'This service keeps no feedback to read gaps from.');
    return context.gapSignals;
  };
  const period = (query: GapPeriodQuery): GapSignalFilter & { fromMs: number; toMs: number } => {
    const toMs = query.to ? Date.parse(query.to) : context.clock.now().getTime();
    const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_DAYS * DAY_MS;
    if (fromMs >= toMs) throw new ServiceError('invalid-request', '"from" must be before "to".');
    if (toMs - fromMs > MAX_DAYS * DAY_MS) {
      throw new ServiceError('invalid-request', `The period may span at most ${MAX_DAYS} days.`);
    }
    return {
      fromMs,
      toMs,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      ...(query.collection ? { collection: query.collection } : {}),
    };
  };
  // Recomputed only when the period's signals changed, whichever replica wrote them (decision 0022).
  const clustered = (tenant: string, filter: GapSignalFilter, query: GapPeriodQuery) =>
    context.gapClusters.clusters(
      signals(),
      tenant,
      filter,
      query.from || query.to ? `${query.from ?? ''}/${query.to ?? ''}` : 'recent',
    );

  router.get('/knowledge-gaps', async (request, response) => {
    const query = parseQuery(knowledgeGapsQuerySchema, request.query);
    const filter = period(query);
    const { items, clusters, clusteringMs, cached } = await clustered(
      tenantScope(response).tenant,
      filter,
      query,
    );
    requestLogger(response).info(
      { records: items.length, clusters: clusters.length, clusteringMs, cached },
      'knowledge gaps',
    );
    const body: KnowledgeGapsResponse = {
      from: filter.from,
      to: filter.to,
      records: items.length,
      total: clusters.length,
      clusters: clusters.slice(0, query.limit),
      clusteringMs,
      cached,
    };
    response.json(body);
  });

  router.post('/knowledge-gaps/:clusterId/draft', async (request, response) => {
    const body = parseBody(faqDraftRequestSchema, request.body ?? {});
    const clusterId = String(request.params.clusterId ?? '');
    const filter = period(body);
    const { clusters, members } = await clustered(tenantScope(response).tenant, filter, body);
    const cluster = clusters.find((candidate) => candidate.id === clusterId);
    if (!cluster) {
      throw new ServiceError(
        'not-found',
        `No knowledge gap cluster "${clusterId}" in this period; reload the list.`,
      );
    }
    const offline = offlineFaqDraft(cluster, members.get(clusterId) ?? []);
    if (!offline) {
      throw new ServiceError(
        'invalid-request',
        'Operators have sent no reply in this cluster yet: there is nothing to draft an entry from.',
      );
    }
    const { pairs, ...draft } = offline;
    let result: FaqDraftResponse = { clusterId, engine: 'offline', ...draft };
    const model = context.faqModel;
    if (model && body.useModel) {
      try {
        const drafted = await draftFaqFromAnswersWithModel(
          { pairs, language: draft.language },
          { ...model.task, signal: AbortSignal.timeout(60_000) },
        );
        result = {
          clusterId,
          engine: model.id,
          promptId: drafted.promptId,
          question: drafted.entry.question,
          variants: drafted.entry.variants,
          answer: drafted.entry.answer,
          basedOn: drafted.entry.basedOn.length,
          answersAvailable: draft.answersAvailable,
          conflicts: drafted.entry.conflicts,
          personalData: drafted.personalData,
          language: draft.language,
        };
      } catch (error) {
        // The offline draft stands: the operators' own answer, said to be one.
        const reason = (error as { code?: string }).code ?? 'model-failed';
        requestLogger(response).warn({ clusterId, reason }, 'FAQ draft with a model failed; offline draft');
        result = { ...result, degraded: { reason } };
      }
    }
    requestLogger(response).info(
      { clusterId, engine: result.engine, answers: draft.answersAvailable },
      'FAQ drafted',
    );
    response.json(result);
  });

  router.post('/knowledge-gaps/faq', async (request, response) => {
    const body = parseBody(faqSaveRequestSchema, request.body);
    const scope = tenantScope(response);
    const knowledge = requireKnowledge(scope.knowledge);
    const saved = await saveFaqEntry(context.knowledgeFiles(scope.tenant), knowledge, body);
    if (body.fromCluster) {
      const { clusterId, ...query } = body.fromCluster;
      const { members } = await clustered(scope.tenant, period(query), query);
      const history = historyForEntry(members.get(clusterId) ?? [], saved.collection, saved.documentId);
      if (history.length > 0) await knowledge.store.addHistory(saved.collection, history);
      saved.historyLinked = history.length;
    }
    requestLogger(response).info(
      {
        collection: saved.collection,
        documentId: saved.documentId,
        appended: saved.appended,
        historyLinked: saved.historyLinked,
      },
      'FAQ entry saved from a knowledge gap',
    );
    response.status(201).json(saved);
  });

  router.get('/operator-edits', async (request, response) => {
    const query = parseQuery(gapPeriodQuerySchema, request.query);
    const filter = period(query);
    const outcomes = await signals().listOutcomes(tenantScope(response).tenant, filter);
    const body: EditPatternsResponse = { from: filter.from, to: filter.to, patterns: editPatterns(outcomes) };
    response.json(body);
  });

  return router;
}
