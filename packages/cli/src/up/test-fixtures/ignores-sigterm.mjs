// A service that never finishes draining: only SIGKILL stops it.
import http from 'node:http';

process.on('SIGTERM', () => process.stdout.write('{"level":"info","msg":"ignoring SIGTERM"}\n'));
http
  .createServer((_req, res) => res.writeHead(200).end('{}'))
  .listen(Number(process.env.PORT), () => process.stdout.write('{"level":"info","msg":"listening"}\n'));
