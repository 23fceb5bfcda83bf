/** Video input (dynamic scenes): a video with per-frame depth as the source of a track. */
export { writeProjectFromVideo, type ProjectFromVideoOptions } from './project';
export { videoSourceLoader, type VideoSourceLoader } from './inputs';
export { warpTrackFromVideo, sourceFrameFor, type VideoWarpOptions } from './track';
export {
  listDepthSequence,
  readSequenceDepth,
  sortNaturally,
  DEFAULT_DEPTH_UNIT_SCALE,
  type DepthSequence,
} from './depthSequence';
export { probeInputVideo, decodeVideoFrames, type DecodedVideo } from './decode';
export { MAX_VIDEO_FRAMES, MAX_VIDEO_FRAME_PIXELS, MAX_VIDEO_TOTAL_PIXELS, checkVideoSize } from './limits';
