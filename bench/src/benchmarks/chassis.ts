import { rm } from 'node:fs/promises';
import type { Benchmark } from '../lib/benchmark.js';
import { serverScript, tempDir } from '../lib/paths.js';

const dataDir = tempDir('chassis');
const BARE = 'bare Fastify';
const CHASSIS = 'chassis, everything on';
const SECURED = 'chassis, bearer JWT + role';

const chassis: Benchmark = {
  name: 'chassis',
  description:
    'A route served by a chassis service with everything on versus the same route on bare Fastify, ' +
    'same run: throughput ratio and p99 latency. Also a chassis route that requires a role, called ' +
    'with an ES256 access token (verified once, then from the verified-token cache).',
  servers: {
    fastify: { script: serverScript('bare-fastify.js') },
    chassis: {
      script: serverScript('chassis-service.js'),
      env: {
        // Its own data directory, and no drain delay: there is no load balancer to leave.
        RAMPART_DATA_DIR: dataDir,
        RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0',
      },
    },
    issuer: { script: serverScript('jwks-issuer.js'), env: { BENCH_AUDIENCE: 'bench' } },
    secured: {
      script: serverScript('chassis-service.js'),
      env: (started) => ({
        RAMPART_DATA_DIR: `${dataDir}-secured`,
        RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0',
        BENCH_ISSUER: started.issuer!.url,
      }),
    },
  },
  candidates: [
    { label: BARE, server: 'fastify', request: { path: '/hello' } },
    { label: CHASSIS, server: 'chassis', request: { path: '/hello' } },
    {
      label: SECURED,
      server: 'secured',
      request: (started) => ({
        path: '/secure',
        headers: { authorization: `Bearer ${String(started.issuer!.info.token)}` },
      }),
    },
  ],
  ratios: [
    { candidate: CHASSIS, baseline: BARE, minRatio: 0.8 },
    { candidate: SECURED, baseline: CHASSIS },
  ],
  teardown: async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}-secured`, { recursive: true, force: true });
  },
};

export default chassis;
