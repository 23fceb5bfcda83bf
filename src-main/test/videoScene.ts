import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { IDENTITY4, type FrameCamera, type Intrinsics } from '../engine/geometry/conventions';
import { sourceIntrinsics } from '../engine/camera/intrinsics';
import { encodePng } from '../engine/image/encode';
import type { RgbImage } from '../engine/image/types';
import { writeNpy } from '../engine/npy/npy';
import { renderScene, sampleScene, type Scene, type SceneRender } from '../engine/scene/scene';
import { resolveFfmpeg } from '../engine/video/resolve-ffmpeg';

/**
 * A dynamic scene for tests, made by the project's own ray caster: the sample scene with a magenta
 * ball moving left to right in front of it, filmed by the still source camera (identity pose, the
 * intrinsics a project assumes for a photo of that size). The frames are encoded to a small
 * H.264 video (4:4:4, nearly lossless) and the exact z-depth written per frame as .npy or as
 * 16-bit PNG in millimetres.
 */
export const MOVING_BALL_COLOUR = [1, 0, 1] as const;

/** Ball centre at time t in [0, 1]: from x = -1.2 to x = +1.2, 3 units in front of the camera. */
export function ballCentre(t: number): [number, number, number] {
  return [-1.2 + 2.4 * t, 0.3, -3];
}

export function movingScene(t: number): Scene {
  const base = sampleScene();
  return {
    ...base,
    objects: [
      ...base.objects,
      {
        kind: 'sphere',
        centre: ballCentre(t),
        radius: 0.35,
        texture: { kind: 'gradient', length: 1, a: MOVING_BALL_COLOUR, b: MOVING_BALL_COLOUR },
      },
    ],
  };
}

/** Frame k of n at time k / (n - 1). */
export function frameTime(k: number, n: number): number {
  return n <= 1 ? 0 : k / (n - 1);
}

/** The centroid (x, y in pixels) and count of the magenta ball's pixels in an RGB image (float [0,1] or bytes). */
export function ballCentroid(
  data: ArrayLike<number>,
  width: number,
  height: number,
  scale = 1,
): { x: number; y: number; count: number } {
  let sx = 0,
    sy = 0,
    n = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = data[i] / scale,
        g = data[i + 1] / scale,
        b = data[i + 2] / scale;
      if (r > 0.4 && b > 0.4 && g < 0.2 && Math.abs(r - b) < 0.2) {
        sx += x + 0.5;
        sy += y + 0.5;
        n++;
      }
    }
  return { x: n ? sx / n : NaN, y: n ? sy / n : NaN, count: n };
}

export interface VideoDataset {
  video: string;
  depthDir: string;
  intrinsics: Intrinsics;
  /** The exact renders per frame (from the source camera). */
  truth: SceneRender[];
}

export async function writeMovingVideoDataset(
  dir: string,
  opts: { frames: number; width: number; height: number; depth?: 'npy' | 'png'; fps?: number },
): Promise<VideoDataset> {
  const { frames, width, height } = opts;
  await fs.mkdir(path.join(dir, 'png'), { recursive: true });
  const depthDir = path.join(dir, 'depth');
  await fs.mkdir(depthDir, { recursive: true });
  const intrinsics = sourceIntrinsics(width, height);
  const camera: FrameCamera = { c2w: IDENTITY4, intrinsics };
  const truth: SceneRender[] = [];
  for (let k = 0; k < frames; k++) {
    const r = renderScene(movingScene(frameTime(k, frames)), camera, 2);
    truth.push(r);
    await fs.writeFile(path.join(dir, 'png', `f_${String(k).padStart(4, '0')}.png`), await encodePng(r.image));
    // Unpadded names: the import must order them naturally (frame_2 before frame_10).
    if (opts.depth === 'png') {
      const mm = Uint16Array.from(r.depth, (z) => Math.min(65535, Math.round(z * 1000)));
      await fs.writeFile(
        path.join(depthDir, `frame_${k}.png`),
        await sharp(mm, { raw: { width, height, channels: 1 } })
          .toColourspace('grey16')
          .png()
          .toBuffer(),
      );
    } else {
      await fs.writeFile(path.join(depthDir, `frame_${k}.npy`), writeNpy(r.depth, [height, width]));
    }
  }
  const video = path.join(dir, 'clip.mp4');
  await ffmpeg([
    '-v',
    'error',
    '-y',
    '-framerate',
    String(opts.fps ?? 7),
    '-i',
    path.join(dir, 'png', 'f_%04d.png'),
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv444p',
    '-crf',
    '8',
    video,
  ]);
  await fs.rm(path.join(dir, 'png'), { recursive: true, force: true });
  return { video, depthDir, intrinsics, truth };
}

/** Float RGB in [0,1] of a SceneRender, as bytes. */
export function imageBytes(img: RgbImage): Uint8Array {
  return Uint8Array.from(img.data, (v) => Math.max(0, Math.min(255, Math.round(v * 255))));
}

async function ffmpeg(args: string[]): Promise<void> {
  const bin = (await resolveFfmpeg()).path;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${code}): ${err}`))));
  });
}
