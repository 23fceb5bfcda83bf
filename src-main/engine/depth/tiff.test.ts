import { describe, expect, it } from 'vitest';
import { decodeDepth } from './read';
import { makeTiff } from '../../test/tiff';
import { refusal } from '../../test/refusal';

/** TIFF depth (float or 16-bit greyscale), capped at 100 MP like PNG depth and photos (issue 12). */

describe('TIFF depth', () => {
  it('reads 32-bit float greyscale exactly, NaN kept', async () => {
    const values = [0.25, 1.5, 1e-7, 12345.678, NaN, 3.0e5];
    const raw = await decodeDepth(makeTiff({ width: 3, height: 2, type: 'f32', values }), 'd.tif');
    expect([raw.width, raw.height, raw.origin]).toEqual([3, 2, 'tiff float']);
    expect(Array.from(raw.values)).toEqual(Array.from(Float32Array.from(values)));
  });

  it('reads 16-bit greyscale', async () => {
    const raw = await decodeDepth(
      makeTiff({ width: 2, height: 2, type: 'u16', values: [0, 1, 40000, 65535] }),
      'd.tif',
    );
    expect(raw.origin).toBe('tiff 16-bit');
    expect(Array.from(raw.values)).toEqual([0, 1, 40000, 65535]);
  });

  it('a TIFF above 100 megapixels is refused from its header, before decoding', async () => {
    // 20000 x 6000 float (120 MP, 480 MB decoded) in a 150-byte file.
    const { err, ms } = await refusal(() =>
      decodeDepth(makeTiff({ width: 20000, height: 6000, type: 'f32', dataBytes: 16 }), 'big.tif'),
    );
    expect(err.message).toBe(
      'big.tif is 20000x6000 (120.0 megapixels), above the limit of 100 megapixels. Downscale it first.',
    );
    expect(ms).toBeLessThan(1000);
    // Just under the cap gets past it (and fails for its missing pixels, naming TIFF).
    const under = await refusal(() =>
      decodeDepth(makeTiff({ width: 10000, height: 10000, type: 'u16', dataBytes: 16 }), 'under.tif'),
    );
    expect(under.err.message).toMatch(/^under\.tif looks like TIFF but cannot be decoded \(/);
  });

  it('a header of a very long, thin image is refused by its side before sharp reads rows (found by depth.prop.test.ts)', async () => {
    // 50,000,000 x 2 is under 100 MP; sharp took about 4 s to find this 150-byte file holds no pixels.
    const { err, ms } = await refusal(() =>
      decodeDepth(makeTiff({ width: 50_000_000, height: 2, type: 'u16', dataBytes: 16 }), 'thin.tif'),
    );
    expect(err.message).toBe('thin.tif is 50000000x2 pixels; a depth map may be at most 65535 pixels on a side.');
    expect(ms).toBeLessThan(1000);
    // The longest allowed side, at the full pixel budget, is refused for its missing pixels quickly too.
    const edge = await refusal(() =>
      decodeDepth(makeTiff({ width: 65535, height: 1525, type: 'f32', dataBytes: 16 }), 'edge.tif'),
    );
    expect(edge.err.message).toMatch(/^edge\.tif looks like TIFF but cannot be decoded/);
    expect(edge.ms).toBeLessThan(1000);
  });

  it('refuses colour and cut-off TIFFs with a message naming the file', async () => {
    const rgb = makeTiff({ width: 2, height: 1, type: 'u8', samples: 3, values: [10, 200, 30, 40, 50, 60] });
    expect((await refusal(() => decodeDepth(rgb, 'viz.tif'))).err.message).toMatch(
      /viz\.tif is a colour image .* a depth TIFF is greyscale, ideally 16-bit or float/,
    );
    const floatRgb = makeTiff({ width: 2, height: 1, type: 'f32', samples: 3 });
    expect((await refusal(() => decodeDepth(floatRgb, 'c.tif'))).err.message).toMatch(/c\.tif is a colour image/);
    const cut = makeTiff({ width: 64, height: 64, type: 'f32' }).subarray(0, 300);
    expect((await refusal(() => decodeDepth(cut, 'cut.tif'))).err.message).toMatch(
      /^cut\.tif looks like TIFF but cannot be decoded \(.+\)\.$/,
    );
  });
});
