import { ROLES, type Role } from '../contract/auth.ts';

export { ROLES, type Role, roleSchema, tenantSchema, tokenNameSchema } from '../contract/auth.ts';

/**
 * What a route asks of its caller. `use` covers the operator's work (assist, search, rewrite,
 * check-draft, feedback as themselves, reading the knowledge base and recipes).
 */
export type Permission = 'use' | 'knowledge:write' | 'recipes:write' | 'analytics' | 'tokens' | 'settings';

const GRANTS: Record<Role, readonly Permission[]> = {
  operator: ['use'],
  knowledge_manager: ['use', 'knowledge:write', 'recipes:write'],
  team_lead: ['use', 'knowledge:write', 'recipes:write', 'analytics'],
  admin: ['use', 'knowledge:write', 'recipes:write', 'analytics', 'tokens', 'settings'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The least role that holds `permission`: what an error tells the caller to ask for. */
export function leastRoleFor(permission: Permission): Role {
  return ROLES.find((role) => roleAllows(role, permission)) ?? 'admin';
}

/** Who is calling, as the service has established it: never read from a request body. */
export interface Principal {
  /** The token's id; `env-admin` for ASSIST_ADMIN_TOKEN. */
  tokenId: string;
  name: string;
  role: Role;
  tenant: string;
  /** How the caller proved it: a bearer token, or the console's session cookie. */
  via: 'bearer' | 'session';
}
