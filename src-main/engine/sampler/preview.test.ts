import { describe, expect, it } from 'vitest';
import { SD_LATENT_RGB, latentFrameToRgb, latentPreview } from './preview';
import { gaussianNoise } from './rng';

describe('latent preview', () => {
  it('projects each latent pixel with the 4x3 matrix, maps [-1, 1] to 0..255 and clamps', () => {
    // 4 channels of 1 x 3 pixels: pixel 0 is zero (mid grey), pixel 1 is channel 0 = 1, pixel 2 is huge.
    const frame = new Float32Array([0, 1, 100, 0, 0, 100, 0, 0, 100, 0, 0, 100]);
    const img = latentFrameToRgb(frame, 4, 1, 3);
    expect(img).toMatchObject({ width: 3, height: 1 });
    expect(img.data.length).toBe(9);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([128, 128, 128]); // round(0.5 * 255) = 128
    const [r, g, b] = SD_LATENT_RGB.factors; // channel 0's row
    expect(Array.from(img.data.subarray(3, 6))).toEqual([r, g, b].map((v) => Math.round(((v + 1) / 2) * 255)));
    // 100 * column sums: R 0.1813 -> 255, G 0.6417 -> 255, B 0.1121 -> 255.
    expect(Array.from(img.data.subarray(6, 9))).toEqual([255, 255, 255]);
    expect(latentFrameToRgb(new Float32Array(12).fill(-100), 4, 1, 3).data.every((v) => v === 0 || v === 255)).toBe(
      true,
    );
  });

  it('gives one small RGB image per frame, with block averaging by stride', () => {
    const shape = { frames: 3, channels: 4, height: 9, width: 16 };
    const x = gaussianNoise(3 * 4 * 9 * 16, 3);
    const full = latentPreview(x, shape);
    expect(full).toHaveLength(3);
    for (const im of full) expect(im).toMatchObject({ width: 16, height: 9 });
    const small = latentPreview(x, shape, 4);
    expect(small[0]).toMatchObject({ width: 4, height: 3 });
    expect(small[0].data.length).toBe(4 * 3 * 3);
    // A constant latent previews to one constant colour at any stride.
    const flat = new Float32Array(4 * 9 * 16);
    flat.fill(0.3, 0, 9 * 16);
    const a = latentFrameToRgb(flat, 4, 9, 16, 1).data;
    const b = latentFrameToRgb(flat, 4, 9, 16, 5).data;
    expect(new Set(a).size).toBeLessThanOrEqual(3);
    expect(Array.from(b.subarray(0, 3))).toEqual(Array.from(a.subarray(0, 3)));
    expect(() => latentPreview(x.subarray(1), shape)).toThrow(/latent has/);
    expect(() => latentFrameToRgb(new Float32Array(8), 2, 1, 4)).toThrow(/2 channels/);
  });
});
