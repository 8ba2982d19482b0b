#!/usr/bin/env node
import { runService } from '@rampart/chassis';
import { buildOrders } from './app.js';

await runService(async () => {
  const app = await buildOrders();
  await app.start();
});
