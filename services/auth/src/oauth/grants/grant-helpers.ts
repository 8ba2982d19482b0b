/** Scope and audience rules the grants share. */
import { InvalidScope, InvalidTarget } from '../errors.js';
import type { FormParams } from '../parse-form.js';

export function splitScope(scope: string | undefined | null): string[] {
  return scope ? scope.split(' ').filter(Boolean) : [];
}

/**
 * The requested scope, which must lie within `granted` (RFC 6749 §3.3, §6); when absent, all of
 * `granted`.
 */
export function narrowScope(requested: string | undefined, granted: readonly string[]): string[] {
  if (requested === undefined) return [...granted];
  const asked = [...new Set(splitScope(requested))];
  const outside = asked.filter((s) => !granted.includes(s));
  if (outside.length > 0) throw new InvalidScope(`scope not allowed: ${outside.join(' ')}`);
  return asked;
}

/**
 * RFC 8707 §2: the token's audience is the requested resources, each allowed (by the client's
 * registration or the original grant); with none requested, `fallback`.
 */
export function resolveAudience(
  params: FormParams,
  allowed: readonly string[],
  fallback: readonly string[],
): string[] {
  const requested = [...new Set(params.all('resource'))];
  if (requested.length === 0) return [...fallback];
  for (const resource of requested) {
    // RFC 8707 §2 asks for an absolute URI without a fragment. Rampart's services identify
    // themselves by name (`orders`), so a name registered for the client is accepted as well;
    // anything else must be an absolute URI, and every value must be allowed for the client.
    if (!allowed.includes(resource)) {
      let url: URL | undefined;
      try {
        url = new URL(resource);
      } catch {
        url = undefined;
      }
      if (!url || url.hash) throw new InvalidTarget(`invalid resource ${resource}`);
      throw new InvalidTarget(`resource not allowed: ${resource}`);
    }
  }
  return requested;
}

/** With no resource requested: every audience registered for the client, else the server default. */
export function defaultAudienceOf(client: { audiences: readonly string[] }, serverDefault: string): string[] {
  return client.audiences.length > 0 ? [...client.audiences] : [serverDefault];
}
