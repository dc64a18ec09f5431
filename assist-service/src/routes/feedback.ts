import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import {
  type FeedbackEventsResponse,
  type FeedbackResponse,
  feedbackEventSchema,
  feedbackEventsQuerySchema,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { requireAdminToken } from './admin-token.ts';
import { parseBody, parseQuery, requestLogger } from './http.ts';

/** What the operator did with a suggestion; the same eventId twice is recorded once. */
export function feedbackRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/feedback', async (request, response) => {
    const event = parseBody(feedbackEventSchema, request.body);
    const set = await context.events.getSuggestionSet(event.suggestionSetId);
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
    const { duplicate } = await context.events.recordFeedback({
      eventId: event.eventId,
      type: event.type,
      suggestionSetId: event.suggestionSetId,
      suggestionIndex: event.suggestionIndex,
      ...(event.type === 'suggestion-rated' ? { rating: event.rating } : {}),
      ...((event.type === 'suggestion-rated' || event.type === 'suggestion-dismissed') && event.reason
        ? { reason: event.reason }
        : {}),
      ...(event.type === 'suggestion-edited' ? { finalText: event.finalText } : {}),
      ...(event.operatorId ? { operatorId: event.operatorId } : {}),
      occurredAt: event.at ? new Date(event.at).toISOString() : receivedAt,
      receivedAt,
    });
    requestLogger(response).info(
      { type: event.type, suggestionSetId: event.suggestionSetId, index: event.suggestionIndex, duplicate },
      'feedback',
    );
    const body: FeedbackResponse = { eventId: event.eventId, duplicate };
    response.json(body);
  });

  /**
   * What operators did with suggestions, oldest first: for team leads' reports and black-box tests.
   * Operators' sent texts are in it, so it needs the admin token when one is configured.
   */
  router.get('/feedback/events', async (request, response) => {
    requireAdminToken(context.config.adminToken, request, 'Reading feedback events');
    const query = parseQuery(feedbackEventsQuerySchema, request.query);
    const records = await context.events.listFeedback({
      limit: query.limit,
      ...(query.suggestionSetId ? { suggestionSetId: query.suggestionSetId } : {}),
    });
    const body: FeedbackEventsResponse = { events: records };
    response.json(body);
  });
  return router;
}
