export { buildHello, type HelloService } from './app.js';
export { helloConfigSchema, HELLO_DEFAULT_PORT } from './config-schema.js';
