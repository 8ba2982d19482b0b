// The candidate: the same route served by a chassis service with everything on (request logs,
// metrics, request ids, security headers, audit), as `rampart up` would run it. Its logs go to
// stdout, which the harness drains and counts.
import { createService, Type } from '@rampart/chassis';

const service = await createService({
  name: 'bench',
  version: '0.0.0',
  config: Type.Object({}),
  argv: [],
  env: { ...process.env, PORT: '0' },
});
service.get('/hello', { config: { public: true } }, async () => ({ hello: 'world' }));
// The chassis installs its own SIGTERM handler (graceful drain, then exit).
const address = await service.start();
console.log(JSON.stringify({ benchListening: address.port }));
