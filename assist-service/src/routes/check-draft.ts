import { Router } from 'express';
import type { RouteContext } from '../app.ts';
import { type CheckDraftResponse, checkDraftRequestSchema } from '../contract/index.ts';
import { decideLanguage, supportedLanguage } from '../pipeline/language.ts';
import { sourceOfHit } from '../pipeline/model-composer.ts';
import { requireKnowledge } from '../retrieval/knowledge-base.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestLogger } from './http.ts';

/** Knowledge entries a model checks the draft's claims against. */
const CHECK_SOURCES = 4;

/**
 * The operator's own draft against the team's script, as read from the knowledge base: required
 * steps, banned and required phrases, the channel's length, «ты»/«вы». Findings carry spans.
 * With a model configured, the model adds what the rules miss (pipeline/model-checker.ts); it
 * checks the draft's claims against the conversation and the entries the draft's words find.
 */
export function checkDraftRoutes(context: RouteContext): Router {
  const router = Router();
  router.post('/check-draft', async (request, response) => {
    const body = parseBody(checkDraftRequestSchema, request.body);
    const scope = tenantScope(response);
    const knowledge = requireKnowledge(scope.knowledge);
    const profile = await scope.profiles.get(knowledge, body.collection);
    const language = supportedLanguage(decideLanguage({ declared: body.language, text: body.draft }));

    const modelBacked = context.checker.id !== 'rules';
    const sources =
      modelBacked && body.draft.trim()
        ? (
            await knowledge.search(body.collection, body.draft, {
              topK: CHECK_SOURCES,
              filter: { kinds: ['template', 'faq', 'article'], languages: [language] },
            })
          ).map((hit) => sourceOfHit(hit))
        : [];
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    const checked = await context.checker.check(body.draft, {
      profile,
      channel: body.channel,
      language,
      // Without the conversation the draft is taken for a first reply: the stricter check.
      firstReply: !(body.messages ?? []).some((message) => message.role === 'operator'),
      messages: body.messages,
      sources,
      signal: controller.signal,
    });
    const { findings, rulesFrom } = checked;
    requestLogger(response).info(
      {
        collection: body.collection,
        draftLength: body.draft.length,
        findings: findings.length,
        ...(checked.model
          ? {
              engine: checked.model.engine,
              added: checked.model.added,
              dropped: checked.model.dropped,
              inputTokens: checked.model.usage.inputTokens,
              outputTokens: checked.model.usage.outputTokens,
              costUsd: checked.model.usage.costUsd,
            }
          : {}),
        ...(checked.degraded ? { degraded: checked.degraded.reason } : {}),
      },
      'check-draft',
    );
    const result: CheckDraftResponse = {
      findings,
      rulesFrom,
      ...(checked.model
        ? {
            model: {
              engine: checked.model.engine,
              promptId: checked.model.promptId,
              added: checked.model.added,
              dropped: checked.model.dropped,
            },
          }
        : {}),
      ...(checked.degraded ? { degraded: checked.degraded } : {}),
    };
    response.json(result);
  });
  return router;
}
