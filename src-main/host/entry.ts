/**
 * The engine host process. Started by Electron's main process as a utility process, or by
 * `camtrack serve` (and tests) as a Node child process. It answers WireRequests with
 * WireResponses and pushes WireEvents; all heavy work happens here, off the UI's thread.
 */
import type { WireMessage } from '../api/contract';
import { toErrorInfo } from '../engine/util/errors';
import { readHostConfig } from './config';
import { createEngineService } from './service';

interface Port {
  post(m: WireMessage): void;
  listen(cb: (m: WireMessage) => void): void;
}

function connect(): Port {
  // Electron utility process: process.parentPort (structured clone).
  const parentPort = (
    process as unknown as {
      parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (ev: { data: unknown }) => void): void };
    }
  ).parentPort;
  if (parentPort) {
    return {
      post: (m) => parentPort.postMessage(m),
      listen: (cb) => parentPort.on('message', (ev) => cb(ev.data as WireMessage)),
    };
  }
  if (process.send) {
    return { post: (m) => process.send?.(m), listen: (cb) => process.on('message', (m) => cb(m as WireMessage)) };
  }
  throw new Error('The engine host must be started by the studio (no IPC channel).');
}

const port = connect();
const service = createEngineService(readHostConfig(), (event, data) => port.post({ type: 'event', event, data }));

port.listen((msg) => {
  if (msg.type === 'grant') {
    service.context.guard.allow(msg.path);
    return;
  }
  if (msg.type !== 'call') return;
  service.handle(msg.method, msg.input).then(
    (value) => port.post({ type: 'result', id: msg.id, ok: true, value }),
    (e: unknown) => port.post({ type: 'result', id: msg.id, ok: false, error: toErrorInfo(e) }),
  );
});

process.on('disconnect', () => process.exit(0));
