/**
 * The active route table: routes compiled with their upstream pools and limiters, matched by
 * whole-segment prefix on the normalized path, longest prefix first.
 */
import type { RouteLimiter } from '../rate-limit/rate-limiter.js';
import type { UpstreamPool } from '../proxy/upstream.js';
import type { ValidRoute } from './load-routes.js';

export interface CompiledRoute {
  readonly spec: ValidRoute;
  readonly name: string;
  readonly prefix: string;
  readonly pool: UpstreamPool;
  readonly methods: ReadonlySet<string> | undefined;
  readonly limiter: RouteLimiter | undefined;
}

export class RouteTable {
  readonly routes: readonly CompiledRoute[];

  constructor(routes: readonly CompiledRoute[]) {
    this.routes = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  match(path: string): CompiledRoute | undefined {
    for (const route of this.routes) if (matchesPrefix(path, route.prefix)) return route;
    return undefined;
  }
}

export function matchesPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47); /* / */
}

/** The path sent upstream: prefix stripped or rewritten, always starting with `/`. */
export function forwardPath(route: ValidRoute, path: string): string {
  if (route.rewritePrefix === undefined && !route.stripPrefix) return path;
  const rest = route.prefix === '/' ? path : path.slice(route.prefix.length);
  const base = route.rewritePrefix ?? '/';
  if (rest === '' || rest === '/') return base === '/' ? '/' : rest === '/' ? `${trim(base)}/` : base;
  return `${trim(base)}${rest}`;
}

function trim(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
