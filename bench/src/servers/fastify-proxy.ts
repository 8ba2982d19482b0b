// The gateway benchmark's baseline proxy: bare Fastify with @fastify/reply-from to UPSTREAM_URL,
// nothing else (no auth, no logs, no metrics).
import replyFrom from '@fastify/reply-from';
import fastify from 'fastify';

const upstream = process.env.UPSTREAM_URL;
if (!upstream) throw new Error('UPSTREAM_URL is required');

const app = fastify({ logger: false });
await app.register(replyFrom, { base: upstream, undici: { connections: 128, pipelining: 1 } });
app.all('/*', (request, reply) => reply.from(request.url));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
console.log(JSON.stringify({ benchListening: address.port }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
