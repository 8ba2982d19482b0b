// The candidate: the same route served by a chassis service with everything on (request logs,
// metrics, request ids, security headers, audit), as `rampart up` would run it. Its logs go to
// stdout, which the harness drains and counts. With BENCH_ISSUER set it is also an OAuth resource
// server (tokens verified against that issuer's JWKS; no revocation feed, the bench issuer has
// none) with one more route, `/secure`, for callers with the role `bench`.
import { createService, Type } from '@rampart/chassis';

const issuer = process.env.BENCH_ISSUER;
const service = await createService({
  name: 'bench',
  version: '0.0.0',
  config: Type.Object({}),
  argv: [],
  ...(issuer ? { security: {} } : {}),
  env: {
    ...process.env,
    PORT: '0',
    ...(issuer ? { RAMPART_SECURITY_ISSUER: issuer, RAMPART_SECURITY_REVOCATION_FEED: 'false' } : {}),
  },
});
service.get('/hello', { config: { public: true } }, async () => ({ hello: 'world' }));
if (issuer)
  service.get('/secure', { config: { auth: { roles: ['bench'] } } }, async () => ({ hello: 'world' }));
// The chassis installs its own SIGTERM handler (graceful drain, then exit).
const address = await service.start();
console.log(JSON.stringify({ benchListening: address.port }));
