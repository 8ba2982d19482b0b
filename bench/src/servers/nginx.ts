// The gateway benchmark's industry baseline: Debian's nginx as a plain reverse proxy to
// UPSTREAM_URL, one worker, keep-alive to the upstream. This wrapper writes a temporary config,
// runs nginx in the foreground, announces the port once nginx accepts connections, and stops it
// on SIGTERM. NGINX_BIN overrides /usr/sbin/nginx.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const upstream = new URL(process.env.UPSTREAM_URL ?? '');
const bin = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const dir = await mkdtemp(join(tmpdir(), 'rampart-bench-nginx-'));
for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
const port = await freePort();
// The access log stays on (to a file), as the gateway's does (to its stdout).
const config = `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log;
  # Not the default 1000: nginx would close each load connection after 1000 requests.
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend {
    server ${upstream.host};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
await writeFile(join(dir, 'nginx.conf'), config);
const nginx = spawn(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
nginx.once('exit', (code, signal) => {
  void rm(dir, { recursive: true, force: true }).finally(() => {
    if (!stopping) process.stderr.write(`nginx exited (${code ?? signal})\n`);
    process.exit(stopping ? 0 : 1);
  });
});
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
  nginx.kill('SIGQUIT'); // graceful: finish the requests in flight, then exit
});

for (let attempt = 0; !(await accepts(port)); attempt += 1) {
  if (attempt > 100) throw new Error(`nginx is not listening on ${port}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log(JSON.stringify({ benchListening: port }));
