// A chassis service whose route answers only after its audit event is committed, run as a real
// process (and killed) by the audit crash test. DATABASE_URL names its database.
import { createService, runService } from '@rampart/chassis';

await runService(async () => {
  const app = await createService({ name: 'orders', defaultPort: 0, database: { migrations: {} } });
  app.post('/orders/:id/cancel', { config: { public: true } }, async (request) => {
    await request.audit('order.cancel', { resource: `order:${request.params.id}` });
    return { ok: true };
  });
  const { port } = await app.start();
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});
