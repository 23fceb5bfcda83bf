import { describe, expect, it } from 'vitest';
import { pushPullFill } from './fill';

/** A width x height image of one colour per pixel given by `colour(x, y)`. */
function image(
  width: number,
  height: number,
  colour: (x: number, y: number) => [number, number, number],
): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(colour(x, y), (y * width + x) * 3);
  return out;
}

function mask(width: number, height: number, hole: (x: number, y: number) => boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = hole(x, y) ? 1 : 0;
  return out;
}

/** Bit-for-bit equality (vitest's deep equality is slow on large typed arrays). */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('push-pull fill', () => {
  it('keeps every known pixel bit for bit and fills a hole in a flat colour with that colour', () => {
    const w = 37,
      h = 23;
    const img = image(w, h, () => [0.2, 0.5, 0.9]);
    const holes = mask(w, h, (x, y) => (x - 18) ** 2 + (y - 11) ** 2 < 49);
    const given = img.slice();
    for (let i = 0; i < w * h; i++) if (holes[i]) given.fill(0, i * 3, i * 3 + 3);
    const out = pushPullFill({ width: w, height: h, image: given, holes });
    let changed = 0,
      worst = 0;
    for (let i = 0; i < w * h * 3; i++) {
      if (!holes[Math.floor(i / 3)]) changed += out[i] === given[i] ? 0 : 1;
      else worst = Math.max(worst, Math.abs(out[i] - img[i]));
    }
    expect(changed).toBe(0);
    expect(worst).toBeLessThan(1e-5);
  });

  it('fills a hole in a linear ramp close to the ramp (within 0.08)', () => {
    const w = 64,
      h = 32;
    const img = image(w, h, (x) => [x / 63, 1 - x / 63, 0.5]);
    const holes = mask(w, h, (x, y) => x >= 24 && x < 40 && y >= 8 && y < 24);
    const out = pushPullFill({ width: w, height: h, image: img, holes });
    let worst = 0;
    for (let i = 0; i < w * h; i++)
      if (holes[i]) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out[i * 3 + c] - img[i * 3 + c]));
    expect(worst).toBeLessThan(0.08);
  });

  it('fills a disocclusion from the background side: far pixels outweigh the near ones', () => {
    // Red foreground (z = 1) on the left, blue background (z = 3) on the right, a hole between.
    const w = 48,
      h = 16;
    const img = image(w, h, (x) => (x < 20 ? [1, 0, 0] : [0, 0, 1]));
    const depth = Float32Array.from({ length: w * h }, (_, i) => (i % w < 20 ? 1 : 3));
    const holes = mask(w, h, (x) => x >= 20 && x < 30);
    const withDepth = pushPullFill({ width: w, height: h, image: img, holes, depth });
    const plain = pushPullFill({ width: w, height: h, image: img, holes });
    // The hole pixel next to the foreground edge.
    const p = (8 * w + 20) * 3;
    expect(withDepth[p + 2]).toBeGreaterThan(0.9);
    expect(withDepth[p]).toBeLessThan(0.1);
    // Without depth the same pixel takes mostly the foreground: the depth is what keeps the edge clean.
    expect(plain[p]).toBeGreaterThan(0.5);
    // Every hole pixel is mostly background.
    let leastBlue = 1;
    for (let x = 20; x < 30; x++)
      for (let y = 0; y < h; y++) leastBlue = Math.min(leastBlue, withDepth[(y * w + x) * 3 + 2]);
    expect(leastBlue).toBeGreaterThan(0.85);
  });

  it('is deterministic, leaves no hole black and handles odd sizes, no holes and all holes', () => {
    const w = 101,
      h = 57;
    const img = image(w, h, (x, y) => [((x * 7 + y * 3) % 17) / 16, ((x * 5) % 11) / 10, ((y * 13) % 7) / 6]);
    const holes = mask(w, h, (x, y) => (x * 31 + y * 17) % 9 === 0 || (x > 60 && x < 90 && y > 5 && y < 50));
    const depth = Float32Array.from({ length: w * h }, (_, i) => 1 + (i % 29) / 7);
    const a = pushPullFill({ width: w, height: h, image: img, holes, depth });
    const b = pushPullFill({ width: w, height: h, image: img.slice(), holes: holes.slice(), depth: depth.slice() });
    expect(same(b, a)).toBe(true);
    let darkest = Infinity;
    for (let i = 0; i < w * h; i++) if (holes[i]) darkest = Math.min(darkest, a[i * 3] + a[i * 3 + 1] + a[i * 3 + 2]);
    expect(darkest).toBeGreaterThan(0.05);
    expect(same(pushPullFill({ width: w, height: h, image: img, holes: new Uint8Array(w * h) }), img)).toBe(true);
    expect(
      pushPullFill({ width: 3, height: 1, image: new Float32Array(9).fill(0.5), holes: new Uint8Array(3).fill(1) }),
    ).toEqual(new Float32Array(9));
    expect(() => pushPullFill({ width: 4, height: 4, image: new Float32Array(3), holes: new Uint8Array(16) })).toThrow(
      /4x4/,
    );
  });
});
