/**
 * Frames for tests and benchmarks: a gradient that moves a few pixels per frame (so encoders see
 * real motion and every frame differs), and deterministic noise (incompressible, to fill disks).
 */
export function gradientFrame(width: number, height: number, index: number): Uint8Array {
  const f = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      f[i] = (((x + index * 3) * 255) / (width + 30)) & 255;
      f[i + 1] = (y * 255) / Math.max(1, height - 1);
      f[i + 2] = (index * 37) & 255;
    }
  }
  return f;
}

export function* gradientFrames(width: number, height: number, count: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i++) yield gradientFrame(width, height, i);
}

export function noiseFrame(width: number, height: number, seed: number): Uint8Array {
  const f = new Uint8Array(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < f.length; i++) {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    f[i] = s & 255;
  }
  return f;
}
