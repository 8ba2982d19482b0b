// The baseline: the benchmark route on bare Fastify, nothing else.
// Same Node workaround as every Rampart service (see @rampart/chassis/pin-tick-object), so the
// rows compare servers, not whether V8 lost nextTick's shapes during this process's start-up.
import '@rampart/chassis/pin-tick-object';
import fastify from 'fastify';

const app = fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
console.log(JSON.stringify({ benchListening: address.port }));

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
