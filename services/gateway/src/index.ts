/** `@rampart/gateway`: the API gateway — the only public entry point of a Rampart platform. */
export {
  buildGateway,
  DEFAULT_ROUTES_FILE,
  GATEWAY_VERSION,
  type BuildGatewayOptions,
  type GatewayService,
} from './app.js';
export { gatewayConfigSchema, GATEWAY_DEFAULT_PORT, type GatewayConfig } from './config.js';
export { routeSchema, routeTableSchema, type RouteSpec } from './routes/route-schema.js';
export { parseRouteTable, loadRouteFile, RouteTableError } from './routes/load-routes.js';
export { normalizePath, type NormalizedPath, type PathRejection } from './path/normalize-path.js';
export { gatewayErrors, type GatewayErrorCode } from './errors.js';
export { runGatewayCluster, type GatewayClusterOptions } from './cluster/run-cluster.js';
