import type { FeedbackEvent, RewriteStyle } from '@naparnik/assist-service/contract';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { type ClientError, failure, type PageReading, type ServiceStatus } from '../messaging.ts';
import { operatorAnchor, type PendingInsert, sentAfterInsert } from './acceptance.ts';
import { assistReducer, initialAssistState } from './assist-state.ts';
import type { PageBridge, PanelClient } from './types.ts';

export type PanelView =
  | { kind: 'loading' }
  | { kind: 'not-configured'; reason?: string }
  | { kind: 'unreachable'; serviceUrl: string; message?: string }
  | { kind: 'not-ready' }
  | { kind: 'not-found' }
  | { kind: 'ready' };

const NOT_READY_RETRY_MS = 2000;
/** The reason a refresh records for suggestions left unused (see extension/README.md, events). */
export const REFRESHED_REASON = 'refreshed';

/** A feedback event before it gets its id (Omit distributed over the union's members). */
type FeedbackInput = FeedbackEvent extends infer Event
  ? Event extends FeedbackEvent
    ? Omit<Event, 'eventId'>
    : never
  : never;

function conversationKey(reading: PageReading | undefined): string {
  const messages = reading?.conversation?.messages ?? [];
  const last = messages.at(-1);
  return `${reading?.url ?? ''}|${messages.length}|${last?.role ?? ''}|${last?.text ?? ''}`;
}

function newEventId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The panel's life: check the service, read the page, stream suggestions, follow the page. */
export function usePanelSession(client: PanelClient, page: PageBridge) {
  const [view, setView] = useState<PanelView>({ kind: 'loading' });
  const [status, setStatus] = useState<ServiceStatus>();
  const [reading, setReading] = useState<PageReading>();
  const [assist, dispatch] = useReducer(assistReducer, initialAssistState);
  const controller = useRef<AbortController | undefined>(undefined);
  const lastKey = useRef('');
  const pending = useRef<PendingInsert | undefined>(undefined);
  const shown = useRef(new Set<string>());
  /** Suggestions the operator acted on (inserted, copied, dismissed), as `set#index`. */
  const handled = useRef(new Set<string>());
  /** Suggestions dismissed and not restored, as `set#index`: a shortcut must not insert them. */
  const dismissed = useRef(new Set<string>());
  /** Rewritten texts of the current set's suggestions, by index. */
  const [texts, setTexts] = useState<Record<number, string>>({});

  const sendFeedback = useCallback(
    (event: FeedbackInput) => {
      void client.feedback({ eventId: newEventId(), ...event } as FeedbackEvent);
    },
    [client],
  );

  const onFailure = useCallback((error: ClientError, serviceUrl: string) => {
    if (error.code === 'not-configured' || error.code === 'collection-not-found') {
      setView({
        kind: 'not-configured',
        reason: error.code === 'collection-not-found' ? error.message : undefined,
      });
    } else if (error.code === 'unreachable')
      setView({ kind: 'unreachable', serviceUrl, message: error.message });
    else if (error.code === 'not-ready') setView({ kind: 'not-ready' });
    else dispatch({ type: 'failed', error });
  }, []);

  const runAssist = useCallback(
    async (current: PageReading, serviceUrl: string) => {
      if (!current.conversation) return;
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      setTexts({});
      dispatch({ type: 'start' });
      const result = await client.assist(
        { conversation: current.conversation },
        (event) => {
          if (!own.signal.aborted) dispatch({ type: 'event', event });
        },
        own.signal,
      );
      if (own.signal.aborted) return;
      if (!result.ok) onFailure(result.error, serviceUrl);
      dispatch({ type: 'finished' });
    },
    [client, onFailure],
  );

  const load = useCallback(async () => {
    setView({ kind: 'loading' });
    const checked = await client.status();
    if (!checked.ok) {
      onFailure(checked.error, '');
      return;
    }
    setStatus(checked.data);
    if (!checked.data.reachable) {
      setView({ kind: 'unreachable', serviceUrl: checked.data.serviceUrl });
      return;
    }
    if (!checked.data.ready) {
      setView({ kind: 'not-ready' });
      return;
    }
    const current = await page.read();
    setReading(current);
    lastKey.current = conversationKey(current);
    if (!current.conversation || current.conversation.messages.length === 0) {
      setView({ kind: 'not-found' });
      return;
    }
    setView({ kind: 'ready' });
    await runAssist(current, checked.data.serviceUrl);
  }, [client, page, runAssist, onFailure]);

  useEffect(() => {
    void load();
    return () => controller.current?.abort();
  }, [load]);

  useEffect(() => {
    if (view.kind !== 'not-ready') return;
    const timer = setTimeout(() => void load(), NOT_READY_RETRY_MS);
    return () => clearTimeout(timer);
  }, [view, load]);

  // Follow the page: new messages re-read it; a new customer turn asks for fresh suggestions; the
  // operator's sent message after an insert is reported as `suggestion-edited`.
  useEffect(
    () =>
      page.subscribe(() => {
        void (async () => {
          const current = await page.read();
          const key = conversationKey(current);
          if (key === lastKey.current) return;
          lastKey.current = key;
          setReading(current);
          const waiting = pending.current;
          if (waiting) {
            const finalText = sentAfterInsert(waiting, current.conversation);
            if (finalText !== undefined) {
              pending.current = undefined;
              sendFeedback({
                type: 'suggestion-edited',
                suggestionSetId: waiting.suggestionSetId,
                suggestionIndex: waiting.suggestionIndex,
                finalText,
              });
            }
          }
          const last = current.conversation?.messages.at(-1);
          if (!current.conversation || current.conversation.messages.length === 0)
            setView({ kind: 'not-found' });
          else if (last?.role === 'customer' && status) {
            setView({ kind: 'ready' });
            await runAssist(current, status.serviceUrl);
          } else if (view.kind === 'not-found') {
            setView({ kind: 'ready' });
            if (status) await runAssist(current, status.serviceUrl);
          }
        })();
      }),
    [page, runAssist, sendFeedback, status, view.kind],
  );

  // Each suggestion is reported shown once, when the set is complete.
  useEffect(() => {
    if (assist.phase !== 'done' || !assist.suggestionSetId) return;
    for (const draft of assist.suggestions) {
      const key = `${assist.suggestionSetId}#${draft.index}`;
      if (shown.current.has(key)) continue;
      shown.current.add(key);
      sendFeedback({
        type: 'suggestion-shown',
        suggestionSetId: assist.suggestionSetId,
        suggestionIndex: draft.index,
      });
    }
  }, [assist.phase, assist.suggestionSetId, assist.suggestions, sendFeedback]);

  const refresh = useCallback(async () => {
    // Refreshing a complete set without using any of it says none of it fit: each suggestion the
    // operator neither inserted, copied nor dismissed is recorded dismissed («refreshed»).
    if (assist.phase === 'done' && assist.suggestionSetId) {
      const setId = assist.suggestionSetId;
      const untouched = assist.suggestions.filter((draft) => !handled.current.has(`${setId}#${draft.index}`));
      if (untouched.length === assist.suggestions.length) {
        for (const draft of untouched) {
          handled.current.add(`${setId}#${draft.index}`);
          sendFeedback({
            type: 'suggestion-dismissed',
            suggestionSetId: setId,
            suggestionIndex: draft.index,
            reason: REFRESHED_REASON,
          });
        }
      }
    }
    const current = await page.read();
    setReading(current);
    lastKey.current = conversationKey(current);
    if (!current.conversation || current.conversation.messages.length === 0) {
      setView({ kind: 'not-found' });
      return;
    }
    if (!status) {
      await load();
      return;
    }
    setView({ kind: 'ready' });
    await runAssist(current, status.serviceUrl);
  }, [page, status, load, runAssist, assist.phase, assist.suggestionSetId, assist.suggestions, sendFeedback]);

  const insert = useCallback(
    async (index: number) => {
      const draft = assist.suggestions.find((candidate) => candidate.index === index);
      if (!draft || !assist.suggestionSetId) return { inserted: false, method: 'none' };
      if (dismissed.current.has(`${assist.suggestionSetId}#${index}`))
        return { inserted: false, method: 'dismissed' };
      const text = texts[index] ?? draft.text;
      const outcome = await page.insert(text);
      if (outcome.inserted) {
        handled.current.add(`${assist.suggestionSetId}#${index}`);
        pending.current = {
          suggestionSetId: assist.suggestionSetId,
          suggestionIndex: index,
          text,
          operatorAnchor: operatorAnchor(reading?.conversation),
        };
        sendFeedback({
          type: 'suggestion-inserted',
          suggestionSetId: assist.suggestionSetId,
          suggestionIndex: index,
        });
      }
      return outcome;
    },
    [assist.suggestions, assist.suggestionSetId, page, reading, sendFeedback, texts],
  );

  const rate = useCallback(
    (index: number, rating: 'up' | 'down', reason?: string) => {
      if (!assist.suggestionSetId) return;
      sendFeedback({
        type: 'suggestion-rated',
        suggestionSetId: assist.suggestionSetId,
        suggestionIndex: index,
        rating,
        ...(reason ? { reason } : {}),
      });
    },
    [assist.suggestionSetId, sendFeedback],
  );

  const dismiss = useCallback(
    (index: number, reason?: string) => {
      if (!assist.suggestionSetId) return;
      handled.current.add(`${assist.suggestionSetId}#${index}`);
      dismissed.current.add(`${assist.suggestionSetId}#${index}`);
      sendFeedback({
        type: 'suggestion-dismissed',
        suggestionSetId: assist.suggestionSetId,
        suggestionIndex: index,
        ...(reason ? { reason } : {}),
      });
    },
    [assist.suggestionSetId, sendFeedback],
  );

  /** The operator took a dismissal back («Вернуть»): the suggestion can be inserted again. */
  const restore = useCallback(
    (index: number) => {
      if (assist.suggestionSetId) dismissed.current.delete(`${assist.suggestionSetId}#${index}`);
    },
    [assist.suggestionSetId],
  );

  const markCopied = useCallback(
    (index: number) => {
      if (assist.suggestionSetId) handled.current.add(`${assist.suggestionSetId}#${index}`);
    },
    [assist.suggestionSetId],
  );

  const rewrite = useCallback(
    async (_index: number, style: RewriteStyle, text: string) => {
      if (!client.rewrite) return failure('not-supported', 'This panel cannot rewrite.');
      const conversation = reading?.conversation;
      return client.rewrite({
        text,
        style,
        ...(conversation?.channel ? { channel: conversation.channel } : {}),
        ...(conversation?.customer?.name ? { customerName: conversation.customer.name } : {}),
      });
    },
    [client, reading],
  );

  const setText = useCallback((index: number, text: string | undefined) => {
    setTexts((current) => {
      const next = { ...current };
      if (text === undefined) delete next[index];
      else next[index] = text;
      return next;
    });
  }, []);

  return {
    view,
    status,
    reading,
    assist,
    retry: load,
    refresh,
    insert,
    rate,
    dismiss,
    restore,
    markCopied,
    rewrite,
    texts,
    setText,
  };
}
