/** A tiny real config server for client tests: one configuration, long polls, schema uploads. */
import { startRestartableServer } from '../../test-support/restartable-server.js';

export interface FakeConfigServer {
  url: string;
  /** Publishes a new version (answers waiting long polls). */
  publish(values: Record<string, unknown>, secrets?: string[]): number;
  version: number;
  schemas: Map<string, unknown>;
  /** Authorization headers seen. */
  authorizations: string[];
  requests: string[];
  goDown(): Promise<void>;
  comeUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeConfigServer(
  initial: Record<string, unknown> = {},
  secrets: string[] = [],
): Promise<FakeConfigServer> {
  let state = { version: 1, values: initial, secrets, updatedAt: new Date().toISOString() };
  const waiters = new Set<() => void>();
  const http = await startRestartableServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    fake.requests.push(`${req.method} ${url.pathname}${url.search}`);
    fake.authorizations.push(req.headers.authorization ?? '');
    const schema = /^\/v1\/schemas\/([a-z0-9-]+)$/.exec(url.pathname);
    if (schema && req.method === 'PUT') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        fake.schemas.set(schema[1]!, JSON.parse(body));
        res.writeHead(204).end();
      });
      return;
    }
    const read = /^\/v1\/config\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(url.pathname);
    if (!read) return void res.writeHead(404).end();
    const answer = () => {
      const after = url.searchParams.get('after');
      if (after !== null && state.version <= Number(after)) return void res.writeHead(304).end();
      res
        .writeHead(200, { 'content-type': 'application/json', etag: `"${state.version}"` })
        .end(JSON.stringify({ app: read[1], profile: read[2], ...state }));
    };
    const after = url.searchParams.get('after');
    if (after === null || state.version > Number(after)) return answer();
    const waiter = () => {
      clearTimeout(timer);
      waiters.delete(waiter);
      answer();
    };
    const timer = setTimeout(waiter, 1000);
    waiters.add(waiter);
    res.on('close', () => {
      clearTimeout(timer);
      waiters.delete(waiter);
    });
  });
  const fake: FakeConfigServer = {
    url: http.url,
    schemas: new Map(),
    authorizations: [],
    requests: [],
    get version() {
      return state.version;
    },
    publish(values, secretKeys = []) {
      state = {
        version: state.version + 1,
        values,
        secrets: secretKeys,
        updatedAt: new Date().toISOString(),
      };
      for (const waiter of [...waiters]) waiter();
      return state.version;
    },
    async goDown() {
      for (const waiter of [...waiters]) waiters.delete(waiter);
      await http.goDown();
    },
    comeUp: () => http.comeUp(),
    async close() {
      if (http.server.listening) await fake.goDown();
    },
  };
  return fake;
}
