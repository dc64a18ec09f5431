import type { Response } from 'express';
import type { AssistEngine } from './engines/engine.ts';
import type { Rewriter } from './engines/offline/rewrite.ts';
import type { EventStore } from './feedback/event-store.ts';
import type { PrivacyStore } from './privacy/sqlite-privacy-store.ts';
import type { RecipeStore } from './recipes/recipe-store.ts';
import type { KnowledgeSource } from './retrieval/knowledge-base.ts';
import type { ScriptProfiles } from './retrieval/script-profiles.ts';

/**
 * Everything a request may read or change, for one tenant: its knowledge base (collections are
 * resolved within it), its stores and the engine over its knowledge. A route takes them from the
 * caller's scope, never from the app as a whole, so another tenant's rows cannot be reached.
 */
export interface TenantScope {
  tenant: string;
  knowledge: KnowledgeSource;
  events: EventStore;
  recipes: RecipeStore;
  engine: AssistEngine;
  profiles: ScriptProfiles;
  rewriter: Rewriter;
  /** Erasure, export and retention settings of this tenant's rows; absent when privacy is not served. */
  privacy?: PrivacyStore | undefined;
}

/** Opens (once) and returns the scope of a tenant other than the service's default one. */
export type TenantScopes = (
  tenant: string,
) => Promise<Omit<TenantScope, 'rewriter'> & { rewriter?: Rewriter }>;

/** The caller's tenant scope, as the tenancy middleware set it after authentication. */
export function tenantScope(response: Response): TenantScope {
  const scope = response.locals.scope as TenantScope | undefined;
  if (!scope) throw new Error('tenantScope read before the tenancy middleware ran');
  return scope;
}
