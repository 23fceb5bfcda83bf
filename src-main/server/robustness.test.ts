import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPath } from '../engine/util/appRoot';
import { connectBridge } from '../test/bridgeClient';
import { MAX_BRIDGE_CONNECTIONS, MAX_MESSAGE_BYTES, requestPath, startServer, type RunningServer } from './serve';

/**
 * Malformed HTTP and WebSocket traffic against `camtrack serve` on 127.0.0.1 (issue 12, items 1,
 * 9, 10): each connection is answered or closed, the process survives (an unhandled rejection or
 * 'error' event would fail this file), and the real client goes on being served.
 */
let server: RunningServer;
let base: string;
let ui: string;
beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'serve-robust-'));
  ui = path.join(base, 'ui');
  mkdirSync(ui);
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
  server = await startServer({
    workspace: path.join(base, 'ws'),
    appDataDir: path.join(base, 'data'),
    rendererDir: ui,
    idleTimeoutMs: 600,
    headersTimeoutMs: 1000,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

interface RawResult {
  /** Everything the server sent before closing. */
  text: string;
  closedMs: number;
}

/** Sends raw bytes (maybe in parts) and waits until the server closes the connection. */
function raw(chunks: (string | Buffer)[], opts: { waitMs?: number } = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const sock = net.connect(server.port, '127.0.0.1');
    const got: Buffer[] = [];
    const limit = setTimeout(() => {
      sock.destroy();
      reject(
        new Error(
          `the server neither answered nor closed within ${opts.waitMs ?? 5000} ms; got ${JSON.stringify(Buffer.concat(got).toString('latin1').slice(0, 200))}`,
        ),
      );
    }, opts.waitMs ?? 5000);
    sock.on('data', (d) => got.push(d));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(limit);
      resolve({ text: Buffer.concat(got).toString('latin1'), closedMs: Date.now() - t0 });
    });
    sock.on('connect', () => {
      for (const c of chunks) sock.write(c);
    });
  });
}

const host = () => `127.0.0.1:${server.port}`;
const status = (r: RawResult) => Number(/^HTTP\/1\.1 (\d{3})/.exec(r.text)?.[1] ?? 0);
const upgrade = (target: string, hostHeader: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

async function realClientWorks(): Promise<void> {
  const c = connectBridge(`ws://${host()}/api?token=${server.token}`, { origin: `http://${host()}` });
  await c.opened;
  await expect(c.call('app.info', {})).resolves.toMatchObject({ mode: 'browser' });
  c.close();
}

/** A client frame header (masked, as a client must) announcing `length` payload bytes. */
function frameHeader(length: number, opcode = 0x1): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  if (length < 126) return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | length]), mask]);
  if (length < 65536) {
    const h = Buffer.from([0x80 | opcode, 0x80 | 126, 0, 0]);
    h.writeUInt16BE(length, 2);
    return Buffer.concat([h, mask]);
  }
  const h = Buffer.alloc(10);
  h[0] = 0x80 | opcode;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([h, mask]);
}

/** Opens an authenticated raw socket: the handshake done, ready for hand-made frames. */
function authedSocket(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    sock.on('error', () => undefined);
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      sock.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(sock);
      else reject(new Error(head.split('\r\n')[0]));
    };
    sock.on('data', onData);
    sock.on('connect', () => sock.write(upgrade(`/api?token=${server.token}`, host())));
  });
}

function closedWithin(sock: net.Socket, ms: number): Promise<{ closedMs: number; text: string }> {
  const t0 = Date.now();
  const got: Buffer[] = [];
  sock.on('data', (d) => got.push(d));
  return new Promise((resolve, reject) => {
    if (sock.destroyed) return resolve({ closedMs: 0, text: '' });
    const t = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    sock.on('close', () => {
      clearTimeout(t);
      resolve({ closedMs: Date.now() - t0, text: Buffer.concat(got).toString('latin1') });
    });
  });
}

describe('requestPath', () => {
  it('decodes good paths and refuses bad escapes, NUL and non-paths', () => {
    expect(requestPath('/a%20b.js?x=%E0')).toBe('/a b.js');
    expect(requestPath('/%E0%A4%A')).toBeNull();
    expect(requestPath('/%00')).toBeNull();
    expect(requestPath('*')).toBeNull();
    expect(requestPath('//[x')).toBe('//[x');
  });
});

describe('camtrack serve under malformed traffic without a token', () => {
  it('a bad percent escape (GET /%E0%A4%A) gets 400 and the server goes on', async () => {
    const r = await raw([`GET /%E0%A4%A HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`]);
    expect(status(r)).toBe(400);
    await realClientWorks();
  });

  it('GET //[x (an authority-looking path) gets 404, not a crash', async () => {
    const r = await raw([`GET //[x HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`]);
    expect(status(r)).toBe(404);
  });

  it('an upgrade with Host: evil.com:99999 is refused (403) before anything else is parsed', async () => {
    const r = await raw([upgrade('/api', 'evil.com:99999')]);
    expect(status(r)).toBe(403);
    const r2 = await raw([upgrade('//[x?token=%E0%A4%A', host())]);
    expect(status(r2)).toBe(403);
    const r3 = await raw([upgrade(`/%E0%A4%A?token=${server.token}`, host())]);
    expect(status(r3)).toBe(403);
  });

  it('garbage request lines, oversized headers and bad methods are answered and closed', async () => {
    expect(status(await raw(['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n']))).toBe(400);
    expect(status(await raw([`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`]))).toBe(400);
    expect(status(await raw([`DELETE / HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`]))).toBe(405);
    expect(status(await raw([`GET / HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`]))).toBe(200);
  });

  it('a half-sent request or handshake is closed after the header timeout', async () => {
    const r = await raw([`GET /api?token=${server.token} HTTP/1.1\r\nHost: ${host()}\r\nUpgrade: websock`], {
      waitMs: 5000,
    });
    expect(r.closedMs).toBeLessThan(4000);
  });

  it('many connections at once (200 stalled sockets) do not stop the real client', async () => {
    const stalled = await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(server.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
            s.write('GET / HTTP/1.1\r\n');
          }),
      ),
    );
    await realClientWorks();
    // The header timeout closes them all.
    await Promise.all(stalled.map((s) => closedWithin(s, 5000)));
  });
});

describe('the bridge with a token: frame sizes, stalls, connection cap, codec', () => {
  it(`refuses a message over ${MAX_MESSAGE_BYTES / 2 ** 20} MiB from its header (close 1009) without reading it`, async () => {
    const sock = await authedSocket();
    sock.write(frameHeader(MAX_MESSAGE_BYTES + 1));
    const r = await closedWithin(sock, 3000);
    // A close frame with code 1009 (message too big).
    expect(r.text.charCodeAt(0)).toBe(0x88);
    expect((r.text.charCodeAt(2) << 8) | r.text.charCodeAt(3)).toBe(1009);
    await realClientWorks();
  });

  it('closes a connection that stalls in the middle of a frame (idle timeout)', async () => {
    const sock = await authedSocket();
    sock.write(Buffer.concat([frameHeader(1000), Buffer.alloc(10, 0x41)]));
    const r = await closedWithin(sock, 4000);
    expect(r.closedMs).toBeLessThan(4000);
  });

  it(`caps bridge connections at ${MAX_BRIDGE_CONNECTIONS} (503 beyond), and frees a slot when one closes`, async () => {
    const open = [];
    for (let i = 0; i < MAX_BRIDGE_CONNECTIONS; i++) {
      const c = connectBridge(`ws://${host()}/api?token=${server.token}`);
      await c.opened;
      open.push(c);
    }
    await expect(connectBridge(`ws://${host()}/api?token=${server.token}`).opened).rejects.toThrow(/503/);
    open.pop()!.close();
    await expect
      .poll(
        async () => {
          const c = connectBridge(`ws://${host()}/api?token=${server.token}`);
          try {
            await c.opened;
            c.close();
            return true;
          } catch {
            return false;
          }
        },
        { timeout: 5000 },
      )
      .toBe(true);
    await Promise.all(
      open.map(
        (c) =>
          new Promise((r) => {
            c.ws.once('close', r);
            c.close();
          }),
      ),
    );
    await expect.poll(() => server.bridgeConnections(), { timeout: 5000 }).toBe(0);
  });

  it('a message with $typed "constructor" is a bad message (1003), not an Object; the server goes on', async () => {
    const c = connectBridge(`ws://${host()}/api?token=${server.token}`);
    await c.opened;
    const closed = new Promise<number>((resolve) => c.ws.on('close', (code) => resolve(code)));
    c.ws.send(
      JSON.stringify({ type: 'call', id: 1, method: 'app.info', input: { x: { $typed: 'constructor', b64: '' } } }),
    );
    expect(await closed).toBe(1003);
    c.ws.send = () => undefined;
    await realClientWorks();
  });
});

describe('camtrack serve on a busy port', () => {
  it('exits at once with a clear message, without leaving an engine running', async () => {
    const child = spawn(
      process.execPath,
      [
        appPath('bin', 'camtrack.mjs'),
        'serve',
        '--port',
        String(server.port),
        '--ui',
        ui,
        '--workspace',
        path.join(base, 'ws2'),
        '--data',
        path.join(base, 'data2'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`camtrack serve did not exit on a busy port; it said: ${stderr}`));
      }, 30_000);
      child.on('close', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is already in use`));
  }, 40_000);
});
