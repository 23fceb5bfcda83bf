import type { z } from 'zod';
import type { ApiMethod, ApiOutput, apiInputs } from '../api/contract';
import type { HostBase } from './base';
import type { FarmLink } from './services/farm';
import type { RenderQueueRunner } from './services/renderQueue';

/**
 * The engine host's state and services, handed to every handler. The long-lived work lives in the
 * services (made, started and stopped by createEngineService); handlers are thin adapters over them.
 */
export interface HostContext extends HostBase {
  /** The render queues of the open projects and the runner that renders their jobs one at a time. */
  renders: RenderQueueRunner;
  /** The render farm: its settings, the connection, and the poller of the jobs this host sent. */
  farm: FarmLink;
}

export type Handler<M extends ApiMethod> = (
  input: z.output<(typeof apiInputs)[M]>,
  ctx: HostContext,
) => Promise<ApiOutput<M>>;
export type Handlers = { [M in ApiMethod]?: Handler<M> };
