/** Video export: the public surface other modules use. */
export {
  resolveFfmpeg,
  resolveFfprobe,
  FFMPEG_INSTALL_HINT,
  type ResolvedTool,
  type FfmpegSource,
  type FfprobeSource,
  type ResolveOptions,
} from './resolve-ffmpeg';
export { exportFrames, type ExportOptions, type ExportProgress, type ExportResult } from './export';
export {
  buildFfmpegArgs,
  outputSize,
  pngFrameName,
  DEFAULT_CRF,
  X264_PRESETS,
  type ExportFormat,
  type EncodeFormat,
  type X264Preset,
  type EvenSizePolicy,
  type EncodeSpec,
} from './ffmpeg-args';
export { probeVideo, type VideoProbe } from './probe';
export { writeThumbnail, thumbnailPathFor, type ThumbnailOptions, type ThumbnailResult } from './thumbnail';
export { removeStalePartials, removeOwnTemporariesSync } from './partials';
export { startTemporaryReaper, type TemporaryReaper } from './reaper';
export {
  commitGroup,
  discardStaged,
  recoverCommits,
  type StagedFile,
  type RecoveredCommit,
  type WriterAlive,
} from './commit';
export { tempPathBeside } from '../util/atomic';
