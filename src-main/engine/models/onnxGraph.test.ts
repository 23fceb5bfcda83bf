import { tempDir } from '../../test/tmp';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromFloat16, toFloat16, float32ToFloat16Bits, float16BitsToFloat32 } from './float16';
import { OnnxGraph, attr } from './onnxGraph';

describe('float16 conversion', () => {
  it('matches known bit patterns and rounds to nearest even', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(70000)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie: rounds to even (down)
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: rounds to even (up)
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16BitsToFloat32(0x3555)).toBeCloseTo(0.33325, 5);
  });

  it('round-trips every finite half value exactly', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      if (float32ToFloat16Bits(float16BitsToFloat32(h)) !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('converts arrays exactly as the scalar conversion does, in every range', () => {
    const src = new Float32Array(200_000);
    for (let i = 0; i < src.length; i++) src[i] = ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 2 ** ((i % 60) - 30);
    src.set([0, -0, 65504, 65520, -70000, 2 ** -25, 2 ** -24 * 1.5, Infinity, -Infinity], 0);
    const bulk = toFloat16(src);
    const wrong: number[] = [];
    for (let i = 0; i < src.length; i++) if (bulk[i] !== float32ToFloat16Bits(src[i])) wrong.push(i);
    expect(wrong).toEqual([]);
    const back = fromFloat16(bulk);
    for (let i = 0; i < 20_000; i++) expect(back[i]).toBe(float16BitsToFloat32(bulk[i]));
  });

  it('rounds ties to even exactly as the scalar conversion, at every half value of both signs', () => {
    // For each half h: its float32, the value just below the midpoint to h+1, the midpoint (a tie)
    // and just above it, as float32 bit patterns.
    const bits = new Uint32Array(4 * 0x10000);
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      const f = new Float32Array([float16BitsToFloat32(h)]);
      const b = new Uint32Array(f.buffer)[0];
      bits.set([b, b + 0xfff, b + 0x1000, b + 0x1001], 4 * h);
    }
    const src = new Float32Array(bits.buffer);
    const bulk = toFloat16(src);
    const wrong: number[] = [];
    for (let i = 0; i < src.length; i++)
      if (!Number.isNaN(src[i]) && bulk[i] !== float32ToFloat16Bits(src[i])) wrong.push(i);
    expect(wrong).toEqual([]);
  });

  it('converts arrays both ways within half precision', () => {
    const src = Float32Array.from([0.1, -3.7, 1234.5, 1e-5]);
    const back = fromFloat16(toFloat16(src));
    for (let i = 0; i < src.length; i++)
      expect(Math.abs(back[i] - src[i])).toBeLessThanOrEqual(Math.max(Math.abs(src[i]) * 2 ** -11, 2 ** -25));
  });
});

describe('OnnxGraph', () => {
  it('builds a model onnxruntime loads and runs, with symbolic dims and typed attributes', async () => {
    const g = new OnnxGraph('test');
    const x = g.input('x', 'float32', ['N', 2, 4, 4]);
    const w = g.constant('w', 'float32', [3, 2, 1, 1], [1, 0, 0, 1, 1, 1]);
    const b = g.constant('b', 'float32', [3], [0.5, -0.5, 0]);
    const pooled = g.op('AveragePool', [x], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
    const y = g.op('Conv', [pooled, w, b], {}, 'y');
    g.output(y, 'float32', ['N', 3, 2, 2]);
    const session = await ort.InferenceSession.create(g.serialize().model);
    try {
      expect(session.inputNames).toEqual(['x']);
      const meta = session.inputMetadata[0];
      expect(meta.isTensor && meta.shape).toEqual(['N', 2, 4, 4]);
      const data = new Float32Array(32).map((_, i) => i);
      const out = (await session.run({ x: new ort.Tensor('float32', data, [1, 2, 4, 4]) })).y;
      expect(out.dims).toEqual([1, 3, 2, 2]);
      // channel 0 block (0,0): mean of 0,1,4,5 = 2.5; channel 1 block (0,0): 16 + 2.5
      const o = out.data as Float32Array;
      expect(o[0]).toBeCloseTo(3, 6);
      expect(o[4]).toBeCloseTo(18.5 - 0.5, 6);
      expect(o[8]).toBeCloseTo(2.5 + 18.5, 6);
    } finally {
      await session.release();
    }
  });

  it('writes float16 and int64 initializers and float16 I/O', async () => {
    const g = new OnnxGraph('half');
    const x = g.input('x', 'float16', [3]);
    const n = g.input('n', 'int64', []);
    const k = g.constant('k', 'float16', [3], [0.5, 2, -1]);
    const shape = g.constant('shape', 'int64', [1], [3]);
    const prod = g.op('Mul', [x, k]);
    const nf = g.op('Cast', [n], { to: attr.int(10) });
    const sum = g.op('Add', [prod, nf]);
    g.output(g.op('Reshape', [sum, shape], {}, 'y'), 'float16', [3]);
    const session = await ort.InferenceSession.create(g.serialize().model);
    const out = await session.run({
      x: new ort.Tensor('float16', toFloat16([2, 3, 4]), [3]),
      n: new ort.Tensor('int64', BigInt64Array.from([10n]), []),
    });
    expect(out.y.type).toBe('float16');
    expect(Array.from(fromFloat16(out.y.data as Uint16Array))).toEqual([11, 16, 6]);
    await session.release();
  });

  it('stores initializers as external data that onnxruntime loads from the model folder', async () => {
    const dir = tempDir('onnxgraph-');
    const g = new OnnxGraph('ext');
    const x = g.input('x', 'float32', [4]);
    const w = g.constant('w', 'float32', [4], [1, 2, 3, 4], { external: true });
    const v = g.constant('v', 'float32', [4], [10, 20, 30, 40], { external: true });
    g.output(g.op('Add', [g.op('Mul', [x, w]), v], {}, 'y'), 'float32', [4]);
    const { model, externalData } = g.serialize({ externalDataFile: 'ext.onnx.data' });
    expect(externalData?.bytes.length).toBe(4096 + 16);
    writeFileSync(join(dir, 'ext.onnx'), model);
    writeFileSync(join(dir, 'ext.onnx.data'), externalData!.bytes);
    const session = await ort.InferenceSession.create(join(dir, 'ext.onnx'));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 2, 2]), [4]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([11, 22, 36, 48]);
    await session.release();
  });

  it('refuses unknown inputs, duplicate names and wrong data lengths', () => {
    const g = new OnnxGraph('bad');
    g.input('x', 'float32', [2]);
    expect(() => g.op('Relu', ['nope'])).toThrow(/unknown input nope/);
    expect(() => g.input('x', 'float32', [2])).toThrow(/used twice/);
    expect(() => g.constant('c', 'float32', [2, 2], [1, 2, 3])).toThrow(/3 values/);
  });
});
