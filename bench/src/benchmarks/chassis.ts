import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from '../lib/benchmark.js';

const server = (file: string) => fileURLToPath(new URL(`../servers/${file}`, import.meta.url));

const chassis: Benchmark = {
  name: 'chassis',
  description:
    'A route served by a chassis service with everything on versus the same route on bare Fastify, ' +
    'same run: throughput ratio and p99 latency.',
  baseline: { label: 'bare Fastify', script: server('bare-fastify.js') },
  candidate: {
    label: 'chassis, everything on',
    script: server('chassis-service.js'),
    env: {
      // Its own data directory, and no drain delay: there is no load balancer to leave.
      RAMPART_DATA_DIR: mkdtempSync(join(tmpdir(), 'rampart-bench-')),
      RAMPART_SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
  },
  request: { path: '/hello' },
  minRatio: 0.8,
};

export default chassis;
