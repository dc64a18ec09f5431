import { detectLanguage } from '@naparnik/ingest';
import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { type CheckDraftResponse, checkDraftRequestSchema } from '../contract/index.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { checkDraft } from '../rules/draft-check.ts';
import { parseBody, requestLogger } from './http.ts';

/**
 * The operator's own draft against the team's script, as read from the knowledge base: required
 * steps, banned and required phrases, the channel's length, «ты»/«вы». Findings carry spans.
 */
export function checkDraftRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/check-draft', async (request, response) => {
    const body = parseBody(checkDraftRequestSchema, request.body);
    const knowledge = requireKnowledge(context.knowledge);
    const profile = await context.profiles.get(knowledge, body.collection);
    const declared = body.language?.toLowerCase().slice(0, 2);
    const detected = detectLanguage(body.draft);
    const language = declared === 'en' || (!declared && detected === 'en') ? 'en' : 'ru';

    const steps = profile.steps.filter((step) => step.language === language);
    const rules = profile.rules.find((entry) => entry.language === language);
    const findings = checkDraft(body.draft, {
      channel: body.channel,
      // Without the conversation the draft is taken for a first reply: the stricter check.
      isFirstReply: !(body.messages ?? []).some((message) => message.role === 'operator'),
      steps,
      ...(rules ? { rules: rules.rules } : {}),
      address: rules?.address ?? steps[0]?.address,
      language,
      ruleDocumentIds: {
        ...(rules ? { rules: rules.documentId } : {}),
        steps: Object.fromEntries(steps.map((step) => [step.id, step.documentId])),
      },
    });
    const rulesFrom = [...steps.map((step) => step.documentId), ...(rules ? [rules.documentId] : [])];
    requestLogger(response).info(
      { collection: body.collection, draftLength: body.draft.length, findings: findings.length },
      'check-draft',
    );
    const result: CheckDraftResponse = { findings, rulesFrom };
    response.json(result);
  });
  return router;
}
