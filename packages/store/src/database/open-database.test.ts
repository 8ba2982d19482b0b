import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { StoreError } from '../errors.js';
import { openDatabase } from './open-database.js';
import type { Database } from './open-database.js';

interface Tables {
  notes: { id: number; body: string };
}

/** Where one test gets a fresh, empty database, and how it looks inside. */
interface Backend {
  name: 'sqlite' | 'postgres';
  fresh(): string;
  /** The tables this database's connection sees (its own schema on PostgreSQL). */
  tables(db: Kysely<unknown>): Promise<string[]>;
  cleanup(): Promise<void>;
}

const random = () => randomBytes(4).toString('hex');

function sqliteBackend(): Backend {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-store-'));
  let n = 0;
  return {
    name: 'sqlite',
    fresh: () => `sqlite:${path.join(dir, `db-${++n}.sqlite`)}`,
    tables: async (db) =>
      (
        await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' order by name`.execute(db)
      ).rows.map((row) => row.name),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(url: string): Backend {
  // One random base per test file; each test gets its own schema under it, all dropped afterwards.
  const base = `t_${random()}`;
  let n = 0;
  return {
    name: 'postgres',
    fresh: () => `${url}?schema=${base}_${++n}`,
    tables: async (db) =>
      (
        await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() order by table_name`.execute(db)
      ).rows.map((row) => row.name),
    cleanup: () => dropSchemas(url, base),
  };
}

async function dropSchemas(url: string, base: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select nspname as name from pg_namespace where starts_with(nspname, $1)',
      [base],
    );
    for (const { name } of rows) await client.query(`drop schema "${name}" cascade`);
  } finally {
    await client.end();
  }
}

/** Migrations that create one table each and record the order they ran in. */
function recording(ran: string[], ...names: string[]): Record<string, Migration> {
  return Object.fromEntries(
    names.map((name): [string, Migration] => [
      name,
      {
        up: async (db) => {
          ran.push(name);
          await db.schema
            .createTable(`t${name}`)
            .addColumn('id', 'integer', (c) => c.primaryKey())
            .execute();
        },
      },
    ]),
  );
}

const notes: Record<string, Migration> = {
  '0001_notes': {
    up: (db) =>
      db.schema
        .createTable('notes')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute(),
  },
};

async function executed(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

const postgresUrl = inject('postgresUrl');
const backends: [string, Backend | null][] = [
  ['sqlite', sqliteBackend()],
  ['postgres', postgresUrl === null ? null : postgresBackend(postgresUrl)],
];

for (const [name, backend] of backends) {
  describe.skipIf(backend === null)(`openDatabase on ${name}`, () => {
    const b = backend!;
    const open = <DB = unknown>(url: string, migrations: Record<string, Migration>) =>
      openDatabase<DB>({ url, service: 'store_test', migrations });
    afterAll(() => b.cleanup());

    it('reports its dialect and answers ping', async () => {
      const database = await open(b.fresh(), {});
      expect(database.dialect).toBe(b.name);
      await database.ping();
      await database.close();
      await database.close(); // idempotent
      await expect(database.ping()).rejects.toThrow();
    });

    it('runs migrations once, in key order, and only new ones on reopen', async () => {
      const url = b.fresh();
      const ran: string[] = [];
      // Declared out of order on purpose: the keys decide the order.
      let database: Database<unknown> = await open(url, recording(ran, '0002_b', '0001_a'));
      expect(ran).toEqual(['0001_a', '0002_b']);
      await database.close();

      database = await open(url, recording(ran, '0001_a', '0002_b'));
      expect(ran).toEqual(['0001_a', '0002_b']);
      await database.close();

      database = await open(url, recording(ran, '0001_a', '0002_b', '0003_c'));
      expect(ran).toEqual(['0001_a', '0002_b', '0003_c']);
      expect(await executed(database.db)).toEqual(['0001_a', '0002_b', '0003_c']);
      await database.close();
    });

    it('throws a StoreError naming a failed migration and applies none of the pending ones', async () => {
      const url = b.fresh();
      const ran: string[] = [];
      await (await open(url, recording(ran, '0001_a'))).close();

      const failing: Migration = {
        up: async (db) => {
          await db.schema.createTable('t0003_bad').addColumn('id', 'integer').execute();
          throw new Error('boom');
        },
      };
      const error: unknown = await open(url, {
        ...recording(ran, '0001_a', '0002_b'),
        '0003_bad': failing,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'STORE_ERR_MIGRATION' });
      expect((error as Error).message).toContain('"0003_bad"');
      expect((error as Error).message).toContain('boom');

      const database = await open(url, recording([], '0001_a'));
      const tables = await b.tables(database.db);
      expect(tables).toContain('t0001_a');
      expect(tables).not.toContain('t0002_b');
      expect(tables).not.toContain('t0003_bad');
      expect(await executed(database.db)).toEqual(['0001_a']);
      await database.close();
    });

    it('keeps data across close and reopen', async () => {
      const url = b.fresh();
      let database = await open<Tables>(url, notes);
      await database.db.insertInto('notes').values({ id: 1, body: 'kept' }).execute();
      await database.close();

      database = await open<Tables>(url, notes);
      expect(await database.db.selectFrom('notes').selectAll().execute()).toEqual([{ id: 1, body: 'kept' }]);
      await database.close();
    });
  });
}

describe('openDatabase on sqlite files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function pragma(database: Database<unknown>, name: string): Promise<unknown> {
    const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(database.db);
    return Object.values(rows[0] ?? {})[0];
  }

  it('uses WAL, synchronous FULL, a busy timeout and foreign keys', async () => {
    const database = await openDatabase({ url: `sqlite:${dir}/pragmas.db`, service: 'auth', migrations: {} });
    expect(await pragma(database, 'journal_mode')).toBe('wal');
    expect(await pragma(database, 'synchronous')).toBe(2); // FULL
    expect(await pragma(database, 'busy_timeout')).toBe(5000);
    expect(await pragma(database, 'foreign_keys')).toBe(1);
    await database.close();
  });

  it('lets the URL relax synchronous to NORMAL', async () => {
    const url = `sqlite:${dir}/normal.db?synchronous=normal`;
    const database = await openDatabase({ url, service: 'auth', migrations: {} });
    expect(await pragma(database, 'synchronous')).toBe(1); // NORMAL
    await database.close();
  });

  it('creates missing directories and resolves relative paths against the working directory', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'auth.db');
    const url = `sqlite:${path.relative(process.cwd(), file)}`;
    const database = await openDatabase({ url, service: 'auth', migrations: notes });
    await database.close();
    expect(existsSync(file)).toBe(true);
  });

  it('opens an in-memory database', async () => {
    const database = await openDatabase<Tables>({
      url: 'sqlite::memory:',
      service: 'auth',
      migrations: notes,
    });
    await database.db.insertInto('notes').values({ id: 1, body: 'x' }).execute();
    expect(await database.db.selectFrom('notes').select('body').executeTakeFirst()).toEqual({ body: 'x' });
    await database.close();
  });
});

describe.skipIf(postgresUrl === null)('openDatabase on postgres: isolation and reachability', () => {
  const url = postgresUrl!;
  const base = `t_${random()}`;
  afterAll(() => dropSchemas(url, base));

  it('gives each service its own schema, so equal table names do not clash', async () => {
    const a = await openDatabase<Tables>({ url, service: `${base}_a`, migrations: notes });
    const b = await openDatabase<Tables>({ url, service: `${base}_b`, migrations: notes });
    await a.db.insertInto('notes').values({ id: 1, body: 'from a' }).execute();
    await b.db.insertInto('notes').values({ id: 1, body: 'from b' }).execute();
    expect(await a.db.selectFrom('notes').select('body').execute()).toEqual([{ body: 'from a' }]);
    expect(await b.db.selectFrom('notes').select('body').execute()).toEqual([{ body: 'from b' }]);

    const { rows } = await sql<{
      schema: string;
    }>`select table_schema as schema from information_schema.tables
      where table_name = 'notes' and starts_with(table_schema, ${base}) order by 1`.execute(a.db);
    expect(rows.map((row) => row.schema)).toEqual([`${base}_a`, `${base}_b`]);
    await Promise.all([a.close(), b.close()]);
  });

  it('reports an unreachable server with host and port, never the password', async () => {
    const error: unknown = await openDatabase({
      url: 'postgres://app:s3cret@127.0.0.1:1/rampart',
      service: 'auth',
      migrations: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_ERR_UNREACHABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('openDatabase with a bad URL', () => {
  it.each([
    ['mysql://app:s3cret@db/rampart', 'mysql://app:****@db/rampart'],
    ['postgres://app:s3cret@db/rampart?schema=Bad-Name', 'invalid schema "Bad-Name"'],
    ['postgres://app:s3cret@db/rampart?options=-c%20search_path%3Dpublic', 'unsupported parameter "options"'],
    ['postgres://app:s3cret@[db/rampart', 'postgres://app:****@[db/rampart'],
    ['sqlite:', 'missing file path'],
    ['sqlite:auth.db?synchronous=off', 'invalid synchronous "off"'],
    ['sqlite:auth.db?journal=delete', 'unknown parameter "journal"'],
    ['', 'expected'],
  ])('rejects %j', async (url, mentions) => {
    const error: unknown = await openDatabase({ url, service: 'auth', migrations: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_ERR_BAD_URL' });
    expect((error as Error).message).toContain(mentions);
    expect((error as Error).message).toContain('expected');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('rejects a service name that cannot be a schema', async () => {
    await expect(
      openDatabase({ url: 'sqlite::memory:', service: 'Auth-Service', migrations: {} }),
    ).rejects.toMatchObject({
      code: 'STORE_ERR_BAD_URL',
      message: expect.stringContaining('"Auth-Service"'),
    });
  });
});
