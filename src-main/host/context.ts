import type { z } from 'zod';
import type { ApiEvents, ApiMethod, ApiOutput, apiInputs } from '../api/contract';
import type { HostConfig } from './config';
import type { PathGuard } from './pathGuard';

/** The engine host's state and services, handed to every handler. */
export interface HostContext {
  config: HostConfig;
  guard: PathGuard;
  emit<E extends keyof ApiEvents>(event: E, data: ApiEvents[E]): void;
}

export type Handler<M extends ApiMethod> = (
  input: z.output<(typeof apiInputs)[M]>,
  ctx: HostContext,
) => Promise<ApiOutput<M>>;
export type Handlers = { [M in ApiMethod]?: Handler<M> };
