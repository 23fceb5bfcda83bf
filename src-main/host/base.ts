import type { ApiEvents } from '../api/contract';
import type { HostConfig } from './config';
import type { PathGuard } from './pathGuard';

/** What every part of the host shares: where it runs, which paths it may touch, and the event channel to the UI. */
export interface HostBase {
  config: HostConfig;
  guard: PathGuard;
  emit<E extends keyof ApiEvents>(event: E, data: ApiEvents[E]): void;
}
