import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, checkBytesScaling, judge, mutatedBytes, show } from '../../test/fuzz';
import { NPY_MAX_ELEMENTS, npyHeader, readNpy, writeNpy, type NpyArray, type NpyDtype } from './npy';

/** Property-based tests of the .npy reader (issue 12): mutated valid files and random bytes. */
function withData(dtype: NpyDtype, shape: number[], headerVersion: 1 | 2 = 1): Uint8Array {
  let head = npyHeader(dtype, shape);
  if (headerVersion === 2) {
    // Version 2.0: a 4-byte header length.
    const body = head.subarray(10);
    head = new Uint8Array([
      ...head.subarray(0, 6),
      2,
      0,
      ...new Uint8Array(new Uint32Array([body.length]).buffer),
      ...body,
    ]);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(count * Number(dtype[2]));
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) & 0xff;
  return Uint8Array.from([...head, ...data]);
}

const SEEDS = [
  writeNpy(Float32Array.from([0, 0.5, 1, 2, 3, 4]), [2, 3]),
  writeNpy(Float64Array.from([1, 2, 3, 4]), [1, 4]),
  writeNpy(Float32Array.from([7]), []),
  withData('<f2', [3, 2]),
  withData('>f4', [2, 2, 1]),
  withData('>f8', [2], 2),
];

function accept(a: NpyArray): void {
  expect(['<f2', '>f2', '<f4', '>f4', '<f8', '>f8']).toContain(a.dtype);
  for (const d of a.shape) expect(Number.isInteger(d) && d >= 0).toBe(true);
  const count = a.shape.reduce((x, y) => x * y, 1);
  expect(count).toBeLessThanOrEqual(NPY_MAX_ELEMENTS);
  expect(a.data.length).toBe(count);
  expect(a.littleEndian).toBe(a.dtype[0] === '<');
}

describe('.npy reader, property-based', () => {
  it('parses or refuses every mutated or random file clearly, each within a second', async () => {
    await checkAll(mutatedBytes(SEEDS), (bytes) =>
      judge(
        () => readNpy(bytes, 'x.npy'),
        { accept },
        () => show(bytes),
      ),
    );
  });

  it('files up to 2 MiB (long headers, long shapes, long data) parse or are refused clearly, in time linear in their size', async () => {
    await checkBytesScaling(SEEDS, (bytes) => readNpy(bytes, 'x.npy'), { accept }, [
      '1',
      '9',
      ',',
      ' ',
      '(',
      ')',
      "'",
      ':',
      '1, ',
      '\n',
      '\u0000',
      '\u00ff',
    ]);
  });

  it('parses or refuses headers with any shape text', async () => {
    const dims = fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.nat({ max: 5 }) },
        { weight: 1, arbitrary: fc.constantFrom(0, 1e11, 2 ** 32, 2 ** 53, 1e20) },
      ),
      { maxLength: 70 },
    );
    const arb = fc
      .tuple(
        dims,
        fc.option(fc.string({ maxLength: 20 }), { freq: 5 }),
        fc.constantFrom('<f4', '<f4', '>f8', '<f2', '|u1', '<i8', "'"),
        fc.option(fc.nat({ max: 64 }), { freq: 2 }),
      )
      .map(([d, text, descr, extra]) => {
        const shape = text ?? `(${d.join(', ')},)`;
        const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`;
        const head = new TextEncoder().encode(dict);
        // Mostly exactly the bytes the shape needs (when that is small), otherwise a few random ones.
        const exact = d.reduce((a, b) => a * b, 1) * (Number(descr[2]) || 1);
        const dataLen = extra ?? (exact <= 4096 ? exact : 8);
        return Uint8Array.from([
          0x93,
          0x4e,
          0x55,
          0x4d,
          0x50,
          0x59,
          1,
          0,
          head.length & 0xff,
          head.length >> 8,
          ...head,
          ...new Uint8Array(dataLen),
        ]);
      });
    await checkAll(
      arb,
      (bytes) =>
        judge(
          () => readNpy(bytes, 'x.npy'),
          { accept },
          () => show(bytes),
        ),
      { numRuns: 300 },
    );
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 4 }), { maxLength: 3 }), fc.boolean(), (shape, f64) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = f64
          ? Float64Array.from({ length: n }, (_, i) => i / 3)
          : Float32Array.from({ length: n }, (_, i) => i / 3);
        const back = readNpy(writeNpy(data, shape));
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      }),
      { numRuns: 100 },
    );
  });
});
