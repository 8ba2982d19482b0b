/**
 * Vitest global setup: finds out once whether the real PostgreSQL and Redis the store suites
 * need are reachable, and hands their URLs to the tests through `inject()`.
 *
 * On a developer machine without them the suites are skipped with a message that says why.
 * In CI (`CI=true`) a missing backend is a failure, never a silent skip.
 */
import net from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    redisUrl: string | null;
  }
}

const POSTGRES_URL = process.env.RAMPART_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.RAMPART_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function probe(name: string, envVar: string, url: string): Promise<string | null> {
  if (await reachable(url)) return url;
  const why = `${name} is not reachable at ${new URL(url).host} (set ${envVar} to point the tests at one)`;
  if (process.env.CI) throw new Error(`CI requires ${name}: ${why}`);
  console.warn(`\n[rampart tests] SKIPPING the ${name} suites: ${why}.\n`);
  return null;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('postgresUrl', await probe('PostgreSQL', 'RAMPART_TEST_POSTGRES_URL', POSTGRES_URL));
  project.provide('redisUrl', await probe('Redis', 'RAMPART_TEST_REDIS_URL', REDIS_URL));
}
