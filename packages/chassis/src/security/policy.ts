/**
 * Route policies and their evaluation. A policy names what a caller needs; everything it lists
 * is required (scopes: all; roles: any one of them; permissions: all, through the role map;
 * kind: `'user'` unless the route says otherwise — a service-account token on a user route is refused).
 */
import type { Principal } from './principal.js';

export interface RoutePolicy {
  /** Every one of these OAuth scopes (RFC 6750 §3.1 `insufficient_scope` when missing). */
  scopes?: readonly string[];
  /** At least one of these roles. */
  roles?: readonly string[];
  /** Every one of these permissions, granted through the role → permission map. */
  permissions?: readonly string[];
  /** Who may call: users (default), service accounts, or both. */
  kind?: 'user' | 'service' | 'any';
}

/** Role → permissions, e.g. `{ admin: ['orders:read:any', 'accounts:suspend'], customer: ['orders:create'] }`. */
export type PermissionMap = Readonly<Record<string, readonly string[]>>;

export type DenialCode =
  | 'missing_credentials'
  | 'invalid_request'
  | 'invalid_token'
  | 'revoked'
  | 'keys_unavailable'
  | 'no_policy'
  | 'wrong_kind'
  | 'insufficient_scope'
  | 'missing_role'
  | 'missing_permission';

export interface Denial {
  code: DenialCode;
  status: 400 | 401 | 403 | 503;
  /** Internal detail for logs and audit (which scope, which token check failed). */
  detail: string;
  /** Missing scopes, for the `scope` attribute of WWW-Authenticate. */
  scopes?: readonly string[];
}

export function permissionsOf(principal: Principal, map: PermissionMap): Set<string> {
  const granted = new Set<string>();
  for (const role of principal.roles) for (const permission of map[role] ?? []) granted.add(permission);
  return granted;
}

/** Returns why the principal may not call a route with this policy, or undefined when it may. */
export function evaluatePolicy(
  principal: Principal,
  policy: RoutePolicy,
  map: PermissionMap,
): Denial | undefined {
  const kind = policy.kind ?? 'user';
  if (kind !== 'any' && principal.kind !== kind)
    return {
      code: 'wrong_kind',
      status: 403,
      detail: `route is for ${kind} tokens, caller is a ${principal.kind}`,
    };
  const missingScopes = (policy.scopes ?? []).filter((s) => !principal.scopes.includes(s));
  if (missingScopes.length > 0)
    return {
      code: 'insufficient_scope',
      status: 403,
      detail: `missing scope ${missingScopes.join(' ')}`,
      scopes: policy.scopes ?? [],
    };
  if (policy.roles && policy.roles.length > 0 && !policy.roles.some((r) => principal.roles.includes(r)))
    return {
      code: 'missing_role',
      status: 403,
      detail: `requires one of the roles ${policy.roles.join(', ')}`,
    };
  if (policy.permissions && policy.permissions.length > 0) {
    const granted = permissionsOf(principal, map);
    const missing = policy.permissions.filter((p) => !granted.has(p));
    if (missing.length > 0)
      return { code: 'missing_permission', status: 403, detail: `missing permission ${missing.join(', ')}` };
  }
  return undefined;
}

const NAME = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token characters

/** Checks a route's policy when the route is declared, so a typo fails at start-up. */
export function validatePolicy(route: string, policy: unknown): asserts policy is RoutePolicy {
  const fail = (why: string): never => {
    throw new TypeError(`route ${route}: invalid config.auth: ${why}`);
  };
  if (typeof policy !== 'object' || policy === null) fail('expected an object');
  const p = policy as Record<string, unknown>;
  for (const key of Object.keys(p))
    if (!['scopes', 'roles', 'permissions', 'kind'].includes(key)) fail(`unknown key ${key}`);
  for (const key of ['scopes', 'roles', 'permissions'] as const) {
    const list = p[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || !NAME.test(v)))
      fail(`${key} must be an array of names`);
  }
  if (p.kind !== undefined && !['user', 'service', 'any'].includes(p.kind as string))
    fail(`kind must be 'user', 'service' or 'any'`);
}
