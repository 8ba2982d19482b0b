// Logs through the default (batched) stdout and exits at once: the batch must still be written.
import { createLogger } from '@rampart/chassis';

const logger = createLogger({ service: 'exit-test', version: '1', level: 'info' });
logger.info('first');
logger.info('last words');
process.exit(0);
