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

export function saveFaq(entry: FaqSaveRequest): Promise<FaqSaveResponse> {
  return request(faqSaveResponseSchema, '/v1/knowledge-gaps/faq', {
    method: 'POST',
    body: JSON.stringify(entry),
  });
}

export function getOperatorEdits(filters: GapFilters): Promise<EditPatternsResponse> {
  return request(editPatternsResponseSchema, `/v1/operator-edits?${periodQuery(filters)}`);
}
