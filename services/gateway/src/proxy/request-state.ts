/** What the gateway learns about a request on its way through (routing, identity, upstream timing). */
import type { Principal } from '@rampart/chassis';
import type { CompiledRoute } from '../routes/route-table.js';

export interface GatewayRequestState {
  /** The normalized path: what was routed, authorized and forwarded (before prefix rewriting). */
  path: string;
  query: string;
  route: CompiledRoute | undefined;
  principal: Principal | undefined;
  authorization: string | null | undefined;
  upstream: string | undefined;
  /** Time until the upstream's response headers, in ms. */
  upstreamMs: number | undefined;
  attempts: number;
  bodyTooLarge: boolean;
  /** Bytes of request body read from the client. */
  bytesIn: number;
  /** The proxied response's length, when the upstream declared one. */
  bytesOut: number | undefined;
  /** `request.ip`, resolved through the trusted proxies once (Fastify recomputes it on every read). */
  clientIp: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    gateway: GatewayRequestState | null;
  }
}
