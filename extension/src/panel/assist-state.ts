import type {
  AssistEvent,
  AssistResponse,
  AssistSummary,
  Detected,
  NextAction,
  Suggestion,
} from '@naparnik/assist-service/contract';
import type { ClientError } from '../messaging.ts';

export interface DraftSuggestion {
  index: number;
  /** The streamed text so far, or the final text once done. */
  text: string;
  /** Set when the suggestion is complete. */
  final?: Suggestion;
}

export interface RetrievalHit {
  documentId: string;
  chunkId: string;
  title: string;
  kind: string;
  score: number;
}

export interface AssistState {
  phase: 'idle' | 'streaming' | 'done' | 'error';
  suggestionSetId?: string;
  suggestions: DraftSuggestion[];
  hits: RetrievalHit[];
  detected?: Detected;
  summary?: AssistSummary;
  nextActions: NextAction[];
  response?: AssistResponse;
  error?: ClientError;
}

export const initialAssistState: AssistState = { phase: 'idle', suggestions: [], hits: [], nextActions: [] };

export type AssistAction =
  | { type: 'start' }
  | { type: 'event'; event: AssistEvent }
  | { type: 'failed'; error: ClientError }
  | { type: 'finished' };

function upsert(list: DraftSuggestion[], index: number, update: (draft: DraftSuggestion) => DraftSuggestion) {
  const existing = list.find((draft) => draft.index === index) ?? { index, text: '' };
  return [...list.filter((draft) => draft.index !== index), update(existing)].sort(
    (a, b) => a.index - b.index,
  );
}

/** Folds the service's stream events into what the panel shows. */
export function assistReducer(state: AssistState, action: AssistAction): AssistState {
  switch (action.type) {
    case 'start':
      return { ...initialAssistState, phase: 'streaming' };
    case 'failed':
      return { ...state, phase: 'error', error: action.error };
    case 'finished':
      return state.phase === 'streaming' ? { ...state, phase: 'done' } : state;
    case 'event': {
      const event = action.event;
      switch (event.type) {
        case 'retrieval':
          return {
            ...state,
            suggestionSetId: event.suggestionSetId,
            hits: event.hits,
            detected: event.detected,
          };
        case 'suggestion-delta':
          return {
            ...state,
            suggestions: upsert(state.suggestions, event.index, (draft) =>
              draft.final ? draft : { ...draft, text: draft.text + event.delta },
            ),
          };
        case 'suggestion-restart':
          // The text streamed so far is void (a retried model stream, or the offline fallback).
          return {
            ...state,
            suggestions: upsert(state.suggestions, event.index, (draft) =>
              draft.final ? draft : { ...draft, text: '' },
            ),
          };
        case 'suggestion-done':
          return {
            ...state,
            suggestions: upsert(state.suggestions, event.suggestion.index, () => ({
              index: event.suggestion.index,
              text: event.suggestion.text,
              final: event.suggestion,
            })),
          };
        case 'summary':
          return { ...state, summary: event.summary };
        case 'next-actions':
          return { ...state, nextActions: event.nextActions };
        case 'done': {
          const response = event.response;
          return {
            ...state,
            phase: 'done',
            response,
            suggestionSetId: response.suggestionSetId,
            suggestions: response.suggestions.map((suggestion) => ({
              index: suggestion.index,
              text: suggestion.text,
              final: suggestion,
            })),
            summary: response.summary,
            nextActions: response.nextActions,
            detected: response.detected,
          };
        }
        case 'error':
          return {
            ...state,
            phase: 'error',
            error: {
              code: event.error.code,
              message: event.error.message,
            },
          };
      }
    }
  }
  return state;
}

/** The engine answered without generation (the offline engine): the panel says so. */
export function isDegraded(state: AssistState): boolean {
  const engine = state.response?.engine ?? state.suggestions.find((draft) => draft.final)?.final?.engine;
  return engine !== undefined && /offline/i.test(engine);
}

/** Missing template slots stay in the text as «[номер заказа]»: split them out to highlight. */
export function splitSlots(text: string): Array<{ text: string; slot: boolean }> {
  const parts: Array<{ text: string; slot: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(/\[[^\]\n]{1,80}\]/g)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), slot: false });
    parts.push({ text: match[0], slot: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), slot: false });
  return parts;
}
