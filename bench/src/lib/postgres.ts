import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL URL with a fresh `?schema=`, and how to drop that schema; undefined when unreachable. */
export async function postgresSchema(
  baseUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await query('SELECT 1');
  } catch (error) {
    process.stderr.write(
      `bench: PostgreSQL unreachable at ${baseUrl} (${(error as Error).message}): skipped\n`,
    );
    return undefined;
  }
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  return { url: url.href, drop: () => query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}
