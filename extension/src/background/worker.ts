import type { AssistRequest } from '@naparnik/assist-service/contract';
import {
  type AssistPortMessage,
  assistStartSchema,
  CLIENT_ERROR_CODES,
  type ClientError,
  failure,
  parseMessage,
  type RequestSender,
  type Result,
  workerRequestSchema,
} from '../messaging.ts';
import type { Settings } from '../settings.ts';
import { answerRecipeRequest, type RecipeBook } from '../teach/recipe-book.ts';
import { ServiceCallError, type ServiceClient } from './service-client.ts';

/** The part of a runtime port the worker uses; tests hand in a fake. */
export interface PortLike {
  postMessage(message: AssistPortMessage): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface WorkerDependencies {
  client: ServiceClient;
  settings: () => Promise<Settings>;
  /** Page recipes ("Teach this page"); without it `recipes:*` answer not-configured. */
  recipes?: RecipeBook;
  /** Stores the operator's changes and answers the settings in force; without it `settings:write` is refused. */
  saveSettings?(changes: Partial<Settings>): Promise<Settings>;
}

function asClientError(error: unknown): ClientError {
  if (error instanceof ServiceCallError) return error.error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The background worker's message handling, free of browser APIs. */
export function createWorker({ client, settings, recipes, saveSettings }: WorkerDependencies) {
  /**
   * `sender`: as main.ts tells it from the message's sender (the extension's origin or a web
   * page's). Unknown senders count as content scripts: the least trusted.
   */
  async function handleRequest(
    raw: unknown,
    sender: RequestSender = 'content-script',
  ): Promise<Result<unknown>> {
    const parsed = parseMessage(workerRequestSchema, raw);
    if (!parsed.ok) return parsed;
    const request = parsed.data;
    if (
      (request.type === 'settings:read' || request.type === 'settings:write') &&
      sender !== 'extension-page'
    ) {
      return failure(
        CLIENT_ERROR_CODES.forbidden,
        'Настройки расширения читаются и меняются только на его собственных страницах.',
      );
    }
    if (request.type === 'settings:write') {
      if (!saveSettings) return failure(CLIENT_ERROR_CODES.notConfigured, 'Settings cannot be saved here.');
      return { ok: true, data: await saveSettings(request.changes) };
    }
    const current = await settings();
    try {
      switch (request.type) {
        case 'service:status': {
          const base = {
            serviceUrl: current.serviceUrl,
            collection: current.collection,
            locale: current.locale,
          };
          try {
            const status = await client.status();
            return { ok: true, data: { ...base, ...status } };
          } catch (error) {
            const clientError = asClientError(error);
            if (clientError.code === CLIENT_ERROR_CODES.unreachable) {
              return { ok: true, data: { ...base, reachable: false, ready: false } };
            }
            throw error;
          }
        }
        case 'search':
          return {
            ok: true,
            data: await client.search({
              collection: current.collection,
              query: request.query,
              ...(request.topK ? { topK: request.topK } : {}),
              ...(request.filter ? { filter: request.filter } : {}),
            }),
          };
        case 'feedback':
          return {
            ok: true,
            data: await client.feedback(
              current.operatorId && !request.event.operatorId
                ? { ...request.event, operatorId: current.operatorId }
                : request.event,
            ),
          };
        case 'options:open':
          // Needs the browser: handled in main.ts before the worker sees it.
          return { ok: true, data: null };
        case 'check-draft':
          return {
            ok: true,
            data: await client.checkDraft({ ...request.request, collection: current.collection }),
          };
        case 'rewrite':
          return {
            ok: true,
            data: await client.rewrite({ ...request.request, collection: current.collection }),
          };
        case 'recipes:get':
        case 'recipes:save-local':
        case 'recipes:delete-local':
        case 'recipes:list-local':
          return await answerRecipeRequest(recipes, request);
        case 'settings:read':
          return { ok: true, data: current };
      }
    } catch (error) {
      return { ok: false, error: asClientError(error) };
    }
  }

  /** One assist request per port: events stream back as messages; a disconnect cancels the call. */
  function handleAssistPort(port: PortLike): void {
    const controller = new AbortController();
    let started = false;
    let open = true;
    const send = (message: AssistPortMessage) => {
      if (open) port.postMessage(message);
    };
    port.onDisconnect.addListener(() => {
      open = false;
      controller.abort();
    });
    port.onMessage.addListener((raw) => {
      if (started) return;
      started = true;
      const parsed = parseMessage(assistStartSchema, raw);
      if (!parsed.ok) {
        send({ type: 'assist:error', error: parsed.error });
        send({ type: 'assist:end' });
        return;
      }
      void (async () => {
        try {
          const current = await settings();
          const request: AssistRequest = {
            ...parsed.data.request,
            collection: current.collection,
            ...(current.operatorId && !parsed.data.request.operator
              ? { operator: { id: current.operatorId } }
              : {}),
          };
          await client.assist(request, (event) => send({ type: 'assist:event', event }), controller.signal);
        } catch (error) {
          if (!controller.signal.aborted) send({ type: 'assist:error', error: asClientError(error) });
        } finally {
          send({ type: 'assist:end' });
        }
      })();
    });
  }

  return { handleRequest, handleAssistPort };
}
