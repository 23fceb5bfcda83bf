import http from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { EngineRelay } from '../host/relay';
import { spawnNodeEngine } from '../host/nodeProcess';
import type { HostConfig } from '../host/config';
import { decodeWire, encodeWire } from '../api/wire';
import type { WireRequest } from '../api/contract';

/**
 * Browser mode: serves the studio UI and a WebSocket bridge to the engine on 127.0.0.1 only.
 * A random token in the URL guards the bridge, so no other local user or web page can drive the
 * engine; the Host and Origin headers are checked too (DNS rebinding, cross-site pages).
 * The static UI files carry no data and are served without the token.
 */
export interface ServeOptions {
  port?: number;
  workspace: string;
  appDataDir: string;
  rendererDir: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  relay: EngineRelay;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = randomBytes(24).toString('base64url');
  const config: HostConfig = { mode: 'browser', appDataDir: opts.appDataDir, workspace: opts.workspace };
  await fs.mkdir(opts.workspace, { recursive: true });
  try {
    await fs.access(path.join(opts.rendererDir, 'index.html'));
  } catch {
    throw new Error(`The studio UI is not built (${opts.rendererDir}/index.html is missing): run \`npm run build\` first.`);
  }
  const relay = new EngineRelay(() => spawnNodeEngine(config));
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = http.createServer(async (req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(opts.rendererDir, `.${rel}`);
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('Not found');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const expected = Buffer.from(token);
    const origin = req.headers.origin;
    const okOrigin = origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
    const okToken = given.length === expected.length && timingSafeEqual(given, expected);
    if (url.pathname !== '/api' || !okToken || !okOrigin || !allowedHosts().has(req.headers.host ?? '')) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (raw) => {
      let msg: WireRequest;
      try {
        msg = decodeWire(raw.toString()) as WireRequest;
      } catch {
        ws.close(1003, 'bad message');
        return;
      }
      if (msg?.type !== 'call' || typeof msg.id !== 'number') return;
      relay.call(msg.method, msg.input).then(
        (value) => ws.send(encodeWire({ type: 'result', id: msg.id, ok: true, value })),
        (error) => ws.send(encodeWire({ type: 'result', id: msg.id, ok: false, error })),
      );
    });
  });

  relay.onEvent((event, data) => {
    const text = encodeWire({ type: 'event', event, data });
    for (const s of sockets) s.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    relay,
    async close() {
      for (const s of sockets) s.terminate();
      relay.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
