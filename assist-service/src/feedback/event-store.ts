import type { AnalyticsSet, Confidence, FeedbackType, Suggestion } from '../contract/index.ts';
import type {
  OutcomeBucket,
  OutcomeCountRow,
  OutcomeDimension,
  OutcomeFilter,
  OutcomeGrouping,
  OutcomeListOptions,
  OutcomeMeasure,
  OutcomeRecord,
} from './analytics-queries.ts';
import type { FunnelDimensions } from './funnel-queries.ts';
import type { SetListFilter } from './set-lists.ts';

/**
 * What the service remembers of its work: the suggestion sets it produced, what operators did with
 * them, and the questions it could not answer. The SQLite store implements it today; the SQL is
 * plain enough for a Postgres store to implement it later.
 */
export interface EventStore {
  readonly backend: string;
  saveSuggestionSet(set: SuggestionSetRecord): Promise<void>;
  getSuggestionSet(id: string): Promise<SuggestionSetRecord | undefined>;
  /** Model tokens and cost per UTC day and model, for sets created in [from, to). */
  dailyModelUsage(range: { from: string; to: string }): Promise<DailyModelUsage[]>;
  /** Records the event unless its eventId is known: `duplicate` says which happened. */
  recordFeedback(event: FeedbackRecord): Promise<{ duplicate: boolean }>;
  /** Oldest first, by (receivedAt, eventId); `after` continues past a page's last event. */
  listFeedback(filter?: {
    suggestionSetId?: string;
    limit?: number;
    after?: { receivedAt: string; eventId: string };
  }): Promise<FeedbackRecord[]>;
  recordKnowledgeGap(gap: KnowledgeGapRecord): Promise<void>;
  /**
   * Many sets, events and gaps in one transaction, each set's outcomes counted once: an import of
   * a helpdesk's history, or a benchmark's year. Known ids are skipped, as one by one.
   */
  importRecords(records: {
    sets?: readonly SuggestionSetRecord[];
    events?: readonly FeedbackRecord[];
    gaps?: readonly KnowledgeGapRecord[];
  }): Promise<{ sets: number; events: number; gaps: number }>;
  listKnowledgeGaps(filter?: { collection?: string; limit?: number }): Promise<KnowledgeGapRecord[]>;
  /** The values the older funnel's filters can take (`/v1/analytics/funnel`). */
  funnelDimensions(): Promise<FunnelDimensions>;
  /** Funnel counts of the shown suggestions in the filter, by bucket and/or one dimension (analytics-queries.ts). */
  outcomeCounts(filter: OutcomeFilter, grouping: OutcomeGrouping): Promise<OutcomeCountRow[]>;
  /** Per measure: how many outcomes fall in each bin starting at `edges[i]`, with their count and sum. */
  outcomeHistograms(
    filter: OutcomeFilter,
    requests: ReadonlyArray<{ measure: OutcomeMeasure; edges: readonly number[] }>,
  ): Promise<Array<{ bins: number[]; count: number; sum: number }>>;
  /** Reasons given for dismissals or thumbs down, most frequent first. */
  outcomeReasons(
    filter: OutcomeFilter,
    kind: 'dismissed' | 'rated-down',
  ): Promise<Array<{ reason: string; count: number }>>;
  /** The values each analytics dimension takes in the filter's period. */
  outcomeDimensionValues(filter: OutcomeFilter): Promise<Record<OutcomeDimension, string[]>>;
  /** The shown suggestions behind a number, newest first. */
  listOutcomes(
    filter: OutcomeFilter,
    options: OutcomeListOptions,
  ): Promise<{ total: number; outcomes: OutcomeRecord[] }>;
  /** Knowledge gaps logged per bucket. */
  gapCounts(
    filter: { fromMs: number; toMs: number; collection?: string; topic?: string },
    bucket: { size: OutcomeBucket; offsetMinutes: number },
  ): Promise<Array<{ bucketStartMs: number; count: number }>>;
  /**
   * The suggestion sets behind a knowledge-gap count (gaps logged in the period, with their sets)
   * or behind model tokens and cost (sets a model drafted in the period), newest first (set-lists.ts).
   */
  listSets(
    behind: 'gaps' | 'usage',
    filter: SetListFilter,
    limit: number,
  ): Promise<{ total: number; sets: AnalyticsSet[] }>;
  /**
   * Resolves when rows can be written now; otherwise rejects with the storage error (disk full,
   * read-only, locked) that a write would meet. What `/v1/ready` asks.
   */
  checkStorage(): Promise<void>;
  close(): Promise<void>;
}

export interface SuggestionSetRecord {
  id: string;
  collection: string;
  engine: string;
  conversationId?: string;
  channel: string;
  language: string;
  topic?: string;
  confidence: Confidence;
  suggestions: Suggestion[];
  operatorId?: string;
  sourceAdapter?: string;
  requestId?: string;
  /**
   * The customer's request the set was made for, personal data masked when stored: what a reply
   * the operator sends after one of its suggestions is learnt as history for (history-learning.ts).
   */
  question?: string;
  /** Tokens and cost of the model call behind the set; absent when the offline engine answered. */
  usage?: ModelUsage;
  /** Why the configured model did not draft and the offline engine answered instead. */
  degradedReason?: string;
  /** From the request to the set's suggestions (the console's "time to first suggestion"). */
  tookMs?: number;
  /** When the customer's last message was sent, as the page gave it (ISO when it could). */
  customerMessageAt?: string;
  /**
   * Keyed hashes of the customer's identifiers (privacy/subject-keys.ts), written beside the set so
   * that erasure and export on a customer's request find it; never read back into the record.
   */
  customerKeys?: string[];
  createdAt: string;
}

export interface ModelUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Null when no price is configured for the model. */
  costUsd: number | null;
}

/** Model use summed per UTC day and model: what the console charts and a budget is checked against. */
export interface DailyModelUsage {
  day: string;
  /** The engine that drafted (`claude`, `openai-compatible`). */
  engine: string;
  model: string;
  sets: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Summed over the sets whose cost is known. */
  costUsd: number;
  /** Sets of that day and model whose cost is unknown (no price configured). */
  unpriced: number;
}

export interface FeedbackRecord {
  eventId: string;
  type: FeedbackType;
  suggestionSetId: string;
  suggestionIndex: number;
  rating?: 'up' | 'down';
  reason?: string;
  finalText?: string;
  operatorId?: string;
  occurredAt: string;
  receivedAt: string;
}

export interface KnowledgeGapRecord {
  id: string;
  collection: string;
  suggestionSetId?: string;
  /** The cleaned question as searched. */
  query: string;
  language: string;
  topic?: string;
  bestScore: number;
  createdAt: string;
}
