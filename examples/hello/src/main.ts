#!/usr/bin/env node
import { runService } from '@rampart/chassis';
import { buildHello } from './app.js';

await runService(async () => {
  const app = await buildHello();
  await app.start();
});
