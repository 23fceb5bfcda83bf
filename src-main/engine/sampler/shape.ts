import { CamtrackError } from '../util/errors';

/**
 * Shape of a video latent. Buffers are float32, laid out [F][C][h][w] (frame-major, then channel,
 * then row, then column), the layout of SVD's UNet output for batch 1.
 */
export interface LatentShape {
  readonly frames: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** Elements in one frame: C * h * w. */
export function frameSize(s: LatentShape): number {
  return s.channels * s.height * s.width;
}

/** Elements in the whole video latent: F * C * h * w. */
export function latentSize(s: LatentShape): number {
  return s.frames * frameSize(s);
}

export function assertLatentShape(s: LatentShape, where: string): void {
  for (const k of ['frames', 'channels', 'height', 'width'] as const) {
    const v = s[k];
    if (!Number.isInteger(v) || v < 1)
      throw new CamtrackError('bad-input', `${where}: latent ${k} must be a positive integer (got ${v}).`);
  }
}

/** Refuses a buffer whose length does not fit, naming what it is and where it was about to be used. */
export function assertLength(buf: ArrayLike<number>, expected: number, what: string, where: string): void {
  if (buf.length !== expected) {
    throw new CamtrackError(
      'shape-mismatch',
      `${where}: ${what} has ${buf.length} values, but this render needs ${expected}.`,
    );
  }
}
