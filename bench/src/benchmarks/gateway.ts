import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Benchmark, StartedServers } from '../lib/benchmark.js';
import { serverScript, tempDir } from '../lib/paths.js';

// Issue 5: what the gateway costs over a plain proxy, all against the same upstream in one run.
const DIRECT = 'direct to the upstream';
const NGINX = 'nginx reverse proxy';
const FASTIFY = 'Fastify + reply-from';
const OPEN = 'Rampart gateway, auth: none';
const SECURED = 'Rampart gateway, JWT + role + rate limit';
const OPEN_QUIET = 'Rampart gateway, auth: none, access log off';

const dir = tempDir('gateway');
// Debian's nginx (`apt-get install nginx`); without it the nginx rows are left out, as PostgreSQL's are.
const nginxBin = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const withNginx = existsSync(nginxBin);
if (!withNginx)
  process.stderr.write(`bench: nginx not found at ${nginxBin} (apt-get install nginx): skipped\n`);
const PATH = '/bench/hello';

/** A gateway's route table: one route to the upstream (the URL comes from the environment). */
function routesFile(name: string, route: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  const yaml = [
    'routes:',
    `  - name: ${name}`,
    '    prefix: /bench',
    "    upstreams: ['${BENCH_UPSTREAM_URL}']",
    ...Object.entries(route).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
    '',
  ].join('\n');
  writeFileSync(file, yaml);
  return file;
}

const upstreamUrl = (started: StartedServers) => started.upstream!.url;

function gatewayEnv(
  name: string,
  routes: string,
  started: StartedServers,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    BENCH_UPSTREAM_URL: upstreamUrl(started),
    RAMPART_GATEWAY_ROUTES_FILE: routes,
    RAMPART_GATEWAY_ROUTES_WATCH: 'false',
    RAMPART_GATEWAY_DATA_DIR: join(dir, name),
    RAMPART_GATEWAY_SHUTDOWN_DRAIN_DELAY_MS: '0',
    RAMPART_GATEWAY_SHUTDOWN_GRACE_PERIOD_MS: '2000',
    // Tokens come from the bench issuer; with no clientSecret there is no revocation feed to poll.
    RAMPART_GATEWAY_ISSUER: started.issuer!.url,
    RAMPART_GATEWAY_AUDIENCE: 'rampart',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

const openRoutes = routesFile('open', { auth: 'none' });
const securedRoutes = routesFile('secured', {
  auth: 'required',
  roles: ['bench'],
  // High enough never to trigger: the limiter's cost is measured, not its refusals.
  rateLimit: { key: 'user', points: 1_000_000_000, durationSec: 60 },
});

const sameRequest = (started: StartedServers) => ({
  path: PATH,
  headers: { authorization: `Bearer ${String(started.issuer!.info.token)}` },
});

const gateway: Benchmark = {
  name: 'gateway',
  description:
    'The same upstream (node:http answering {"ok":true}) reached directly, through nginx, through bare ' +
    'Fastify + @fastify/reply-from, and through the Rampart gateway without and with edge security ' +
    '(ES256 JWT verified against a JWKS, a required role, a per-user rate limit, metrics, access log), ' +
    'and once with its access log off. ' +
    'Each server in its own process, same run, the same GET with a bearer token to each, keep-alive.',
  servers: {
    upstream: { script: serverScript('upstream.js') },
    issuer: { script: serverScript('jwks-issuer.js') },
    ...(withNginx
      ? {
          nginx: {
            script: serverScript('nginx.js'),
            env: (s: StartedServers) => ({ UPSTREAM_URL: upstreamUrl(s) }),
          },
        }
      : {}),
    fastify: { script: serverScript('fastify-proxy.js'), env: (s) => ({ UPSTREAM_URL: upstreamUrl(s) }) },
    open: { script: serverScript('rampart-gateway.js'), env: (s) => gatewayEnv('open', openRoutes, s) },
    quiet: {
      script: serverScript('rampart-gateway.js'),
      env: (s) => gatewayEnv('quiet', openRoutes, s, { RAMPART_GATEWAY_REQUEST_LOG: 'false' }),
    },
    secured: {
      script: serverScript('rampart-gateway.js'),
      env: (s) => gatewayEnv('secured', securedRoutes, s),
    },
  },
  // Every candidate gets the same request, bearer token included: the rows then differ only in
  // what each server does with it (the plain proxies forward the header; the secured gateway
  // verifies it), not in the bytes on the wire.
  candidates: [
    { label: DIRECT, server: 'upstream', request: sameRequest },
    ...(withNginx ? [{ label: NGINX, server: 'nginx', request: sameRequest }] : []),
    { label: FASTIFY, server: 'fastify', request: sameRequest },
    { label: OPEN, server: 'open', request: sameRequest },
    // Diagnostic: what the access log costs.
    { label: OPEN_QUIET, server: 'quiet', request: sameRequest },
    { label: SECURED, server: 'secured', request: sameRequest },
  ],
  reference: DIRECT,
  ratios: [
    { candidate: SECURED, baseline: FASTIFY, minRatio: 0.9 },
    { candidate: OPEN, baseline: FASTIFY, minRatio: 0.9 },
    { candidate: OPEN_QUIET, baseline: FASTIFY },
    ...(withNginx
      ? [
          { candidate: SECURED, baseline: NGINX },
          { candidate: FASTIFY, baseline: NGINX },
        ]
      : []),
  ],
  teardown: () => rm(dir, { recursive: true, force: true }),
};

export default gateway;
