import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { type CheckDraftResponse, checkDraftRequestSchema } from '../contract/index.ts';
import { decideLanguage, supportedLanguage } from '../pipeline/language.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestLogger } from './http.ts';

/**
 * The operator's own draft against the team's script, as read from the knowledge base: required
 * steps, banned and required phrases, the channel's length, «ты»/«вы». Findings carry spans.
 */
export function checkDraftRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/check-draft', async (request, response) => {
    const body = parseBody(checkDraftRequestSchema, request.body);
    const scope = tenantScope(response);
    const knowledge = requireKnowledge(scope.knowledge);
    const profile = await scope.profiles.get(knowledge, body.collection);
    const language = supportedLanguage(decideLanguage({ declared: body.language, text: body.draft }));

    const { findings, rulesFrom } = await context.checker.check(body.draft, {
      profile,
      channel: body.channel,
      language,
      // Without the conversation the draft is taken for a first reply: the stricter check.
      firstReply: !(body.messages ?? []).some((message) => message.role === 'operator'),
    });
    requestLogger(response).info(
      { collection: body.collection, draftLength: body.draft.length, findings: findings.length },
      'check-draft',
    );
    const result: CheckDraftResponse = { findings, rulesFrom };
    response.json(result);
  });
  return router;
}
