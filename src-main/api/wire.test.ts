import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from './wire';
import { parseCall } from './contract';

describe('WebSocket wire encoding', () => {
  it('round-trips typed arrays exactly, including NaN and odd byte offsets', () => {
    const f32 = new Float32Array([1.5, Number.NaN, -0, 3.4e38, Number.POSITIVE_INFINITY]);
    const backing = new Uint8Array([9, 1, 2, 3, 4, 5]);
    const view = backing.subarray(1, 5);
    const msg = { a: f32, b: { c: view, d: [new Float64Array([Math.PI])] }, s: 'text' };
    const back = decodeWire(encodeWire(msg)) as typeof msg;
    expect(Array.from(back.a)).toEqual(Array.from(f32));
    expect(Object.is(back.a[2], -0)).toBe(true);
    expect(back.a).toBeInstanceOf(Float32Array);
    expect(Array.from(back.b.c)).toEqual([1, 2, 3, 4]);
    expect(back.b.d[0][0]).toBe(Math.PI);
    expect(back.s).toBe('text');
  });

  it('carries a 3 MB image', () => {
    const big = new Uint8Array(3_000_000).map((_, i) => (i * 31) & 255);
    const back = decodeWire(encodeWire({ big })) as { big: Uint8Array };
    expect(back.big.length).toBe(big.length);
    expect(back.big[2_999_999]).toBe(big[2_999_999]);
  });
});

describe('wire codec refusals (issue 12, item 10)', () => {
  it('looks $typed up among its own kinds only: "constructor", "__proto__", "toString" are refused', () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(() => decodeWire(JSON.stringify({ x: { $typed: kind, b64: '' } }))).toThrow(/Unknown typed array kind/);
  });
  it('refuses a typed array whose bytes are not whole elements, or whose b64 is not text', () => {
    expect(() => decodeWire(JSON.stringify({ x: { $typed: 'Float32Array', b64: 'AAAA' } }))).toThrow(
      /not a whole number of elements/,
    );
    expect(() => decodeWire(JSON.stringify({ x: { $typed: 'Uint8Array', b64: 5 } }))).toThrow(/no base64 text/);
  });
});

describe('API call validation', () => {
  it('accepts a well-formed call', () => {
    expect(parseCall('lambda.default', { steps: 25, frames: 14 }).method).toBe('lambda.default');
  });
  it('names an unknown method', () => {
    expect(() => parseCall('fs.readAnything', {})).toThrow(/Unknown API method: fs.readAnything/);
    expect(() => parseCall('__proto__', {})).toThrow(/Unknown API method/);
  });
  it('names the field of an invalid input', () => {
    expect(() => parseCall('lambda.default', { steps: 0, frames: 14 })).toThrow(
      /Invalid input for lambda.default: steps/,
    );
    expect(() => parseCall('image.import', { project: '/p', name: 'x.png', bytes: 'not bytes' })).toThrow(/bytes/);
  });
});
