import pino from 'pino';
import { createInfoLineWriter } from './dist/logging/line-writer.js';
import { BatchedOutput } from './dist/logging/batched-output.js';
import { openSync } from 'node:fs';
const fd = openSync('/dev/null', 'w');
const out = new BatchedOutput({ fd });
const sink = { write() {} };
const names = ['request_id','method','path','route','status','duration_ms','gateway_ms','upstream_ms','upstream','attempts','bytes_in','bytes_out','sub','client_id','remote_address'];
const N = 2e6;
function time(name, f) { for (let i = 0; i < 2e5; i++) f(i); const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) f(i); console.log(name, (Number(process.hrtime.bigint() - t) / N).toFixed(0), 'ns'); }
for (const [label, dest] of [['noop sink', sink], ['batched /dev/null', out]]) {
  const logger = pino({ base: { 'service.name': 'gateway', 'service.version': '0.1.0' } }, dest);
  const w = createInfoLineWriter(logger, names);
  time(label, (i) => w({ request_id: 'b1f0a6e4-8d1c-4b7e-9a55-0c7f3f1d2e3a', method: 'GET', path: '/bench/hello', route: 'secured', status: 200, duration_ms: 1.23 + (i & 7), gateway_ms: 0.41, upstream_ms: 0.82, upstream: 'http://127.0.0.1:45678', attempts: 1, bytes_in: 0, bytes_out: 11, sub: 'bench-user', client_id: 'bench-client', remote_address: '127.0.0.1' }, 'gateway access'));
}
