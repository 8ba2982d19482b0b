import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../test-support/gateway-harness.js';

// Responses are written from undici's dispatcher straight into the client's response: these
// check what a stream-based proxy gets for free — large bodies, backpressure, headers, bases.
const BIG = Buffer.alloc(8 * 1024 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 31) % 251;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let upstream: http.Server;
let upstreamUrl: string;
let gw: Harness;
let endlessClosed = false;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.endsWith('/big')) {
      // Chunked (no Content-Length), in 64 KiB pieces, honouring backpressure.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let offset = 0;
      const pump = () => {
        while (offset < BIG.length) {
          const chunk = BIG.subarray(offset, offset + 65536);
          offset += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    if (url.endsWith('/endless')) {
      // A body that never ends; the upstream learns the gateway hung up when its response closes.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(1024)), 10);
      res.on('close', () => {
        clearInterval(timer);
        endlessClosed = true;
      });
      return;
    }
    if (url.endsWith('/upload')) {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      req.on('end', () => res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') })));
      return;
    }
    if (url.endsWith('/headers')) {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('x-request-id', 'chosen-by-the-upstream');
      res.setHeader('x-secret-hop', 'must not pass');
      res.setHeader('connection', 'keep-alive, x-secret-hop');
      res.end('headers');
      return;
    }
    res.end(JSON.stringify({ url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gw = await startGateway([
    { prefix: '/s', upstreams: [upstreamUrl], auth: 'none', bodyLimit: 16 * 1024 * 1024 },
    { prefix: '/based', upstreams: [`${upstreamUrl}/base/`], auth: 'none' },
  ]);
});

afterAll(async () => {
  await gw?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('forwarding bodies and headers', () => {
  it('streams an 8 MiB chunked response intact', async () => {
    const res = await fetch(`${gw.url}/s/big`);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(BIG.length);
    expect(sha256(body)).toBe(sha256(BIG));
  });

  it('delivers a large response to a slow reader intact (the upstream is paused and resumed)', async () => {
    const body = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(`${gw.url}/s/big`, (res) => {
          const chunks: Buffer[] = [];
          res.pause();
          // Read a little at a time so the gateway's writes fill the socket buffers.
          const timer = setInterval(() => {
            let chunk: Buffer | null;
            while ((chunk = res.read() as Buffer | null) !== null) chunks.push(chunk);
          }, 5);
          res.on('end', () => {
            clearInterval(timer);
            resolve(Buffer.concat(chunks));
          });
          res.on('error', reject);
        })
        .on('error', reject);
    });
    expect(sha256(body)).toBe(sha256(BIG));
  });

  it('cancels the upstream response when the client goes away in the middle of the body', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${gw.url}/s/endless`, (res) => {
        res.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => undefined);
      request.setTimeout(5_000, () => reject(new Error('no body arrived')));
    });
    for (let i = 0; i < 200 && !endlessClosed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(endlessClosed).toBe(true);
  });

  it('streams an 8 MiB request body to the upstream intact', async () => {
    const res = await fetch(`${gw.url}/s/upload`, {
      method: 'POST',
      body: BIG,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: BIG.length, sha256: sha256(BIG) });
  });

  it("keeps end-to-end headers (both cookies), drops hop-by-hop ones, and the gateway's request id wins", async () => {
    const res = await fetch(`${gw.url}/s/headers`);
    expect(await res.text()).toBe('headers');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers.get('x-secret-hop')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("forwards below an upstream URL's base path", async () => {
    const res = await fetch(`${gw.url}/based/x?y=1`);
    expect(await res.json()).toEqual({ url: '/base/based/x?y=1' });
  });

  it('answers HEAD with the headers and no body: the next response on the connection is intact', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .request(`${gw.url}/s/thing`, { method, agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject)
          .end();
      });
    expect(await send('HEAD')).toEqual({ status: 200, body: '' });
    // Had the gateway written a body after the HEAD's headers, this response would be garbled.
    expect(await send('GET')).toEqual({ status: 200, body: JSON.stringify({ url: '/s/thing' }) });
    agent.destroy();
  });
});
