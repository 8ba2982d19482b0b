/**
 * Reads a form-encoded OAuth request. RFC 6749 §3.1/§3.2: parameters must not be repeated (except
 * RFC 8707 `resource`), and a parameter sent without a value is treated as omitted.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from './errors.js';

const REPEATABLE = new Set(['resource']);

export class FormParams {
  constructor(private readonly values: ReadonlyMap<string, string[]>) {}

  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new InvalidRequest(`missing parameter ${name}`);
    return value;
  }

  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }
}

export function parseForm(request: FastifyRequest): FormParams {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequest('expected an application/x-www-form-urlencoded body');
  }
  const body = request.body;
  if (body === null || typeof body !== 'object') throw new InvalidRequest('expected a form body');
  const values = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    const list = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    if (list.length === 0) continue;
    if (list.length > 1 && !REPEATABLE.has(name)) throw new InvalidRequest(`duplicate parameter ${name}`);
    values.set(name, list);
  }
  return new FormParams(values);
}
