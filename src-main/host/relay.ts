import { parseCall, type ApiMethod, type WireMessage } from '../api/contract';
import { CamtrackError, toErrorInfo, type ErrorInfo } from '../engine/util/errors';

/**
 * The engine runs in its own process (an Electron utility process, or a Node child process in
 * browser mode) so that heavy work never blocks the window. This relay is the only thing that talks
 * to it: it validates calls, matches answers to calls, forwards events, and restarts the engine
 * if it dies, failing the calls in flight with a message a person can act on.
 */
export interface EngineProcess {
  send(message: WireMessage): void;
  onMessage(listener: (message: WireMessage) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type SpawnEngine = () => EngineProcess;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ErrorInfo) => void;
  method: ApiMethod;
}

export class EngineRelay {
  private proc: EngineProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: string, data: unknown) => void>();
  private closed = false;
  /** Re-sent to a restarted engine. */
  private readonly granted = new Set<string>();

  constructor(private readonly spawn: SpawnEngine) {
    this.proc = this.start();
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  private start(): EngineProcess {
    const proc = this.spawn();
    proc.onMessage((msg) => {
      if (msg.type === 'result') {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(msg.error);
      } else if (msg.type === 'event') {
        for (const l of this.listeners) l(msg.event, msg.data);
      }
    });
    proc.onExit((code, signal) => {
      if (this.closed || proc !== this.proc) return;
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const error: ErrorInfo = {
        code: 'internal',
        message: `The render engine stopped unexpectedly (${how}) and has been restarted. Your project is safe; interrupted renders can be restarted from the queue.`,
      };
      for (const [, p] of this.pending) p.reject(error);
      this.pending.clear();
      this.proc = this.start();
      for (const g of this.granted) this.proc.send({ type: 'grant', path: g });
      for (const l of this.listeners) l('engine.restarted', { reason: how });
    });
    return proc;
  }

  /** Validates and sends a call; resolves with the value or rejects with an ErrorInfo. */
  call(method: unknown, input: unknown): Promise<unknown> {
    let parsed: { method: ApiMethod; input: unknown };
    try {
      parsed = parseCall(method, input);
    } catch (e) {
      return Promise.reject(toErrorInfo(new CamtrackError('bad-input', (e as Error).message)));
    }
    if (this.closed) return Promise.reject(toErrorInfo(new CamtrackError('internal', 'The engine is shut down.')));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method: parsed.method });
      this.proc.send({ type: 'call', id, method: parsed.method, input: parsed.input });
    });
  }

  onEvent(listener: (event: string, data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Lets the engine read and write a path the user chose in a native dialog (main process only). */
  grant(p: string): void {
    this.granted.add(p);
    this.proc.send({ type: 'grant', path: p });
  }

  /** Kills the engine process (tests use it to simulate a crash). It is restarted. */
  crashForTest(): void {
    this.proc.kill();
  }

  close(): void {
    this.closed = true;
    this.proc.kill();
    for (const [, p] of this.pending) p.reject({ code: 'cancelled', message: 'The engine was shut down.' });
    this.pending.clear();
  }
}
