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
import type { Duplex } from 'node:stream';
import { CamtrackError, toErrorInfo } from '../engine/util/errors';
import { contentSecurityPolicy, contentSecurityPolicyHeader, withCspMeta } from '../api/csp';

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
  /** A render farm root outside the workspace that the studio may be configured with (the farm root is confined otherwise). */
  farmRoot?: string;
  /** A bridge connection that sends nothing (no message, no pong) for this long is closed: half-sent frames do not hold it open. Default 30 s. */
  idleTimeoutMs?: number;
  /** A request (or WebSocket handshake) whose headers have not all arrived in this time is dropped. Default 10 s. */
  headersTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  relay: EngineRelay;
  /** Open bridge connections. */
  bridgeConnections(): number;
  close(): Promise<void>;
}

/**
 * Bounds of the bridge. The largest real message is a photo or depth file imported by its bytes
 * (base64 adds a third): 128 MiB carries a 96 MB file. A browser tab holds one connection.
 */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
export const MAX_BRIDGE_CONNECTIONS = 16;
/** TCP connections of any kind (a page's assets, the bridge, stalled clients) at once. */
const MAX_TCP_CONNECTIONS = 1024;

/** The path of a request target, percent-decoded; null when it is malformed (bad escapes, not a path). */
export function requestPath(target: string | undefined): string | null {
  const raw = (target ?? '/').split('?')[0].split('#')[0];
  if (!raw.startsWith('/')) return null;
  try {
    const decoded = decodeURIComponent(raw);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** The query of a request target; URLSearchParams never throws on bad escapes. */
function requestQuery(target: string | undefined): URLSearchParams {
  const q = (target ?? '').indexOf('?');
  return new URLSearchParams(q < 0 ? '' : target!.slice(q + 1));
}

/** Answers a raw socket with a status line and closes it (destroyed at the latest a second later). */
function refuseSocket(socket: Duplex, status: string): void {
  if (socket.destroyed) return;
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), 1000).unref();
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
  const config: HostConfig = {
    mode: 'browser',
    appDataDir: opts.appDataDir,
    workspace: opts.workspace,
    ...(opts.farmRoot && { farmRoot: opts.farmRoot }),
  };
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
  await fs.mkdir(opts.workspace, { recursive: true });
  try {
    await fs.access(path.join(opts.rendererDir, 'index.html'));
  } catch {
    throw new Error(
      `The studio UI is not built (${opts.rendererDir}/index.html is missing): run \`npm run build\` first.`,
    );
  }
  // The engine starts only once the port is ours (a busy port must not leave a child running).
  let relay: EngineRelay | null = null;
  let port = 0;
  const rendererRoot = path.resolve(opts.rendererDir);

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  // Every step that can throw on what a client sent is inside this function; nothing escapes it.
  const serveFile = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = requestPath(req.url);
    if (pathname === null) {
      res.writeHead(400).end('Bad request');
      return;
    }
    const file = path.resolve(rendererRoot, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(rendererRoot + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      res.writeHead(404).end('Not found');
      return;
    }
    const isHtml = path.extname(file) === '.html';
    // The page may connect to this bridge's port only (the built page says 'self' only, for Electron).
    if (isHtml)
      body = Buffer.from(withCspMeta(body.toString('utf8'), contentSecurityPolicy({ kind: 'browser', port })));
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(isHtml && { 'content-security-policy': contentSecurityPolicyHeader({ kind: 'browser', port }) }),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, 30_000),
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    (req, res) => {
      serveFile(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = MAX_TCP_CONNECTIONS;
  // Malformed HTTP (bad request line, oversized headers, a handshake cut off): answer 400 and close.
  server.on('clientError', (_err, socket) => refuseSocket(socket, '400 Bad Request'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      // The Host header first: nothing else of a foreign request is looked at.
      if (!allowedHosts().has(req.headers.host ?? '')) return refuseSocket(socket, '403 Forbidden');
      const given = Buffer.from(requestQuery(req.url).get('token') ?? '');
      const expected = Buffer.from(token);
      const origin = req.headers.origin;
      const okOrigin = origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
      const okToken = given.length === expected.length && timingSafeEqual(given, expected);
      if (requestPath(req.url) !== '/api' || !okToken || !okOrigin) return refuseSocket(socket, '403 Forbidden');
      if (!relay) return refuseSocket(socket, '503 Service Unavailable');
      if (sockets.size >= MAX_BRIDGE_CONNECTIONS) return refuseSocket(socket, '503 Service Unavailable');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      refuseSocket(socket, '400 Bad Request');
    }
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    let lastHeard = Date.now();
    // A stalled peer (a half-sent frame, a dead tab) answers no ping: it is closed after idleTimeoutMs.
    const heartbeat = setInterval(
      () => {
        if (Date.now() - lastHeard > idleTimeoutMs) ws.terminate();
        else if (ws.readyState === ws.OPEN) ws.ping();
      },
      Math.max(50, Math.floor(idleTimeoutMs / 3)),
    );
    heartbeat.unref();
    ws.on('pong', () => (lastHeard = Date.now()));
    // Oversized or malformed frames: ws reports them here and closes the connection (1009/1002).
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(heartbeat);
      sockets.delete(ws);
    });
    const reply = (m: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      try {
        ws.send(encodeWire(m));
      } catch (e) {
        ws.send(encodeWire({ type: 'result', id: (m as { id: number }).id, ok: false, error: toErrorInfo(e) }));
      }
    };
    ws.on('message', (raw) => {
      lastHeard = Date.now();
      let msg: WireRequest;
      try {
        msg = decodeWire(raw.toString()) as WireRequest;
      } catch {
        ws.close(1003, 'bad message');
        return;
      }
      if (msg?.type !== 'call' || typeof msg.id !== 'number' || !relay) return;
      const id = msg.id;
      relay.call(msg.method, msg.input).then(
        (value) => reply({ type: 'result', id, ok: true, value }),
        (error) => reply({ type: 'result', id, ok: false, error }),
      );
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new CamtrackError(
        'bad-input',
        `Port ${opts.port} on 127.0.0.1 is already in use (another program, or another camtrack serve). Choose another --port, or leave it out for a free one.`,
      );
    if (err.code === 'EACCES')
      throw new CamtrackError(
        'permission',
        `Port ${opts.port} needs privileges to listen on. Choose a port above 1023, or leave --port out.`,
      );
    throw e;
  }
  server.on('error', () => undefined);
  port = (server.address() as { port: number }).port;
  const engine = new EngineRelay(() => spawnNodeEngine(config));
  relay = engine;
  engine.onEvent((event, data) => {
    const text = encodeWire({ type: 'event', event, data });
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(text);
  });
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    relay: engine,
    bridgeConnections: () => sockets.size,
    async close() {
      for (const s of sockets) s.terminate();
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
