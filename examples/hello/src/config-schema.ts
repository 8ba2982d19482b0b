import { Type } from '@rampart/chassis';

/** The example service's own configuration keys (`rampart config print hello` shows them). */
export const helloConfigSchema = Type.Object({
  greeting: Type.String({
    default: 'Hello',
    minLength: 1,
    dynamic: true,
    description: 'the word put before the name',
  }),
});

export const HELLO_DEFAULT_PORT = 8090;
