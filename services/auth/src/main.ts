/** `node services/auth/dist/main.js`: runs the authorization server. */
import { runService } from '@rampart/chassis';
import { buildAuth } from './app.js';

await runService(async () => {
  const app = await buildAuth();
  await app.start();
});
