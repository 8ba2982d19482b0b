/** `node services/gateway/dist/main.js`: runs the API gateway. */
import { runService } from '@rampart/chassis';
import { buildGateway } from './app.js';

await runService(async () => {
  const app = await buildGateway();
  await app.start();
});
