import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal } from '../auth/authenticate.ts';
import { type AssistEvent, type AssistRequest, assistRequestSchema } from '../contract/index.ts';
import type { AssistResult } from '../engines/engine.ts';
import { buildRetrievalQuery } from '../engines/offline/retrieval-query.ts';
import { errorBody, toServiceError } from '../errors.ts';
import type { EventStore } from '../feedback/event-store.ts';
import { parseInstant } from '../feedback/outcomes.ts';
import { customerKeysOf } from '../privacy/subject-keys.ts';
import { requireCollection, requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestId, requestLogger } from './http.ts';

/** True when the client asked for Server-Sent Events rather than one JSON body. */
function wantsEventStream(request: Request): boolean {
  return (request.get('accept') ?? '').toLowerCase().includes('text/event-stream');
}

function writeEvent(response: Response, event: AssistEvent, id: number): void {
  response.write(`event: ${event.type}\nid: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * Suggestions, summary and next actions. JSON and SSE run the same engine call; SSE only passes an
 * `emit` that writes events as the engine produces them.
 */
export function assistRoutes(context: RouteContext): Router {
  const router = Router();

  router.post('/assist', async (request, response) => {
    const parsed = parseBody(assistRequestSchema, request.body);
    // Who asks is the token's holder: a body's operator.id that says otherwise is overridden (the
    // display name, which only signs the reply, is kept).
    const body: AssistRequest = {
      ...parsed,
      operator: {
        id: principal(response).name,
        ...(parsed.operator?.displayName ? { displayName: parsed.operator.displayName } : {}),
      },
    };
    const scope = tenantScope(response);
    const knowledge = requireKnowledge(scope.knowledge);
    await requireCollection(knowledge, body.collection);
    const logger = requestLogger(response);
    const suggestionSetId = randomUUID();

    const disconnected = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) disconnected.abort();
    });
    const signal = AbortSignal.any([
      disconnected.signal,
      AbortSignal.timeout(context.config.assistTimeoutMs),
    ]);

    const streaming = wantsEventStream(request);
    let eventId = 0;
    if (streaming) {
      response.status(200);
      response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      response.setHeader('Cache-Control', 'no-cache, no-transform');
      response.setHeader('Connection', 'keep-alive');
      response.setHeader('X-Accel-Buffering', 'no');
      response.flushHeaders();
    }
    const emit = streaming
      ? (event: AssistEvent) => {
          if (!response.writableEnded) writeEvent(response, event, ++eventId);
        }
      : () => {};

    logger.info(
      {
        collection: body.collection,
        channel: body.conversation.channel,
        messages: body.conversation.messages.length,
        characters: body.conversation.messages.reduce((sum, message) => sum + message.text.length, 0),
        adapter: body.conversation.source?.adapter,
        streaming,
      },
      'assist',
    );
    if (context.config.logCustomerText) {
      logger.debug(
        { conversationText: body.conversation.messages.map((message) => message.text) },
        'assist input',
      );
    }

    /** A failure once the stream is open: an `error` event, then the end. */
    const failStream = (error: unknown, message: string) => {
      const serviceError = toServiceError(error);
      if (serviceError.code !== 'cancelled' && serviceError.code !== 'not-ready')
        logger.error(
          { code: serviceError.code, err: serviceError.code === 'internal' ? error : undefined },
          message,
        );
      emit({ type: 'error', ...errorBody(serviceError, requestId(response)) });
      response.end();
    };

    let result: AssistResult;
    try {
      // The engine puts its CPU stages through the work queue itself and keeps model calls, which
      // wait on the network, out of it.
      result = await scope.engine.assist(body, {
        signal,
        emit,
        suggestionSetId,
        logger,
        cpu: (task) => context.work.run(task, signal),
      });
    } catch (error) {
      if (!streaming) throw error;
      failStream(error, 'assist failed');
      return;
    }

    logger.info(
      {
        suggestionSetId,
        suggestions: result.response.suggestions.length,
        confidence: result.response.confidence.level,
        knowledgeGap: result.response.knowledgeGap,
        truncated: result.response.conversation.truncated,
        tookMs: result.response.tookMs,
      },
      'assist done',
    );
    // Kept before it is answered: a set the operator sees is a set feedback can find. A storage
    // failure is the request's failure (507/503 with Retry-After, or an `error` event), never a 200.
    try {
      await remember(context, scope.events, body, result, requestId(response));
    } catch (error) {
      if (!streaming) throw error;
      failStream(error, 'suggestion set not stored');
      return;
    }
    if (streaming) {
      emit({ type: 'done', response: result.response });
      response.end();
    } else {
      response.json(result.response);
    }
  });

  return router;
}

/** When the customer's last message was sent, when the page gave an instant for it. */
function customerMessageAt(request: AssistRequest): { customerMessageAt?: string } {
  const at = request.conversation.messages.filter((message) => message.role === 'customer').at(-1)?.at;
  const time = parseInstant(at);
  return time === undefined ? {} : { customerMessageAt: new Date(time).toISOString() };
}

/** Stores the suggestion set and the knowledge gap; throws what the store threw. */
async function remember(
  context: RouteContext,
  events: EventStore,
  request: AssistRequest,
  result: AssistResult,
  id: string,
) {
  const { response } = result;
  const createdAt = context.clock.now().toISOString();
  await events.saveSuggestionSet({
    id: response.suggestionSetId,
    collection: response.collection,
    engine: response.engine,
    ...(request.conversation.id ? { conversationId: request.conversation.id } : {}),
    channel: request.conversation.channel,
    language: response.detected.language,
    ...(response.detected.topic ? { topic: response.detected.topic.label } : {}),
    confidence: response.confidence,
    suggestions: response.suggestions,
    ...(request.operator ? { operatorId: request.operator.id } : {}),
    ...(request.conversation.source ? { sourceAdapter: request.conversation.source.adapter } : {}),
    requestId: id,
    // The customer's request as searched: a reply sent after one of these suggestions is learnt
    // as history for it (feedback/history-learning.ts). Masked by the event store.
    question: buildRetrievalQuery(request.conversation.messages).text,
    ...(response.usage ? { usage: response.usage } : {}),
    // What the console's analytics need: fallback rate, time to first suggestion, reply time.
    ...(response.degraded ? { degradedReason: response.degraded.reason } : {}),
    tookMs: response.tookMs,
    ...customerMessageAt(request),
    ...(context.privacy
      ? { customerKeys: customerKeysOf(request.conversation, context.privacy.hashKey) }
      : {}),
    createdAt,
  });
  if (result.knowledgeGap) {
    await events.recordKnowledgeGap({
      id: randomUUID(),
      collection: response.collection,
      suggestionSetId: response.suggestionSetId,
      query: result.knowledgeGap.query,
      language: response.detected.language,
      ...(response.detected.topic ? { topic: response.detected.topic.label } : {}),
      bestScore: result.knowledgeGap.bestScore,
      createdAt,
    });
  }
}
