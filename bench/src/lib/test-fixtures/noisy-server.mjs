// Logs JSON lines before and after announcing its port, like a chassis service.
import http from 'node:http';

const server = http.createServer((_req, res) => res.end('{"hello":"world"}'));
server.listen(0, '127.0.0.1', () => {
  for (let i = 0; i < 1000; i += 1) console.log(JSON.stringify({ level: 'info', msg: 'x'.repeat(100) }));
  console.log(JSON.stringify({ benchListening: server.address().port, greeting: 'hi' }));
  console.log(JSON.stringify({ level: 'info', msg: 'after' }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
