import { promises as fs } from 'node:fs';
import { exportFrames } from '../video/export';

/**
 * The lossless master of a render: its RGB frames exactly as made, kept beside the video as
 * `<video>.master.mkv` (H.264 RGB at qp 0, Matroska). An export to another format or frame rate
 * reads it instead of the delivered mp4, so the mp4's 4:2:0 compression is never compressed again.
 * It costs disk: about the size of the frames as PNGs (a 25-frame 1024x576 clip is tens of MB,
 * roughly ten times its mp4). A PNG render needs none: its frames are the master.
 */
export function masterPathFor(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}.master.mkv`;
}

export interface MasterInput {
  /** The render's output (video file); the master goes beside it. */
  output: string;
  frames: readonly Uint8Array[];
  width: number;
  height: number;
  fps: number;
  ffmpegPath?: string;
}

/** Writes the master (atomically, like every export); returns its path and size. */
export async function writeMaster(m: MasterInput): Promise<{ path: string; bytes: number }> {
  const r = await exportFrames({
    format: 'master',
    width: m.width,
    height: m.height,
    fps: m.fps,
    frames: m.frames,
    count: m.frames.length,
    out: masterPathFor(m.output),
    ffmpegPath: m.ffmpegPath,
  });
  return { path: r.out, bytes: r.bytes };
}

/** Whether a render kept its master. */
export async function hasMaster(output: string): Promise<boolean> {
  return fs.stat(masterPathFor(output)).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}
