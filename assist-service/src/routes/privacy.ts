import { type Response, Router } from 'express';
import type { RouteContext } from '../app.ts';
import { principal, requirePermission } from '../auth/authenticate.ts';
import { dataSubjectIdSchema, type ErasureResponse, type SubjectExportResponse } from '../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { eraseSubject, exportSubject } from '../privacy/data-subject-requests.ts';
import type { DataSubject } from '../privacy/sqlite-privacy-store.ts';
import { subjectKey } from '../privacy/subject-keys.ts';
import { requestLogger } from './http.ts';

type Kind = 'conversation' | 'customer';

const SUBJECT_IN_PATH = /^(\/(?:v1\/)?privacy\/(?:conversations|customers)\/)[^/]+/u;

/** The request path as logged: a customer's phone or e-mail in a privacy path never reaches the log. */
export function loggedPath(pathname: string): string {
  return pathname.replace(SUBJECT_IN_PATH, '$1:id');
}

/**
 * Data subject requests (152-FZ arts. 14 and 21): erase everything about one conversation or
 * customer, or export what is held. Admin only. A customer is found by any identifier the helpdesk
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
   * The privacy store holds the service's own tenant: another tenant's admin is refused rather
   * than shown or allowed to erase rows that are not theirs.
   */
  const ownTenantOnly = (response: Response) => {
    if (principal(response).tenant !== context.config.tenant) {
      throw new ServiceError(
        'forbidden',
        `Erasure and export serve tenant "${context.config.tenant}" only on this service for now.`,
      );
    }
  };

  for (const [segment, kind] of [
    ['conversations', 'conversation'],
    ['customers', 'customer'],
  ] as const) {
    router.delete(`/privacy/${segment}/:id`, requirePermission('settings'), async (request, response) => {
      ownTenantOnly(response);
      const { subject, id } = subjectOf(kind, request.params.id);
      const erased = await eraseSubject(privacy.store, context.knowledge()?.store, subject);
      requestLogger(response).info({ kind, ...erased }, 'personal data erased on request');
      const body: ErasureResponse = { subject: { kind, id }, erased };
      response.json(body);
    });

    router.get(`/privacy/${segment}/:id/export`, requirePermission('settings'), async (request, response) => {
      ownTenantOnly(response);
      const { subject, id } = subjectOf(kind, request.params.id);
      const held = await exportSubject(privacy.store, context.knowledge()?.store, subject);
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
