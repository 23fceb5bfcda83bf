import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../models/float16';
import { Float16Feed } from './float16Feed';

/** What the kernel must give for value v scaled by s: float32 product, then the scalar reference. */
const expected = (v: number, s: number) => float32ToFloat16Bits(Math.fround(Math.fround(s) * v));

describe('Float16Feed (WebAssembly SIMD kernel)', () => {
  it('matches float32ToFloat16Bits on every half, its neighbours and the ties between them', () => {
    // Each half's float32 value and the float32s just around its rounding boundaries, both signs:
    // normals, subnormals, zero, the overflow edge (65520 rounds to Infinity), Infinity and NaN.
    const bits = new Uint32Array(65536 * 4);
    for (let h = 0; h < 65536; h++) {
      const b = new Uint32Array(new Float32Array([float16BitsToFloat32(h)]).buffer)[0];
      bits.set([b, b + 0xfff, b + 0x1000, b + 0x1001], 4 * h);
    }
    const src = new Float32Array(bits.buffer);
    const feed = new Float16Feed(src.length, 10_000);
    feed.writeScaled(src, 1, 0);
    const wrong: number[] = [];
    for (let i = 0; i < src.length; i++) if (feed.data[i] !== expected(src[i], 1)) wrong.push(i);
    expect(wrong.slice(0, 10)).toEqual([]);
    // NaN stays NaN whatever its payload (0x7e00 with the sign).
    expect(feed.data[4 * 0x7e01] & 0x7fff).toBe(0x7e00);
  });

  it('scales in float32 and writes exactly the asked range, through several chunks and a ragged tail', () => {
    const src = new Float32Array(3 * 1000 + 123 + 17);
    for (let i = 0; i < src.length; i++) src[i] = ((Math.sin(i * 78.233) * 43758.5453) % 1) * 2 ** ((i % 50) - 25);
    src.set([0, -0, 1e9, -1e9, 2 ** -30, NaN, Infinity], 5);
    const scale = 1 / Math.sqrt(700 ** 2 + 1); // c_in at a high sigma: rounds in float32
    const start = 17;
    const count = src.length - start;
    const feed = new Float16Feed(count + 9, 1000);
    feed.data.fill(0xabcd);
    feed.writeScaled(src, scale, 5, start, count);
    expect(feed.data.subarray(0, 5)).toEqual(new Uint16Array(5).fill(0xabcd));
    expect(feed.data.subarray(5 + count)).toEqual(new Uint16Array(4).fill(0xabcd));
    const wrong: number[] = [];
    for (let i = 0; i < count; i++) {
      const want = expected(src[start + i], scale);
      const got = feed.data[5 + i];
      if (got !== want && !(Number.isNaN(src[start + i]) && (got & 0x7fff) === 0x7e00)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(() => feed.writeScaled(src, 1, feed.data.length - 2, 0, 3)).toThrow(/do not fit/);
  });

  it('keeps one feed per instance: two feeds do not share memory', () => {
    const a = new Float16Feed(64, 64);
    const b = new Float16Feed(64, 64);
    a.writeScaled(new Float32Array(64).fill(1), 1, 0);
    b.writeScaled(new Float32Array(64).fill(2), 1, 0);
    expect(a.data[0]).toBe(0x3c00);
    expect(b.data[0]).toBe(0x4000);
  });
});
