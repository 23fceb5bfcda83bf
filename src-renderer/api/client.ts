import type {
  ApiEvent,
  ApiEvents,
  ApiInput,
  ApiMethod,
  ApiOutput,
  EngineApi,
  WireMessage,
} from '../../src-main/api/contract';
import type { ErrorInfo } from '../../src-main/engine/util/errors';
import { decodeWire, encodeWire } from '../../src-main/api/wire';

/** An error from the engine, carrying its code and a message a person can act on. */
export class EngineError extends Error {
  readonly code: ErrorInfo['code'];
  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
  }
}

/** Electron: the preload exposes exactly this object on window.camtrack. */
export interface PreloadBridge {
  call(method: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorInfo }>;
  on(listener: (event: string, data: unknown) => void): () => void;
  readonly platform: string;
}

declare global {
  interface Window {
    camtrack?: PreloadBridge;
  }
}

function ipcClient(bridge: PreloadBridge): EngineApi {
  return {
    async call(method, input) {
      const r = await bridge.call(method, input);
      if (!r.ok) throw new EngineError(r.error);
      return r.value as never;
    },
    on(event, listener) {
      return bridge.on((e, data) => {
        if (e === event) listener(data as never);
      });
    },
  };
}

/** Browser mode: a WebSocket to the local bridge, authenticated by the token in the page's URL. */
function wsClient(url: string): EngineApi {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const socket = new WebSocket(url);
  const open = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error('Cannot reach the Camtrack engine: is `camtrack serve` still running?')),
      { once: true },
    );
  });
  socket.addEventListener('message', (ev) => {
    const msg = decodeWire(String(ev.data)) as WireMessage;
    if (msg.type === 'result') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new EngineError(msg.error));
    } else if (msg.type === 'event') {
      listeners.get(msg.event)?.forEach((l) => l(msg.data));
    }
  });
  socket.addEventListener('close', () => {
    for (const [, p] of pending) p.reject(new Error('The connection to the Camtrack engine was closed.'));
    pending.clear();
    listeners.get('connection.closed')?.forEach((l) => l({}));
  });
  return {
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      await open;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(encodeWire({ type: 'call', id, method, input }));
      });
    },
    on<E extends ApiEvent>(event: E, listener: (data: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (d: unknown) => void);
      return () => set.delete(listener as (d: unknown) => void);
    },
  };
}

function connect(): EngineApi {
  if (window.camtrack) return ipcClient(window.camtrack);
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('This page needs the URL printed by `camtrack serve` (it carries an access token).');
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  return wsClient(wsUrl);
}

/** The engine, whichever transport this window has. */
export const engine: EngineApi = connect();
export const isElectron = Boolean(window.camtrack);
