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
    let url: URL | undefined;
    try {
      url = new URL(resource);
    } catch {
      url = undefined;
    }
    // RFC 8707 §2: an absolute URI without a fragment.
    if (!url || url.hash) throw new InvalidTarget(`invalid resource ${resource}`);
    if (!allowed.includes(resource)) throw new InvalidTarget(`resource not allowed: ${resource}`);
  }
  return requested;
}
