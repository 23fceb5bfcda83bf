import type { Handlers } from '../context';
import { appHandlers } from './app';
import { projectHandlers } from './project';
import { imageHandlers } from './image';

/** Every API handler, by area. */
export const allHandlers: Handlers = {
  ...appHandlers,
  ...projectHandlers,
  ...imageHandlers,
};
