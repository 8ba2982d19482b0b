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
}

declare module 'fastify' {
  interface FastifyRequest {
    gateway: GatewayRequestState | null;
  }
}
