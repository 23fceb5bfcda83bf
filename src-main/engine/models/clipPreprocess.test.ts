import { describe, expect, it } from 'vitest';
import { golden, goldenImage, maxAbsDiff } from '../../test/tinySvd';
import { antialiasKernel, clipPixels, gaussianTaps } from './clipPreprocess';

describe("CLIP preprocessing as diffusers' _encode_image does it", () => {
  it('blur sizes: sigma = max((size/224 - 1)/2, 0.001), kernel int(max(4 sigma, 3)) made odd', () => {
    expect(antialiasKernel(1024, 224)).toEqual({ sigma: (1024 / 224 - 1) / 2, size: 7 });
    expect(antialiasKernel(576, 224)).toEqual({ sigma: (576 / 224 - 1) / 2, size: 3 });
    expect(antialiasKernel(128, 224)).toEqual({ sigma: 0.001, size: 3 });
    // 4 * 1.5 = 6 is even: made 7.
    expect(antialiasKernel(224 * 4, 224).size).toBe(7);
    const taps = gaussianTaps(3, 0.001);
    expect(Array.from(taps)).toEqual([0, 1, 0]);
  });

  it('matches diffusers on the 256x128 image (golden clip_pixel_values)', async () => {
    const want = await golden('clip_pixel_values');
    const got = clipPixels(await goldenImage('image'));
    expect(want.shape).toEqual([1, 3, 224, 224]);
    const d = maxAbsDiff(got, want.data);
    console.log(`clip_pixel_values max abs diff ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
  });

  it('matches diffusers on the 1024x576 image, where the blur is real (golden clip_large_pixel_values)', async () => {
    const want = await golden('clip_large_pixel_values');
    const got = clipPixels(await goldenImage('clip_large'));
    const d = maxAbsDiff(got, want.data);
    console.log(`clip_large_pixel_values max abs diff ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
  });
});
