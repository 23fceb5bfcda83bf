import type { Handlers } from '../context';
import { appHandlers, modelsHandlers } from './app';
import { depthEstimateHandlers } from './depthEstimate';
import { projectHandlers } from './project';
import { imageHandlers } from './image';
import { depthHandlers } from './depth';
import { warpHandlers } from './warp';
import { trackHandlers } from './track';
import { renderHandlers } from './render';
import { lambdaHandlers } from './lambda';
import { farmHandlers } from './farm';
import { viewsHandlers } from './views';
import { videoHandlers } from './video';

/** Every API handler, by area. */
export const allHandlers: Handlers = {
  ...appHandlers,
  ...projectHandlers,
  ...imageHandlers,
  ...depthHandlers,
  ...depthEstimateHandlers,
  ...modelsHandlers,
  ...warpHandlers,
  ...trackHandlers,
  ...renderHandlers,
  ...lambdaHandlers,
  ...farmHandlers,
  ...viewsHandlers,
  ...videoHandlers,
};
