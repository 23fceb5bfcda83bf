import { describe, expect, it } from 'vitest';
import { cropToAspect } from './cropToAspect';

describe('cropToAspect', () => {
  it('DTU: a 1600x1200 photo cropped to the 160x128 depth is 1440x1152 from a 1500x1200 centre crop', () => {
    const k = { width: 1600, height: 1200, fx: 2892.33, fy: 2883.18, cx: 823.21, cy: 619.07 };
    const r = cropToAspect(k, 160, 128);
    expect(r.crop).toEqual({ x: 50, y: 0, width: 1500, height: 1200 });
    expect([r.placement.width, r.placement.height]).toEqual([1440, 1152]);
    const s = 1440 / 1500; // 0.96 on both axes
    expect(r.intrinsics.fx).toBeCloseTo(2892.33 * s, 9);
    expect(r.intrinsics.fy).toBeCloseTo(2883.18 * s, 9);
    expect(r.intrinsics.cx).toBeCloseTo((823.21 - 50) * s, 9);
    expect(r.intrinsics.cy).toBeCloseTo(619.07 * s, 9);
    expect(r.intrinsics.width / r.intrinsics.height).toBe(160 / 128);
  });

  it('maps a photo point to the output pixel that sees the same ray', () => {
    const k = { width: 1000, height: 400, fx: 500, fy: 500, cx: 500, cy: 200 };
    const r = cropToAspect(k, 4, 3); // 533x400 crop at x 233, scaled by 1 (k = 133 -> 532x399)
    expect(r.crop).toEqual({ x: 233, y: 0, width: 533, height: 400 });
    expect([r.placement.width, r.placement.height]).toEqual([532, 399]);
    // The ray through photo pixel (600, 300): (600 - cx) / fx must be the same in the output.
    const u = r.placement.scaleX * 600 - r.placement.offsetX,
      v = r.placement.scaleY * 300 - r.placement.offsetY;
    expect((u - r.intrinsics.cx) / r.intrinsics.fx).toBeCloseTo((600 - 500) / 500, 12);
    expect((v - r.intrinsics.cy) / r.intrinsics.fy).toBeCloseTo((300 - 200) / 500, 12);
  });

  it('a tall photo is cropped top and bottom; a depth larger than the crop is not upscaled to', () => {
    const k = { width: 300, height: 900, fx: 300, fy: 300, cx: 150, cy: 450 };
    const r = cropToAspect(k, 1000, 1000);
    expect(r.crop).toEqual({ x: 0, y: 300, width: 300, height: 300 });
    expect([r.placement.width, r.placement.height]).toEqual([300, 300]);
    expect(r.intrinsics.cy).toBeCloseTo(150, 12);
  });

  it('an image already at the aspect is kept whole', () => {
    const k = { width: 1280, height: 1024, fx: 1000, fy: 1000, cx: 640, cy: 512 };
    const r = cropToAspect(k, 160, 128);
    expect(r.crop).toEqual({ x: 0, y: 0, width: 1280, height: 1024 });
    expect(r.intrinsics).toMatchObject({ width: 1280, height: 1024, fx: 1000, cx: 640 });
  });
});
