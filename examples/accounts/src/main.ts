#!/usr/bin/env node
import { runService } from '@rampart/chassis';
import { buildAccounts } from './app.js';

await runService(async () => {
  const app = await buildAccounts();
  await app.start();
});
