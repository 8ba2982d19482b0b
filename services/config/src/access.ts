/**
 * Who may read an application's configuration: a client whose id is the application's name, or
 * one the `readers` configuration binds to it (`{ "ops": ["orders", "accounts"] }`, `"*"` for all).
 */
import { rampartError, type Principal } from '@rampart/chassis';

export function mayRead(
  principal: Principal,
  app: string,
  readers: Readonly<Record<string, readonly string[]>>,
): boolean {
  if (principal.clientId === app) return true;
  const bound = Object.hasOwn(readers, principal.clientId) ? readers[principal.clientId] : undefined;
  return bound !== undefined && (bound.includes(app) || bound.includes('*'));
}

/** The authenticated caller of a route that has an `auth` policy (the chassis sets it before the handler). */
export function principalOf(request: { principal?: Principal | undefined }): Principal {
  if (!request.principal) throw rampartError('RAMPART_ERR_UNAUTHORIZED');
  return request.principal;
}
