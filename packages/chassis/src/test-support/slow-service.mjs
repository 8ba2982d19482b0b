// A chassis service with a slow route, run as a real process by the lifecycle tests.
import { createService, runService } from '@rampart/chassis';

await runService(async () => {
  const app = await createService({ name: 'slow', defaultPort: 0 });
  app.get('/slow', { config: { public: true } }, async (request) => {
    await new Promise((resolve) => setTimeout(resolve, Number(request.query.ms ?? 500)));
    return { ok: true };
  });
  const { port } = await app.start();
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});
