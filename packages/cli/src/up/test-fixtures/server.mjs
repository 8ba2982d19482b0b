// A stand-in for a chassis service: listens on PORT, answers /health/ready, logs JSON lines to
// stdout and exits 0 on SIGTERM. FIXTURE_READY_DELAY_MS delays readiness; FIXTURE_NOISE prints a
// plain-text line and a JSON value with a newline in it, as a misbehaving service might.
import http from 'node:http';

const name = process.env.FIXTURE_NAME ?? 'fixture';
const log = (msg, extra = {}) =>
  process.stdout.write(
    `${JSON.stringify({ time: Date.now(), level: 'info', 'service.name': name, msg, ...extra })}\n`,
  );

// FIXTURE_READY_DELAY_MS_<port> lets a test slow down one service of several.
const delay = process.env[`FIXTURE_READY_DELAY_MS_${process.env.PORT}`] ?? process.env.FIXTURE_READY_DELAY_MS;
const readyAt = Date.now() + Number(delay ?? 0);
const server = http.createServer((req, res) => {
  if (req.url === '/health/ready') {
    const ready = Date.now() >= readyAt;
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/health+json' });
    res.end(JSON.stringify({ status: ready ? 'pass' : 'fail' }));
    return;
  }
  res.writeHead(404).end();
});

server.listen(Number(process.env.PORT), () => {
  log('listening', { port: server.address().port, demo: process.env.RAMPART_DEMO ?? null });
  if (process.env.FIXTURE_NOISE) {
    process.stdout.write('plain text, not JSON\n');
    log('multi\nline', { value: 'a\nb\u001b[31m' });
    process.stderr.write('a warning on stderr\n');
  }
});

process.once('SIGTERM', () => {
  log('draining');
  server.close(() => process.exit(0));
});
