import { utilityProcess } from 'electron';
import path from 'node:path';
import type { EngineProcess } from '../host/relay';
import type { WireMessage } from '../api/contract';
import type { HostConfig } from '../host/config';

/** Starts the engine host in an Electron utility process (a Node process Chromium manages). */
export function spawnUtilityEngine(config: HostConfig): EngineProcess {
  const child = utilityProcess.fork(path.join(__dirname, 'host.cjs'), [], {
    serviceName: 'Camtrack Studio engine',
    env: { ...process.env, CAMTRACK_HOST_CONFIG: JSON.stringify(config) },
    stdio: 'inherit',
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (m: WireMessage) => child.postMessage(m),
    onMessage: (l) => child.on('message', (m: unknown) => l(m as WireMessage)),
    onExit: (l) => child.on('exit', (code: number) => l(code, null)),
    kill: () => {
      child.kill();
    },
  };
}
