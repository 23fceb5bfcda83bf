import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { writeNpy } from '../npy/npy';
import { defaultDepthMapping, depthWarnings, flipMapping, MEDIAN_DEPTH, UINT16_DEPTH_SCALE } from './defaults';
import { applyDepthMapping } from './mapping';
import { decodeDepth } from './read';
import type { RawDepth } from './types';

/** A scene receding from 1.5 to 6 m across 65x37 pixels (z in metres), left to right: an odd count, one median pixel. */
const W = 65;
const H = 37;
const metres = Float32Array.from({ length: W * H }, (_, i) => 1.5 + (4.5 * (i % W)) / (W - 1));

async function png16(values: ArrayLike<number>): Promise<Uint8Array> {
  return sharp(Uint16Array.from(values), { raw: { width: W, height: H, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toBuffer();
}
async function png8(values: ArrayLike<number>): Promise<Uint8Array> {
  return sharp(Buffer.from(Uint8Array.from(values)), { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toBuffer();
}
function pfm(values: Float32Array): Uint8Array {
  const header = new TextEncoder().encode(`Pf\n${W} ${H}\n-1.0\n`);
  const out = new Uint8Array(header.length + values.byteLength);
  out.set(header);
  // PFM rows run bottom to top.
  const rows = new Float32Array(values.length);
  for (let y = 0; y < H; y++) rows.set(values.subarray((H - 1 - y) * W, (H - y) * W), y * W);
  out.set(new Uint8Array(rows.buffer), header.length);
  return out;
}

/** z after the file's default mapping, at the left and right ends of the middle row. */
function ends(raw: RawDepth, producer: 'file' | 'model' = 'file'): { near: number; far: number; median: number } {
  const mapping = defaultDepthMapping(raw, producer);
  const { depth, report } = applyDepthMapping(raw, mapping);
  const row = (H >> 1) * W;
  return { near: depth.z[row], far: depth.z[row + W - 1], median: report.zMedian };
}

describe('the default depth mapping of each kind of source', () => {
  it('a float .npy and a .pfm are z-depth in scene units', async () => {
    for (const [bytes, name] of [
      [writeNpy(metres, [H, W]), 'd.npy'],
      [pfm(metres), 'd.pfm'],
    ] as const) {
      const raw = await decodeDepth(bytes, name);
      expect(defaultDepthMapping(raw)).toMatchObject({ kind: 'depth', scale: 1 });
      const z = ends(raw);
      expect(z.near).toBeCloseTo(1.5, 5);
      expect(z.far).toBeCloseTo(6, 5);
    }
  });

  it('a 16-bit PNG is z-depth in millimetres (was read as disparity x 10000: inverted, 1.7 to 6.7 units)', async () => {
    const raw = await decodeDepth(await png16(Array.from(metres, (m) => Math.round(m * 1000))), 'd.png');
    expect(raw.encoding).toBe('uint16');
    expect(defaultDepthMapping(raw)).toMatchObject({ kind: 'depth', scale: UINT16_DEPTH_SCALE });
    const z = ends(raw);
    expect(z.near).toBeCloseTo(1.5, 3);
    expect(z.far).toBeCloseTo(6, 3);
  });

  it('an 8-bit PNG is relative disparity, brighter nearer, median at 4 units (was a 40 to 500 unit scene)', async () => {
    // What depth tools save: disparity 1/z normalised to 0..255.
    const disp = Array.from(metres, (m) => 1 / m);
    const lo = Math.min(...disp);
    const hi = Math.max(...disp);
    const raw = await decodeDepth(await png8(disp.map((d) => Math.round(((d - lo) / (hi - lo)) * 254) + 1)), 'd.png');
    expect(raw.encoding).toBe('uint8');
    expect(defaultDepthMapping(raw).kind).toBe('disparity');
    const z = ends(raw);
    expect(z.near).toBeLessThan(z.far);
    expect(z.median).toBeCloseTo(MEDIAN_DEPTH, 6);
  });

  it("a depth model's output is relative disparity, median at 4 units, whatever its values' range", () => {
    const raw: RawDepth = {
      width: W,
      height: H,
      values: Float32Array.from(metres, (m) => 123 / m),
      origin: 'model',
      encoding: 'float',
    };
    const z = ends(raw, 'model');
    expect(z.median).toBeCloseTo(MEDIAN_DEPTH, 6);
    expect(z.far / z.near).toBeCloseTo(6 / 1.5, 4);
  });

  it('flipping depth <-> disparity keeps the median pixel where it was', async () => {
    const raw = await decodeDepth(writeNpy(metres, [H, W]), 'd.npy');
    const m = defaultDepthMapping(raw);
    const before = applyDepthMapping(raw, m).report;
    const flipped = flipMapping(m, before.rawMedian, before.zMedian);
    expect(flipped.kind).toBe('disparity');
    const after = applyDepthMapping(raw, flipped);
    expect(after.report.zMedian).toBeCloseTo(before.zMedian, 5);
    // Inside out: the far end is now the near one.
    const row = (H >> 1) * W;
    expect(after.depth.z[row]).toBeGreaterThan(after.depth.z[row + W - 1]);
    const back = flipMapping(flipped, after.report.rawMedian, after.report.zMedian);
    expect(back.kind).toBe('depth');
    expect(back.scale).toBeCloseTo(1, 6);
  });
});

describe('the plausibility check', () => {
  const raw = (values: number[]): RawDepth => ({
    width: values.length,
    height: 1,
    values: Float64Array.from(values),
    origin: 't',
    encoding: 'float',
  });
  const warn = (values: number[], mapping = { kind: 'depth' as const, scale: 1, near: 1e-4, far: 1e6 }) =>
    depthWarnings(applyDepthMapping(raw(values), mapping).report);

  it('says nothing about an ordinary scene', () => {
    expect(warn([1.5, 2, 3, 4, 8, 20])).toEqual([]);
  });

  it('names a far/near ratio above 1000', () => {
    const [w] = warn([0.01, 2, 3, 4, 50]);
    expect(w).toMatch(/spans 0\.01 to 50 units, the farthest 5000 times the nearest \(more than 1000\)/);
  });

  it('names a median far outside the plausible range: millimetres read as units', () => {
    const [w] = warn([1500, 2000, 2500, 6000]);
    expect(w).toMatch(/median depth is 2500 units, outside 0\.05 to 1000: is the scale right/);
  });

  it('names how many pixels are clipped, to what', () => {
    const w = warn([1, 2, 600, 700, 800], { kind: 'depth', scale: 1, near: 1e-4, far: 500 });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/60% of the pixels are clipped \(0 to near = 0\.0001, 3 to far = 500\)/);
  });
});
