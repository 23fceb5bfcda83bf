import { mkdirSync } from 'node:fs';
import { parseCall, type ApiEvents, type ApiMethod } from '../api/contract';
import { CamtrackError } from '../engine/util/errors';
import type { HostConfig } from './config';
import type { HostBase } from './base';
import type { HostContext, Handler, Handlers } from './context';
import { PathGuard } from './pathGuard';
import { allHandlers } from './handlers';
import { FarmLink } from './services/farm';
import { RenderQueueRunner } from './services/renderQueue';

/** The engine service: validates each call and runs its handler. Transport-free (tests call it directly). */
export interface EngineService {
  handle(method: unknown, input: unknown): Promise<unknown>;
  context: HostContext;
  /** Stops the services: no render starts after it, the running one is left for restart, the farm poller ends. */
  stop(): Promise<void>;
}

export function createEngineService(
  config: HostConfig,
  emit: <E extends keyof ApiEvents>(event: E, data: ApiEvents[E]) => void,
  handlers: Handlers = allHandlers,
): EngineService {
  mkdirSync(config.appDataDir, { recursive: true });
  const roots = [config.appDataDir, ...(config.workspace ? [config.workspace] : []), ...(config.granted ?? [])];
  const base: HostBase = { config, guard: new PathGuard(roots), emit };
  const context: HostContext = { ...base, renders: new RenderQueueRunner(base), farm: new FarmLink(base) };
  return {
    context,
    async stop() {
      await Promise.all([context.renders.stop(), context.farm.stop()]);
    },
    async handle(method, input) {
      const call = parseCall(method, input);
      const handler = handlers[call.method] as Handler<ApiMethod> | undefined;
      if (!handler) throw new CamtrackError('internal', `${call.method} is not available in this build.`);
      return handler(call.input as never, context);
    },
  };
}
