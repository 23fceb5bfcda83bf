import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineProcess } from './relay';
import type { WireMessage } from '../api/contract';
import type { HostConfig } from './config';

/**
 * Starts the engine host as a Node child process (browser mode and tests). From the TypeScript
 * sources it runs through tsx; from a build, the bundled `host.cjs` runs directly. Node's
 * 'advanced' serialisation carries typed arrays without copying them into JSON.
 */
export function spawnNodeEngine(config: HostConfig): EngineProcess {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const tsEntry = path.join(here, 'entry.ts');
  const builtEntry = path.join(here, 'host.cjs');
  const useBuilt = !existsSync(tsEntry) && existsSync(builtEntry);
  const child = fork(useBuilt ? builtEntry : tsEntry, [], {
    execArgv: useBuilt ? [] : ['--import', 'tsx'],
    serialization: 'advanced',
    env: { ...process.env, CAMTRACK_HOST_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (m: WireMessage) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as WireMessage)),
    onExit: (l) => child.on('exit', (code, signal) => l(code, signal)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
