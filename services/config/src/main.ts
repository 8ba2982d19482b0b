/** `node services/config/dist/main.js`: runs the configuration server. */
import { runService } from '@rampart/chassis';
import { buildConfigServer } from './app.js';

await runService(async () => {
  const app = await buildConfigServer();
  await app.start();
});
