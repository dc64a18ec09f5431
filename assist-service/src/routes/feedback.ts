import { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from '../app.ts';
import { principal, requirePermission } from '../auth/authenticate.ts';
import {
  type FeedbackEventsResponse,
  type FeedbackResponse,
  feedbackEventSchema,
  feedbackEventsQuerySchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { FeedbackRecord } from '../feedback/event-store.ts';
import { learnFromFeedback } from '../feedback/history-learning.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, parseQuery, requestLogger } from './http.ts';

/** The opaque cursor of the next page of events: the last event's (receivedAt, eventId). */
export function feedbackCursor(event: { receivedAt: string; eventId: string }): string {
  return Buffer.from(JSON.stringify([event.receivedAt, event.eventId]), 'utf8').toString('base64url');
}

const cursorSchema = z.tuple([z.iso.datetime({ offset: true }), z.string().min(1).max(200)]);

function readCursor(value: string): { receivedAt: string; eventId: string } {
  try {
    const [receivedAt, eventId] = cursorSchema.parse(
      JSON.parse(Buffer.from(value, 'base64url').toString('utf8')),
    );
    return { receivedAt, eventId };
  } catch {
    throw new ServiceError('invalid-request', 'The query parameters do not match the schema.', {
      issues: [{ path: 'after', message: 'not a cursor this service gave out: pass `next` as is' }],
    });
  }
}

/** What the operator did with a suggestion; the same eventId twice is recorded once. */
export function feedbackRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/feedback', async (request, response) => {
    const event = parseBody(feedbackEventSchema, request.body);
    const scope = tenantScope(response);
    const set = await scope.events.getSuggestionSet(event.suggestionSetId);
    if (!set) {
      throw new ServiceError(
        'suggestion-set-not-found',
        `Suggestion set "${event.suggestionSetId}" is unknown.`,
      );
    }
    // A set without suggestions (nothing fit) can still be rated: index 0 stands for the set.
    if (event.suggestionIndex >= Math.max(1, set.suggestions.length)) {
      throw new ServiceError('invalid-request', 'The suggestion set has no suggestion with this index.', {
        issues: [
          { path: 'suggestionIndex', message: `must be below ${Math.max(1, set.suggestions.length)}` },
        ],
      });
    }
    const receivedAt = context.clock.now().toISOString();
    const record: FeedbackRecord = {
      eventId: event.eventId,
      type: event.type,
      suggestionSetId: event.suggestionSetId,
      suggestionIndex: event.suggestionIndex,
      ...(event.type === 'suggestion-rated' ? { rating: event.rating } : {}),
      ...((event.type === 'suggestion-rated' || event.type === 'suggestion-dismissed') && event.reason
        ? { reason: event.reason }
        : {}),
      ...(event.type === 'suggestion-edited' ? { finalText: event.finalText } : {}),
      // Who sent it is the token's holder: a body's operatorId that says otherwise is overridden.
      operatorId: principal(response).name,
      occurredAt: event.at ? new Date(event.at).toISOString() : receivedAt,
      receivedAt,
    };
    const { duplicate } = await scope.events.recordFeedback(record);
    const logger = requestLogger(response);
    logger.info(
      { type: event.type, suggestionSetId: event.suggestionSetId, index: event.suggestionIndex, duplicate },
      'feedback',
    );
    // A reply the operator sent becomes history for the set's question (feedback/history-learning.ts).
    if (!duplicate) {
      await learnFromFeedback(scope.knowledge()?.store, set, record, {
        logger,
        retentionDays: context.config.knowledge.historyRetentionDays,
        now: () => context.clock.now(),
      });
    }
    const body: FeedbackResponse = { eventId: event.eventId, duplicate };
    response.json(body);
  });

  /**
   * What operators did with suggestions, oldest first: for team leads' reports and black-box tests.
   * Operators' sent texts are in it, so it needs a team_lead token or above.
   */
  router.get('/feedback/events', requirePermission('analytics'), async (request, response) => {
    const query = parseQuery(feedbackEventsQuerySchema, request.query);
    const records = await tenantScope(response).events.listFeedback({
      limit: query.limit,
      ...(query.suggestionSetId ? { suggestionSetId: query.suggestionSetId } : {}),
      ...(query.after ? { after: readCursor(query.after) } : {}),
    });
    const last = records.at(-1);
    const body: FeedbackEventsResponse = {
      events: records,
      ...(last && records.length === query.limit ? { next: feedbackCursor(last) } : {}),
    };
    response.json(body);
  });
  return router;
}
