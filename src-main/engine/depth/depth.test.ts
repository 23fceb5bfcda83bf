import { tempDir } from '../../test/tmp';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures';
import { computeFit } from '../image/fit';
import { npyHeader, writeNpy } from '../npy/npy';
import { applyDepthMapping } from './mapping';
import { parsePfm, writePfm } from './pfm';
import { depthForRender } from './prepare';
import { decodeDepth, readDepthFile } from './read';
import { resizeDepth } from './resize';
import type { RawDepth } from './types';
import { IDENTITY4 } from '../geometry/conventions';
import { prepareSource, warpFrame } from '../warp/forward';

const DEPTH = { kind: 'depth', scale: 1, near: 0.1, far: 100 } as const;

function pfmBytes(
  kind: 'Pf' | 'PF',
  w: number,
  h: number,
  scale: string,
  floats: number[],
  little: boolean,
): Uint8Array {
  const header = new TextEncoder().encode(`${kind}\n${w} ${h}\n${scale}\n`);
  const out = new Uint8Array(header.length + floats.length * 4);
  out.set(header);
  const view = new DataView(out.buffer, header.length);
  floats.forEach((f, i) => view.setFloat32(i * 4, f, little));
  return out;
}

describe('depth files', () => {
  it('reads PFM rows bottom to top, both byte orders, and the first channel of "PF"', async () => {
    // File order is the bottom row first: [3, 4] then [1, 2] -> top row [1, 2].
    const le = parsePfm(pfmBytes('Pf', 2, 2, '-1.0', [3, 4, 1, 2], true));
    expect(Array.from(le.values)).toEqual([1, 2, 3, 4]);
    const be = parsePfm(pfmBytes('Pf', 2, 2, '1.0', [3, 4, 1, 2], false));
    expect(Array.from(be.values)).toEqual([1, 2, 3, 4]);
    const colour = parsePfm(pfmBytes('PF', 2, 1, '-1', [5, 0, 0, 6, 9, 9], true));
    expect(Array.from(colour.values)).toEqual([5, 6]);
    const roundTrip = parsePfm(writePfm(3, 2, Float32Array.from([1, 2, 3, 4, 5, 6])));
    expect(Array.from(roundTrip.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parsePfm(pfmBytes('Pf', 4, 4, '-1', [1, 2], true), 'd.pfm')).toThrow(
      /d\.pfm is not a readable PFM file: it holds 8 bytes of pixels, 64 are needed/,
    );
    expect(() => parsePfm(pfmBytes('Pf', 2, 1, 'zero', [1, 2], true), 'd.pfm')).toThrow(/scale "zero"/);
  });

  it('reads the DTU fixture depth (PFM, 160x128, 0 = no depth)', async () => {
    const raw = await readDepthFile(fixture('dtu_scan1', '000001.pfm'));
    expect([raw.width, raw.height]).toEqual([160, 128]);
    const { report } = applyDepthMapping(raw, { kind: 'depth', scale: 1, near: 1, far: 5000 });
    expect(report.zero).toBeGreaterThan(0);
    expect(report.valid).toBeGreaterThan(1000);
    // DTU depth of scan 1 lies around 425 + 2.5 * 192 mm.
    expect(report.zMin).toBeGreaterThan(425);
    expect(report.zMax).toBeLessThan(425 + 2.5 * 192);
  });

  it('reads .npy depth as float16, float32 and float64, with singleton axes', async () => {
    const f32 = await decodeDepth(writeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]), 'd.npy');
    expect([f32.width, f32.height, f32.origin]).toEqual([3, 2, 'npy <f4']);
    const f64 = await decodeDepth(writeNpy(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3, 1]), 'd.npy');
    expect([f64.width, f64.height, f64.origin]).toEqual([3, 2, 'npy <f8']);
    const header = npyHeader('<f2', [2, 2]);
    const halfs = Uint16Array.from([0x3c00, 0x4000, 0x3800, 0x7e00]); // 1, 2, 0.5, NaN
    const f16 = new Uint8Array(header.length + 8);
    f16.set(header);
    f16.set(new Uint8Array(halfs.buffer), header.length);
    const raw = await decodeDepth(f16, 'h.npy');
    expect(raw.origin).toBe('npy <f2');
    expect(Array.from(raw.values.slice(0, 3))).toEqual([1, 2, 0.5]);
    expect(applyDepthMapping(raw, DEPTH).report.nan).toBe(1);
    await expect(decodeDepth(writeNpy(new Float32Array(8), [2, 2, 2]), 'cube.npy')).rejects.toThrow(
      /cube\.npy has shape \(2, 2, 2\); a depth map is 2-D/,
    );
  });

  it('reads 16-bit greyscale PNG depth and refuses colour PNGs', async () => {
    const px = Uint16Array.from([0, 1000, 65535, 300]);
    const png = await sharp(px, { raw: { width: 2, height: 2, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const raw = await decodeDepth(png, 'd.png');
    expect(raw.origin).toBe('png 16-bit');
    expect(Array.from(raw.values)).toEqual([0, 1000, 65535, 300]);
    const colour = await sharp(Buffer.from([255, 0, 0, 0, 255, 0]), { raw: { width: 2, height: 1, channels: 3 } })
      .png()
      .toBuffer();
    await expect(decodeDepth(colour, 'viz.png')).rejects.toThrow(
      /viz\.png is a colour image \(a depth visualisation\?\)/,
    );
  });

  it('refuses missing, empty and unsupported depth files with their reason', async () => {
    const dir = tempDir('camtrack-depth-');
    await expect(readDepthFile(path.join(dir, 'nope.npy'))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/Depth file not found/),
    });
    await writeFile(path.join(dir, 'empty.pfm'), '');
    await expect(readDepthFile(path.join(dir, 'empty.pfm'))).rejects.toMatchObject({
      code: 'bad-file',
      message: 'empty.pfm is empty (0 bytes).',
    });
    await writeFile(path.join(dir, 'depth.npy'), 'hello, not depth');
    await expect(readDepthFile(path.join(dir, 'depth.npy'))).rejects.toThrow(
      /depth\.npy is not a depth file this studio reads \(unrecognised content\)/,
    );
    await expect(decodeDepth(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0]), 'x.npy')).rejects.toThrow(
      /x\.npy is not a readable \.npy file/,
    );
  });
});

describe('depth mapping', () => {
  const raw = (values: number[], w = values.length, h = 1): RawDepth => ({
    width: w,
    height: h,
    values: Float32Array.from(values),
    origin: 'test',
    encoding: 'float',
  });

  it('maps depth as scale * v and disparity as scale / v, clipped to [near, far]', () => {
    const d = applyDepthMapping(raw([0.5, 2, 100]), { kind: 'depth', scale: 2, near: 2, far: 50 });
    expect(Array.from(d.depth.z)).toEqual([2, 4, 50]);
    expect([d.report.clippedNear, d.report.clippedFar]).toEqual([1, 1]);
    const disp = applyDepthMapping(raw([10000, 1, 0.01]), { kind: 'disparity', scale: 10000, near: 1e-4, far: 500 });
    expect(Array.from(disp.depth.z)).toEqual([1, 500, 500]);
    expect([disp.report.zMin, disp.report.zMax, disp.report.rawMin, disp.report.rawMax]).toEqual([
      1,
      500,
      Math.fround(0.01),
      10000,
    ]);
  });

  it('floors disparity at 1e-5 as the reference: zero or negative disparity is the far plane, not a hole (hand-computed)', () => {
    // scale 10000: 0, -2 and 1e-6 become 1e-5 -> 10000 / 1e-5 = 1e9 -> clipped to far = 500;
    // 20000 -> 0.5; 100 -> 100. Under a depth mapping 0 and -2 are still "no depth".
    const disp = applyDepthMapping(raw([0, -2, 1e-6, 20000, 100]), {
      kind: 'disparity',
      scale: 10000,
      near: 1e-4,
      far: 500,
    });
    expect(Array.from(disp.depth.z)).toEqual([500, 500, 500, 0.5, 100]);
    const r = disp.report;
    expect([r.valid, r.zero, r.negative, r.flooredDisparity, r.clippedFar]).toEqual([5, 0, 0, 3, 3]);
    const dep = applyDepthMapping(raw([0, -2, 3]), { kind: 'depth', scale: 1, near: 1e-4, far: 500 });
    expect(Array.from(dep.depth.z)).toEqual([0, 0, 3]);
    expect([dep.report.zero, dep.report.negative, dep.report.flooredDisparity]).toEqual([1, 1, 0]);
    // So a zero-disparity sky pixel is warped (guided), not a hole: identity warp of a 4x4 photo
    // whose disparity is 0 at one pixel and 1 elsewhere keeps every pixel.
    const d4 = applyDepthMapping(raw([0, ...new Array(15).fill(1)], 4, 4), {
      kind: 'disparity',
      scale: 10000,
      near: 1e-4,
      far: 500,
    }).depth;
    const k = { width: 4, height: 4, fx: 4, fy: 4, cx: 2, cy: 2 };
    const img = { width: 4, height: 4, data: new Float32Array(48).fill(0.5) };
    const out = warpFrame(
      prepareSource({ image: img, depth: d4.z, intrinsics: k, c2w: IDENTITY4 }),
      { intrinsics: k, c2w: IDENTITY4 },
      { dilateRadius: 0 },
    );
    expect(out.holes[0]).toBe(0);
    expect(out.holeFraction).toBe(0);
  });

  it('counts NaN, infinities, zero and negative values and leaves those pixels without depth', () => {
    const d = applyDepthMapping(raw([NaN, Infinity, -Infinity, 0, -3, 4, NaN]), DEPTH);
    const r = d.report;
    expect([r.total, r.valid, r.nan, r.posInf, r.negInf, r.zero, r.negative]).toEqual([7, 1, 2, 1, 1, 1, 1]);
    expect(Array.from(d.depth.z)).toEqual([0, 0, 0, 0, 0, 4, 0]);
  });

  it('refuses a depth map with no usable value, naming what it found', () => {
    expect(() => applyDepthMapping(raw([NaN, 0, -1, Infinity]), DEPTH)).toThrow(
      'The depth (test, 4x1) has no usable value: 1 NaN, 1 +infinity, 1 zero, 1 negative. Depth values must be finite and > 0.',
    );
  });
});

describe('depth resizing', () => {
  it('interpolates bilinearly among valid neighbours only, never into "no depth"', () => {
    // 2x1 -> 4x1: output centres at source x = 0.25, 0.75, 1.25, 1.75 (pixel-index 0..1 clamped).
    const two = { width: 2, height: 1, z: Float32Array.from([2, 4]) };
    const p = { srcWidth: 2, srcHeight: 1, width: 4, height: 1, scaleX: 2, scaleY: 1, offsetX: 0, offsetY: 0 };
    expect(Array.from(resizeDepth(two, p).z)).toEqual([2, 2.5, 3.5, 4]);
    const holey = { width: 2, height: 1, z: Float32Array.from([2, 0]) };
    // The second output has 3/4 weight on the valid pixel: it keeps z = 2; the third only 1/4: no depth.
    expect(Array.from(resizeDepth(holey, p).z)).toEqual([2, 2, 0, 0]);
    expect(Array.from(resizeDepth(two, p, 'nearest').z)).toEqual([2, 2, 4, 4]);
  });

  it('resizes depth for a render with nearest, as the reference: no depth invented across an edge (hand-computed)', () => {
    // A 2x1 depth [2, 8] (an object edge) on a 2x1 photo rendered at 4x1: output centres fall at
    // source x = 0.25, 0.75, 1.25, 1.75, so nearest copies [2, 2, 8, 8]. Bilinear (pixel-index
    // coordinates clamped to [0, 1]: 0, 0.25, 0.75, 1) would invent 3.5 and 6.5 between them.
    const r: RawDepth = { width: 2, height: 1, values: Float32Array.from([2, 8]), origin: 'test', encoding: 'float' };
    const fit = computeFit(2, 1, 4, 1, 'crop');
    expect(Array.from(depthForRender(r, DEPTH, fit).depth.z)).toEqual([2, 2, 8, 8]);
    expect(Array.from(depthForRender(r, DEPTH, fit, 'bilinear').depth.z)).toEqual([2, 3.5, 6.5, 8]);
  });

  it('places depth like the photo (pad bars have no depth) and refuses another aspect', () => {
    const r: RawDepth = { width: 4, height: 2, values: new Float32Array(8).fill(3), origin: 'test', encoding: 'float' };
    // A 400x200 photo padded into 8x8: the image occupies rows 2..5.
    const { depth } = depthForRender(r, DEPTH, computeFit(400, 200, 8, 8, 'pad'));
    const rows = Array.from({ length: 8 }, (_, y) => depth.z[y * 8]);
    expect(rows).toEqual([0, 0, 3, 3, 3, 3, 0, 0]);
    expect(() => depthForRender(r, DEPTH, computeFit(300, 300, 8, 8, 'crop'))).toThrow(
      /The depth is 4x2 \(aspect 2\.000\) but the photo is 300x300 \(aspect 1\.000\): they cannot be the same view/,
    );
  });
});
