/** The two database backends every DB-backed suite of the people side runs on. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { openDatabase, type Database } from '@rampart/store';
import { authMigrations } from '../../migrations/index.js';

const postgresUrl = inject('postgresUrl');

export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  skip: boolean;
  /** A fresh, migrated database URL (own file or own schema). */
  url: () => string;
}

/** Call once per test file: PostgreSQL schemas made through it are dropped after the file. */
export function backends(prefix: string): Backend[] {
  const base = `t_${prefix}_${randomBytes(4).toString('hex')}`;
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
      name: 'SQLite',
      skip: false,
      url: () => `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'rampart-people-')), 'auth.db')}`,
    },
    {
      name: 'PostgreSQL',
      skip: !postgresUrl,
      url: () => {
        const schema = `${base}_${schemas.length}`;
        schemas.push(schema);
        return `${postgresUrl}?schema=${schema}`;
      },
    },
  ];
}

export function openAuthDatabase(url: string): Promise<Database<unknown>> {
  return openDatabase<unknown>({ url, service: 'auth', migrations: authMigrations });
}
