import { rm } from 'node:fs/promises';
import type { Benchmark } from '../lib/benchmark.js';
import { serverScript, tempDir } from '../lib/paths.js';

const dataDir = tempDir('chassis');
const BARE = 'bare Fastify';
const CHASSIS = 'chassis, everything on';

const chassis: Benchmark = {
  name: 'chassis',
  description:
    'A route served by a chassis service with everything on versus the same route on bare Fastify, ' +
    'same run: throughput ratio and p99 latency.',
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
  },
  candidates: [
    { label: BARE, server: 'fastify', request: { path: '/hello' } },
    { label: CHASSIS, server: 'chassis', request: { path: '/hello' } },
  ],
  ratios: [{ candidate: CHASSIS, baseline: BARE, minRatio: 0.8 }],
  teardown: () => rm(dataDir, { recursive: true, force: true }),
};

export default chassis;
