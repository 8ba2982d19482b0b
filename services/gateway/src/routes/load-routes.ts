/**
 * Reads and validates a route table (YAML). Every problem is reported with its place in the
 * file, and nothing half-valid is ever returned: the caller either gets a whole table or an error.
 */
import { readFile } from 'node:fs/promises';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { routeTableSchema, type RouteSpec } from './route-schema.js';

export class RouteTableError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid route table ${source}: ${problems.join('; ')}`);
    this.name = 'RouteTableError';
  }
}

export interface ValidRoute extends RouteSpec {
  name: string;
}

// `${NAME}` or `${NAME:-default}`: upstream URLs can be switched by the environment (https in `rampart up`).
const VARIABLE = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

export function substituteEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): string {
  return text.replace(VARIABLE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    problems.push(`environment variable ${name} is not set and has no default`);
    return '';
  });
}

/** Parses, substitutes, validates; throws `RouteTableError` listing every problem. */
export function parseRouteTable(
  text: string,
  source: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ValidRoute[] {
  const problems: string[] = [];
  const substituted = substituteEnv(text, env, problems);
  let raw: unknown;
  try {
    raw = parseYaml(substituted, { prettyErrors: true });
  } catch (error) {
    throw new RouteTableError(source, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (raw === null || raw === undefined) raw = { routes: [] };
  const table = Value.Default(routeTableSchema, Value.Clone(raw));
  for (const error of Value.Errors(routeTableSchema, table))
    problems.push(`${error.path || '/'}: ${error.message}`);
  if (problems.length > 0) throw new RouteTableError(source, problems);

  const routes = (table as { routes: RouteSpec[] }).routes.map((route) => ({
    ...route,
    prefix: trimSlash(route.prefix),
    name: route.name ?? trimSlash(route.prefix),
  }));
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const route of routes) {
    if (names.has(route.name)) problems.push(`route name ${route.name} is used twice`);
    if (prefixes.has(route.prefix)) problems.push(`prefix ${route.prefix} is used twice`);
    names.add(route.name);
    prefixes.add(route.prefix);
    if (route.auth === 'none' && (route.scopes?.length || route.roles?.length))
      problems.push(`route ${route.name}: scopes/roles need auth required or optional`);
    if (route.rateLimit?.key === 'user' && route.auth === 'none')
      problems.push(`route ${route.name}: rateLimit.key user needs auth`);
  }
  if (problems.length > 0) throw new RouteTableError(source, problems);
  return routes;
}

export async function loadRouteFile(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ValidRoute[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RouteTableError(file, [`cannot read: ${(error as Error).message}`]);
  }
  return parseRouteTable(text, file, env);
}

function trimSlash(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
