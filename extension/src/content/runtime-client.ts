import type { z } from 'zod';
import {
  ASSIST_PORT,
  type AssistStart,
  assistPortMessageSchema,
  CLIENT_ERROR_CODES,
  failure,
  type Result,
  type WorkerRequest,
  workerResponseSchemas,
} from '../messaging.ts';
import type { PanelClient } from '../panel/types.ts';

/** The slice of `browser.runtime` the client needs; tests pass a fake wired to the worker. */
export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): {
    postMessage(message: unknown): void;
    disconnect(): void;
    onMessage: { addListener(listener: (message: unknown) => void): void };
    onDisconnect: { addListener(listener: () => void): void };
  };
}

async function request<K extends WorkerRequest['type']>(
  runtime: RuntimeLike,
  message: Extract<WorkerRequest, { type: K }>,
): Promise<z.infer<(typeof workerResponseSchemas)[K]>> {
  const schema = workerResponseSchemas[message.type as K];
  let raw: unknown;
  try {
    raw = await runtime.sendMessage(message);
  } catch (error) {
    // The worker went away (extension reloaded): the page needs a reload to reconnect.
    return failure(CLIENT_ERROR_CODES.unreachable, `Extension worker unavailable: ${String(error)}`) as never;
  }
  const parsed = schema.safeParse(raw) as { success: boolean; data?: unknown };
  return (
    parsed.success
      ? parsed.data
      : failure(CLIENT_ERROR_CODES.badResponse, 'The extension worker sent an unexpected answer.')
  ) as z.infer<(typeof workerResponseSchemas)[K]>;
}

/** The panel's PanelClient over extension messaging: requests and one port per assist stream. */
export function createRuntimeClient(runtime: RuntimeLike): PanelClient {
  return {
    status: () => request(runtime, { type: 'service:status' }),
    search: (query) => request(runtime, { type: 'search', query }),
    feedback: (event) => request(runtime, { type: 'feedback', event }),
    rewrite: (rewriteRequest) => request(runtime, { type: 'rewrite', request: rewriteRequest }),
    checkDraft: (draftRequest) => request(runtime, { type: 'check-draft', request: draftRequest }),
    assist(assistRequest, onEvent, signal) {
      return new Promise<Result<null>>((resolve) => {
        const port = runtime.connect({ name: ASSIST_PORT });
        let settled = false;
        let error: Result<null> | undefined;
        const finish = (result: Result<null>) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          port.disconnect();
          resolve(result);
        };
        const onAbort = () => finish(failure(CLIENT_ERROR_CODES.cancelled, 'Cancelled.'));
        signal.addEventListener('abort', onAbort, { once: true });
        port.onMessage.addListener((raw) => {
          const parsed = assistPortMessageSchema.safeParse(raw);
          if (!parsed.success) return;
          const message = parsed.data;
          if (message.type === 'assist:event') onEvent(message.event);
          else if (message.type === 'assist:error') error = { ok: false, error: message.error };
          else finish(error ?? { ok: true, data: null });
        });
        port.onDisconnect.addListener(() =>
          finish(error ?? failure(CLIENT_ERROR_CODES.unreachable, 'The extension worker closed the stream.')),
        );
        const start: AssistStart = { type: 'assist:start', request: assistRequest };
        port.postMessage(start);
      });
    },
  };
}
