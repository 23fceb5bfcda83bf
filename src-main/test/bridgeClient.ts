import WebSocket from 'ws';
import type { WireMessage } from '../api/contract';
import { decodeWire, encodeWire } from '../api/wire';

/**
 * A test client for the browser-mode WebSocket bridge: sends calls, collects events, and hands
 * back each call's raw result message. `call` resolves with the value or rejects with the error.
 */
export function connectBridge(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const events: { event: string; data: unknown }[] = [];
  const waiting = new Map<number, (m: WireMessage) => void>();
  let id = 1;
  ws.on('message', (raw) => {
    const m = decodeWire(raw.toString()) as WireMessage;
    if (m.type === 'result') waiting.get(m.id)?.(m);
    if (m.type === 'event') events.push({ event: m.event, data: m.data });
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const send = (method: string, input: unknown): Promise<WireMessage> => {
    const n = id++;
    return new Promise((resolve) => {
      waiting.set(n, resolve);
      ws.send(encodeWire({ type: 'call', id: n, method, input }));
    });
  };
  return {
    ws,
    events,
    opened,
    send,
    async call<T>(method: string, input: unknown): Promise<T> {
      const m = await send(method, input);
      if (m.type !== 'result') throw new Error('unexpected message');
      if (m.ok) return m.value as T;
      throw Object.assign(new Error(m.error.message), m.error);
    },
    close: () => ws.close(),
  };
}
