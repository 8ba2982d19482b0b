// The baseline: the benchmark route on bare Fastify, nothing else.
import fastify from 'fastify';

const app = fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
console.log(JSON.stringify({ benchListening: address.port }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
