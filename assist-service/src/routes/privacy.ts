import { type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { requirePermission } from '../auth/authenticate.ts';
import {
  dataSubjectIdSchema,
  type ErasureResponse,
  type RetentionSettingsResponse,
  retentionSettingsRequestSchema,
  type SubjectExportResponse,
} from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { eraseSubject, exportSubject } from '../privacy/data-subject-requests.ts';
import { RETENTION_TABLES, retentionDaysFor, withTenantSettings } from '../privacy/privacy-config.ts';
import type { DataSubject, PrivacyStore } from '../privacy/sqlite-privacy-store.ts';
import { subjectKey } from '../privacy/subject-keys.ts';
import { tenantScope } from '../tenancy.ts';
import { parseBody, requestLogger } from './http.ts';

type Kind = 'conversation' | 'customer';

const SUBJECT_IN_PATH = /^(\/(?:v1\/)?privacy\/(?:conversations|customers)\/)[^/]+/u;

/** The request path as logged: a customer's phone or e-mail in a privacy path never reaches the log. */
export function loggedPath(pathname: string): string {
  return pathname.replace(SUBJECT_IN_PATH, '$1:id');
}

/**
 * Data subject requests (152-FZ arts. 14 and 21): erase everything about one conversation or
 * customer, or export what is held; and how long the tenant keeps each table. Admin only, each
 * tenant's admin on that tenant's rows. A customer is found by any identifier the helpdesk
 * card gave (`conversation.customer.ids` values: customer id, phone, e-mail…), compared as keyed
 * hashes; the logs get the kind and counts, never the identifier.
 */
export function privacyRoutes(context: RouteContext): Router {
  const router = Router();
  const privacy = context.privacy;
  if (!privacy) return router;

  function subjectOf(kind: Kind, raw: string | string[] | undefined): { subject: DataSubject; id: string } {
    const parsed = dataSubjectIdSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ServiceError('invalid-request', 'The identifier in the path is empty or too long.', {
        issues: [{ path: 'id', message: '1–200 characters' }],
      });
    }
    const id = parsed.data;
    return {
      id,
      subject:
        kind === 'conversation' ? { conversationId: id } : { customerKey: subjectKey(privacy!.hashKey, id) },
    };
  }

  /**
   * The caller's tenant's privacy store and knowledge: an admin erases, exports and sets retention
   * for their own tenant's rows, never another's.
   */
  const scopeOf = (
    response: Response,
  ): { store: PrivacyStore; knowledge: ReturnType<typeof knowledgeOf> } => {
    const scope = tenantScope(response);
    if (!scope.privacy)
      throw new ServiceError(
        'forbidden',
        `This service keeps no personal data for tenant "${scope.tenant}".`,
      );
    return { store: scope.privacy, knowledge: knowledgeOf(response) };
  };
  const knowledgeOf = (response: Response) => tenantScope(response).knowledge()?.store;

  const retentionOf = async (response: Response): Promise<RetentionSettingsResponse> => {
    const { store } = scopeOf(response);
    const { tenant } = tenantScope(response);
    const settings = await store.retentionSettings();
    const config = withTenantSettings(context.config.privacy, { [tenant]: settings });
    const effective = Object.fromEntries(
      RETENTION_TABLES.map((table) => [
        table,
        retentionDaysFor(
          config,
          tenant,
          table,
          table === 'history' ? context.config.knowledge.historyRetentionDays : config.retentionDays,
        ),
      ]),
    ) as RetentionSettingsResponse['effective'];
    return { tenant, effective, settings };
  };

  router.get('/privacy/retention', requirePermission('settings'), async (_request, response) => {
    response.json(await retentionOf(response));
  });

  router.put('/privacy/retention', requirePermission('settings'), async (request, response) => {
    const days = parseBody(retentionSettingsRequestSchema, request.body);
    await scopeOf(response).store.setRetentionSettings(days, context.clock.now().toISOString());
    const body = await retentionOf(response);
    requestLogger(response).info({ settings: body.settings }, 'retention settings changed');
    response.json(body);
  });

  for (const [segment, kind] of [
    ['conversations', 'conversation'],
    ['customers', 'customer'],
  ] as const) {
    router.delete(`/privacy/${segment}/:id`, requirePermission('settings'), async (request, response) => {
      const { store, knowledge } = scopeOf(response);
      const { subject, id } = subjectOf(kind, request.params.id);
      const erased = await eraseSubject(store, knowledge, subject);
      requestLogger(response).info({ kind, ...erased }, 'personal data erased on request');
      const body: ErasureResponse = { subject: { kind, id }, erased };
      response.json(body);
    });

    router.get(`/privacy/${segment}/:id/export`, requirePermission('settings'), async (request, response) => {
      const { store, knowledge } = scopeOf(response);
      const { subject, id } = subjectOf(kind, request.params.id);
      const held = await exportSubject(store, knowledge, subject);
      requestLogger(response).info(
        { kind, suggestionSets: held.suggestionSets.length, feedbackEvents: held.feedbackEvents.length },
        'personal data exported on request',
      );
      const body: SubjectExportResponse = {
        subject: { kind, id },
        exportedAt: context.clock.now().toISOString(),
        ...held,
      };
      response.setHeader('Cache-Control', 'no-store');
      response.json(body);
    });
  }
  return router;
}
