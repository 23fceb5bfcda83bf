import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { decodeFloat16 } from './float16';
import { readNpy, writeNpy } from './npy';

// Fixtures were written once by the real numpy (testdata/make_fixtures.py) and are committed.
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const load = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));

const VALUES = [1.5, -2.25, 0.1, 65504.0, -0, 3.0];
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));
// numpy's own float64 decoding of the float16 fixture values (printed by make_fixtures.py).
const F16_DECODED = [
  5.960464477539063e-8,
  -5.960464477539063e-8,
  6.103515625e-5,
  6.097555160522461e-5,
  65504.0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  0.333251953125,
];

function refusal(f: () => unknown): CamtrackError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
}

describe('readNpy on files written by numpy', () => {
  it('reads version 1.0 little-endian float32', () => {
    const a = readNpy(load('f4_le_v1.npy'));
    expect(a.dtype).toBe('<f4');
    expect(a.shape).toEqual([2, 3]);
    expect(a.littleEndian).toBe(true);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual(f32(VALUES));
    expect(Object.is(a.data[4], -0)).toBe(true);
  });

  it('reads version 1.0 big-endian float32', () => {
    const a = readNpy(load('f4_be_v1.npy'));
    expect(a.dtype).toBe('>f4');
    expect(a.littleEndian).toBe(false);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(f32(VALUES));
  });

  it('reads version 2.0 float64 in both byte orders', () => {
    const le = readNpy(load('f8_le_v2.npy'));
    const be = readNpy(load('f8_be_v2.npy'));
    expect(le.data).toBeInstanceOf(Float64Array);
    expect([le.dtype, be.dtype]).toEqual(['<f8', '>f8']);
    expect(le.shape).toEqual([2, 3]);
    expect(be.shape).toEqual([3, 2]);
    expect(Array.from(le.data)).toEqual(VALUES);
    expect(Array.from(be.data)).toEqual(VALUES);
    expect(le.data[2]).toBe(0.1); // float64 kept exactly, not narrowed
  });

  it('reads version 3.0 (utf-8 header)', () => {
    const a = readNpy(load('f4_le_v3.npy'));
    expect(a.shape).toEqual([6]);
    expect(Array.from(a.data)).toEqual(f32(VALUES));
  });

  it('decodes float16 exactly, subnormals, infinities and NaN included, in both byte orders', () => {
    const le = readNpy(load('f2_le_v1.npy'));
    const be = readNpy(load('f2_be_v2.npy'));
    expect(le.data).toBeInstanceOf(Float32Array);
    expect(le.shape).toEqual([10]);
    expect(be.shape).toEqual([2, 5]);
    for (const a of [le, be]) {
      const got = Array.from(a.data);
      F16_DECODED.forEach((v, i) => expect(Object.is(got[i], v), `value ${i}: ${got[i]} vs ${v}`).toBe(true));
    }
  });

  it('reads a 0-d array as one value with shape []', () => {
    const a = readNpy(load('f8_scalar.npy'));
    expect(a.shape).toEqual([]);
    expect(Array.from(a.data)).toEqual([2.5]);
  });

  it('decodeFloat16 by hand: 1, -2, max, smallest normal, largest subnormal', () => {
    expect(decodeFloat16(0x3c00)).toBe(1);
    expect(decodeFloat16(0xc000)).toBe(-2);
    expect(decodeFloat16(0x7bff)).toBe(65504);
    expect(decodeFloat16(0x0400)).toBe(2 ** -14);
    expect(decodeFloat16(0x03ff)).toBe(1023 * 2 ** -24);
    expect(decodeFloat16(0x7c01)).toBeNaN();
  });
});

describe('readNpy refusals', () => {
  it('refuses Fortran order, naming it', () => {
    const e = refusal(() => readNpy(load('fortran_f4.npy'), 'f.npy'));
    expect(e.code).toBe('bad-file');
    expect(e.message).toMatch(/Fortran/);
  });

  it('refuses other dtypes, naming the dtype', () => {
    const e = refusal(() => readNpy(load('i4.npy'), 'ints.npy'));
    expect(e.message).toMatch(/'<i4'/);
    expect(e.message).toMatch(/ints\.npy/);
  });

  it('refuses a truncated file: in the data, in the header, in the prefix', () => {
    const bytes = load('f8_le_v2.npy');
    expect(refusal(() => readNpy(bytes.subarray(0, bytes.length - 1))).message).toMatch(
      /truncated: shape \(2, 3\) of <f8 needs 48 bytes of data, the file has 47/,
    );
    expect(refusal(() => readNpy(bytes.subarray(0, 40))).message).toMatch(/truncated/);
    expect(refusal(() => readNpy(bytes.subarray(0, 9))).message).toMatch(/truncated/);
    expect(refusal(() => readNpy(bytes.subarray(0, 3))).message).toMatch(/only 3 bytes/);
  });

  it('refuses data longer than the shape', () => {
    const bytes = load('f4_le_v1.npy');
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(refusal(() => readNpy(longer)).message).toMatch(/does not fit its shape.*needs 24 bytes.*has 28/);
  });

  it('refuses a bad magic and an unknown version', () => {
    const bytes = load('f4_le_v1.npy').slice();
    bytes[1] = 0x58;
    expect(refusal(() => readNpy(bytes)).message).toMatch(/magic/);
    const v9 = load('f4_le_v1.npy').slice();
    v9[6] = 9;
    expect(refusal(() => readNpy(v9)).message).toMatch(/version 9\.0/);
  });

  it('refuses a header that is not a dict', () => {
    const bytes = load('f4_le_v1.npy').slice();
    bytes[10] = 0x5b; // '[' instead of '{'
    expect(refusal(() => readNpy(bytes)).message).toMatch(/not a Python dict/);
  });
});

describe('writeNpy', () => {
  it('writes exactly the bytes numpy.save writes (float32, 1-D)', () => {
    const data = Float32Array.from([700.0, 545.72925, 0.25, 0.002, 0.0]);
    expect(writeNpy(data, [5])).toEqual(load('save_f4_5.npy'));
  });

  it('writes exactly the bytes numpy.save writes (float64, 2-D and empty)', () => {
    expect(writeNpy(Float64Array.from(VALUES), [2, 3])).toEqual(load('save_f8_2x3.npy'));
    expect(writeNpy(new Float64Array(0), [0, 3])).toEqual(load('save_f8_0x3.npy'));
  });

  it('aligns the data to 64 bytes for every shape length and round-trips', () => {
    for (const shape of [[7], [3, 4], [1, 2, 3], [123456789, 0]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float64Array.from({ length: n }, (_, i) => i / 3);
      const bytes = writeNpy(data, shape);
      expect((bytes.length - data.byteLength) % 64).toBe(0);
      const back = readNpy(bytes);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('refuses values that do not fit the shape', () => {
    expect(refusal(() => writeNpy(new Float32Array(5), [2, 3])).code).toBe('shape-mismatch');
  });
});
