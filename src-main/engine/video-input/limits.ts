import { CamtrackError } from '../util/errors';
import { LIMITS } from '../util/limits';

/**
 * Caps on an imported video. Every frame becomes a PNG asset and a render keeps one warped frame
 * per track frame in memory, so the frame count is capped at the track's own maximum and the
 * total at 2 gigapixels (1000 frames of 1920x1080); a single frame at 4K UHD.
 */
export const MAX_VIDEO_FRAMES = LIMITS.videoFrames;
export const MAX_VIDEO_FRAME_PIXELS = 3840 * 2160;
export const MAX_VIDEO_TOTAL_PIXELS = 2_100_000_000;

export function checkVideoSize(file: string, frames: number, width: number, height: number): void {
  if (frames < 1) throw new CamtrackError('bad-file', `${file} has no video frames.`);
  if (frames > MAX_VIDEO_FRAMES)
    throw new CamtrackError(
      'bad-input',
      `${file} has ${frames} frames; a video input may have at most ${MAX_VIDEO_FRAMES}. Cut it first (ffmpeg -i in -frames:v ${MAX_VIDEO_FRAMES} out.mp4), or give --frames.`,
    );
  if (width * height > MAX_VIDEO_FRAME_PIXELS)
    throw new CamtrackError(
      'bad-input',
      `${file} is ${width}x${height}; a video input may have at most ${MAX_VIDEO_FRAME_PIXELS} pixels per frame (3840x2160). Scale it down first.`,
    );
  if (frames * width * height > MAX_VIDEO_TOTAL_PIXELS)
    throw new CamtrackError(
      'bad-input',
      `${file} has ${frames} frames of ${width}x${height} (${((frames * width * height) / 1e9).toFixed(2)} gigapixels in all); a video input may have at most ${(MAX_VIDEO_TOTAL_PIXELS / 1e9).toFixed(1)}. Use fewer frames (--frames) or a smaller size.`,
    );
}
