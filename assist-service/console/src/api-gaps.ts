import {
  type EditPatternsResponse,
  editPatternsResponseSchema,
  type FaqDraftResponse,
  type FaqSaveRequest,
  type FaqSaveResponse,
  faqDraftResponseSchema,
  faqSaveResponseSchema,
  type KnowledgeGapsResponse,
  knowledgeGapsResponseSchema,
} from '@naparnik/assist-service/contract';
import { request } from './api.ts';

/** The Gaps page's period: the last N days up to now, and optionally one collection. */
export interface GapFilters {
  days: number;
  collection?: string;
}

function periodQuery(filters: GapFilters): URLSearchParams {
  const query = new URLSearchParams({ from: new Date(Date.now() - filters.days * 86_400_000).toISOString() });
  if (filters.collection) query.set('collection', filters.collection);
  return query;
}

export function getKnowledgeGaps(filters: GapFilters): Promise<KnowledgeGapsResponse> {
  return request(knowledgeGapsResponseSchema, `/v1/knowledge-gaps?${periodQuery(filters)}`);
}

export function draftFaq(clusterId: string, filters: GapFilters): Promise<FaqDraftResponse> {
  return request(faqDraftResponseSchema, `/v1/knowledge-gaps/${encodeURIComponent(clusterId)}/draft`, {
    method: 'POST',
    body: JSON.stringify(Object.fromEntries(periodQuery(filters))),
  });
}

/** Saves the entry; the cluster's replies are then learnt as history for it (`fromCluster`). */
export function saveFaq(
  entry: Omit<FaqSaveRequest, 'fromCluster'>,
  cluster: { id: string; filters: GapFilters },
): Promise<FaqSaveResponse> {
  return request(faqSaveResponseSchema, '/v1/knowledge-gaps/faq', {
    method: 'POST',
    body: JSON.stringify({
      ...entry,
      fromCluster: { clusterId: cluster.id, ...Object.fromEntries(periodQuery(cluster.filters)) },
    }),
  });
}

export function getOperatorEdits(filters: GapFilters): Promise<EditPatternsResponse> {
  return request(editPatternsResponseSchema, `/v1/operator-edits?${periodQuery(filters)}`);
}
