// The Rampart gateway as `rampart up` runs it (access log to stdout, metrics, upstream pool), with
// the route table the benchmark wrote (RAMPART_GATEWAY_ROUTES_FILE) and its environment.
import { buildGateway } from '@rampart/gateway';

const gateway = await buildGateway({ argv: [] });
// The chassis installs its own SIGTERM handler (graceful drain, then exit).
const { port } = await gateway.start();
console.log(JSON.stringify({ benchListening: port }));
