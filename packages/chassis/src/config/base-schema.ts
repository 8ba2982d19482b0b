/** The configuration every chassis service has, merged under the service's own schema. */
import { Type, type Static } from '@sinclair/typebox';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof levels)[number];

export const baseConfigSchema = Type.Object(
  {
    host: Type.String({ default: '0.0.0.0', minLength: 1, env: ['HOST'], description: 'listen address' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, env: ['PORT'], description: 'listen port' }),
    logLevel: Type.Union(
      levels.map((level) => Type.Literal(level)),
      { default: 'info', dynamic: true, env: ['LOG_LEVEL'], description: 'one of ' + levels.join(', ') },
    ),
    accessLog: Type.Boolean({
      default: false,
      dynamic: true,
      description:
        'one info line per request (the gateway keeps the access log; RED metrics cover every request)',
    }),
    trustProxy: Type.String({
      default: '',
      description:
        'proxies trusted to set X-Forwarded-For (comma-separated IPs/CIDRs, or loopback); empty = none',
    }),
    dataDir: Type.String({ default: '.rampart', minLength: 1, description: 'directory for local state' }),
    shutdown: Type.Object({
      drainDelayMs: Type.Integer({
        minimum: 0,
        default: 5000,
        description: 'how long to keep serving after readiness fails, so load balancers stop routing here',
      }),
      gracePeriodMs: Type.Integer({
        minimum: 0,
        default: 25000,
        description: 'in-flight requests get this long to finish before connections are closed',
      }),
    }),
  },
  { additionalProperties: false },
);

export type BaseConfig = Static<typeof baseConfigSchema>;
