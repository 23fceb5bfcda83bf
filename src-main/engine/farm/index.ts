/** The render farm: jobs as render specs on a BullMQ queue in Redis, workers on any machine that mounts the farm root. */
export { FARM_QUEUE, checkRedisUrl, redactRedisUrl } from './connection';
export { FARM_ASSETS_DIR, FARM_RENDERS_DIR, checkFarmRoot, resolveUnderRoot, resolveUnderRootReal } from './paths';
export {
  FarmJobSpec,
  checkFarmJobId,
  docFromSpec,
  failureCode,
  outputNameProblem,
  parseFarmSpec,
  specFromDoc,
  type FarmJobData,
  type FarmJobResult,
} from './spec';
export {
  addFarmJob,
  cancelFarmJob,
  openFarmClient,
  prepareFarmJob,
  retryFarmJob,
  submitFarmRender,
  waitForFarmJob,
  type FarmClient,
} from './submit';
export { farmJob, farmStatus, farmWorkers, type FarmJobView, type FarmStatus } from './status';
export {
  startFarmWorker,
  type FarmProgress,
  type FarmWorkerInfo,
  type FarmWorkerOptions,
  type RunningFarmWorker,
} from './worker';
export { findFarmModel, verifyFarmAsset, verifyFarmModel, farmModelOf } from './verify';
