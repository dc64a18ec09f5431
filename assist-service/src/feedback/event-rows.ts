import type { Suggestion } from '../contract/index.ts';
import type {
  DailyModelUsage,
  FeedbackRecord,
  KnowledgeGapRecord,
  SuggestionSetRecord,
} from './event-store.ts';
import { maskForStorage, maskOptional, maskSuggestions } from './redact-record.ts';

/**
 * Records to rows and back, for every backend of the event store: the same columns in SQLite and
 * PostgreSQL, the same masking on the way in. Parameter lists follow the column lists below.
 */
export type Row = Record<string, unknown>;

export const SET_COLUMNS = `tenant, id, collection, engine, conversation_id, channel, language, topic,
  confidence, confidence_level, suggestion_count, suggestions_json, operator_id, source_adapter,
  request_id, question, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
  cost_usd, created_at, degraded_reason, took_ms, customer_message_at`;
export const SET_COLUMN_COUNT = SET_COLUMNS.split(',').length;
export const FEEDBACK_COLUMNS = `tenant, event_id, type, suggestion_set_id, suggestion_index, rating,
  reason, final_text, operator_id, occurred_at, received_at`;
export const GAP_COLUMNS =
  'tenant, id, collection, suggestion_set_id, query, language, topic, best_score, created_at';

/** Model use per UTC day, engine and model; `:tenant`-free, the backends bind the three values. */
export const DAILY_USAGE_SELECT = `SELECT substr(created_at, 1, 10) AS day, engine, model, COUNT(*) AS sets,
    SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
    SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,
    COALESCE(SUM(cost_usd), 0) AS cost_usd, SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced
  FROM suggestion_sets`;

const WHOLE_DAY = /^\d{4}-\d{2}-\d{2}$/u;

/**
 * What a usage range is compared with: for whole days (the usage report's range), the day the
 * usage index is keyed by (SQLite migration 10, service migration 7), so a year's sets are read in
 * day, engine and model order and summed without a sort; the same rows as `created_at`, since a
 * stored time starts with its day. Any other bounds compare `created_at`.
 */
export const usageRangeColumn = (range: { from: string; to: string }) =>
  WHOLE_DAY.test(range.from) && WHOLE_DAY.test(range.to) ? 'substr(created_at, 1, 10)' : 'created_at';

const nullable = <T>(value: T | undefined): T | null => value ?? null;
const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The row of a set, masked: computed before any write lock is taken. */
export function setRow(tenant: string, set: SuggestionSetRecord): Array<string | number | null> {
  return [
    tenant,
    set.id,
    set.collection,
    set.engine,
    nullable(set.conversationId),
    set.channel,
    set.language,
    nullable(set.topic),
    set.confidence.score,
    set.confidence.level,
    set.suggestions.length,
    // Suggestions carry the customer's name and slot values filled in: masked like the question.
    JSON.stringify(maskSuggestions(set.suggestions)),
    nullable(set.operatorId),
    nullable(set.sourceAdapter),
    nullable(set.requestId),
    // Customer text is kept only masked: phones, e-mails, cards, passports become placeholders.
    maskOptional(set.question),
    nullable(set.usage?.model),
    nullable(set.usage?.inputTokens),
    nullable(set.usage?.outputTokens),
    nullable(set.usage?.cacheReadTokens),
    nullable(set.usage?.cacheWriteTokens),
    set.usage?.costUsd ?? null,
    set.createdAt,
    // What the analytics count fallbacks, reply times and time to first suggestion from (outcomes.ts).
    nullable(set.degradedReason),
    set.tookMs === undefined ? null : Math.round(set.tookMs),
    nullable(set.customerMessageAt),
  ];
}

export function feedbackRow(tenant: string, event: FeedbackRecord): Array<string | number | null> {
  return [
    tenant,
    event.eventId,
    event.type,
    event.suggestionSetId,
    event.suggestionIndex,
    nullable(event.rating),
    maskOptional(event.reason),
    maskOptional(event.finalText),
    nullable(event.operatorId),
    event.occurredAt,
    event.receivedAt,
  ];
}

export function gapRow(tenant: string, gap: KnowledgeGapRecord): Array<string | number | null> {
  return [
    tenant,
    gap.id,
    gap.collection,
    nullable(gap.suggestionSetId),
    maskForStorage(gap.query),
    gap.language,
    nullable(gap.topic),
    gap.bestScore,
    gap.createdAt,
  ];
}

export function toSet(row: Row): SuggestionSetRecord {
  return {
    id: String(row.id),
    collection: String(row.collection),
    engine: String(row.engine),
    conversationId: optionalString(row.conversation_id),
    channel: String(row.channel),
    language: String(row.language),
    topic: optionalString(row.topic),
    confidence: {
      score: Number(row.confidence),
      level: String(row.confidence_level) as SuggestionSetRecord['confidence']['level'],
    },
    suggestions: JSON.parse(String(row.suggestions_json)) as Suggestion[],
    operatorId: optionalString(row.operator_id),
    sourceAdapter: optionalString(row.source_adapter),
    requestId: optionalString(row.request_id),
    question: optionalString(row.question),
    ...(row.model === null || row.model === undefined
      ? {}
      : {
          usage: {
            model: String(row.model),
            inputTokens: Number(row.input_tokens ?? 0),
            outputTokens: Number(row.output_tokens ?? 0),
            cacheReadTokens: Number(row.cache_read_tokens ?? 0),
            cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
            costUsd: row.cost_usd === null || row.cost_usd === undefined ? null : Number(row.cost_usd),
          },
        }),
    createdAt: String(row.created_at),
  };
}

export function toFeedback(row: Row): FeedbackRecord {
  const rating = optionalString(row.rating);
  return {
    eventId: String(row.event_id),
    type: String(row.type) as FeedbackRecord['type'],
    suggestionSetId: String(row.suggestion_set_id),
    suggestionIndex: Number(row.suggestion_index),
    rating: rating === 'up' || rating === 'down' ? rating : undefined,
    reason: optionalString(row.reason),
    finalText: optionalString(row.final_text),
    operatorId: optionalString(row.operator_id),
    occurredAt: String(row.occurred_at),
    receivedAt: String(row.received_at),
  };
}

export function toGap(row: Row): KnowledgeGapRecord {
  return {
    id: String(row.id),
    collection: String(row.collection),
    suggestionSetId: optionalString(row.suggestion_set_id),
    query: String(row.query),
    language: String(row.language),
    topic: optionalString(row.topic),
    bestScore: Number(row.best_score),
    createdAt: String(row.created_at),
  };
}

export function toDailyUsage(row: Row): DailyModelUsage {
  return {
    day: String(row.day),
    engine: String(row.engine),
    model: String(row.model),
    sets: Number(row.sets),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    cacheReadTokens: Number(row.cache_read_tokens ?? 0),
    cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    unpriced: Number(row.unpriced ?? 0),
  };
}
