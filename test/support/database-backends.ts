/**
 * The two databases every DB-backed suite runs on: SQLite (a fresh file per call) and
 * PostgreSQL (a fresh schema per call, dropped after the test file). PostgreSQL is skipped, with
 * the reason printed once by the global setup, when it is not reachable outside CI.
 *
 * @example
 * describe.each(databaseBackends('orders'))('orders on $name', ({ skip, url }) => {
 *   it.skipIf(skip)('…', async () => { const app = await build({ DATABASE_URL: url() }); … });
 * });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export interface DatabaseBackend {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  /** A fresh database URL: its own SQLite file, or its own PostgreSQL schema. */
  url: () => string;
}

/** Call once per test file (at module level): it registers the schema clean-up. */
export function databaseBackends(prefix: string): DatabaseBackend[] {
  const postgresUrl = inject('postgresUrl');
  const base = `t_${prefix.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  afterAll(async () => {
    if (!postgresUrl || schemas.length === 0) return;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });
  return [
    {
      name: 'sqlite',
      skip: false,
      url: () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), `rampart-${prefix}-`)), 'test.db')}`,
    },
    {
      name: 'postgres',
      skip: !postgresUrl,
      url: () => {
        const schema = `${base}_${schemas.length}`;
        schemas.push(schema);
        return `${postgresUrl}?schema=${schema}`;
      },
    },
  ];
}
