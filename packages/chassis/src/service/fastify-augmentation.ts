/** Route options the chassis understands (typed through Fastify's context config). */
declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Marks a route as reachable without authentication. Routes are deny-by-default once the
     * security layer is enabled; health and metrics routes are public.
     */
    public?: boolean;
  }
}

export {};
