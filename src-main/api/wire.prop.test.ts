import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, checkTextScaling, judge, mutatedJsonText, show } from '../test/fuzz';
import { boundaryEdits, expectDocWithinLimits, expectRenderWithinLimits } from '../test/statedLimits';
import { openProject } from '../engine/project/store';
import { sampleProjectDir } from '../test/tinyProject';
import { apiInputs } from './contract';
import { decodeWire, encodeWire } from './wire';

/** Property-based tests of the bridge's wire codec (issue 12): random and mutated messages, and round trips. */
const typed = fc.oneof(
  fc.uint8Array({ maxLength: 16 }),
  fc.float32Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 8 }).map((a) => Uint16Array.from(a)),
  fc.int32Array({ maxLength: 8 }),
);
const message = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    typed,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('wire codec, property-based', () => {
  it('decodes what it encodes: typed arrays of each kind, nested anywhere', () => {
    fc.assert(
      fc.property(message, (m) => {
        const back = decodeWire(encodeWire(m));
        // NaN payloads and -0 survive as bytes; compare through the encoding.
        expect(encodeWire(back)).toBe(encodeWire(m));
      }),
      { numRuns: 200 },
    );
  });

  it('every mutated or random message decodes or is refused with a clear Error', async () => {
    const seeds = [
      JSON.parse(
        encodeWire({
          type: 'call',
          id: 1,
          method: 'depth.import',
          input: { name: 'd.npy', bytes: new Uint8Array([1, 2, 3, 4]) },
        }),
      ),
      JSON.parse(
        encodeWire({
          type: 'result',
          id: 2,
          ok: true,
          value: { depth: new Float32Array([1.5, 2]), w: new Uint16Array([7]) },
        }),
      ),
      { $typed: 'Float64Array', b64: 'AAAAAAAA8D8=' },
    ];
    const refusal = (e: unknown) => e instanceof SyntaxError || (e instanceof Error && /bridge/.test(e.message));
    await checkAll(
      mutatedJsonText(seeds),
      (text) =>
        judge(
          () => decodeWire(text),
          { accept: () => undefined, refusal },
          () => show(text),
        ),
      { numRuns: 300 },
    );
  });

  it('messages up to 2 MiB decode or are refused clearly, in time linear in their size', async () => {
    const seeds = [
      encodeWire({ type: 'call', id: 1, method: 'depth.import', input: { name: 'd.npy', bytes: new Uint8Array(64) } }),
      encodeWire({ type: 'result', id: 2, ok: true, value: { depth: new Float32Array([1.5, 2]) } }),
    ];
    const refusal = (e: unknown) => e instanceof SyntaxError || (e instanceof Error && /bridge/.test(e.message));
    await checkTextScaling(
      seeds,
      (text) => decodeWire(text),
      { accept: () => undefined, refusal },
      { units: ['A', '=', '"', '{', '[', '\\', '0', ',', '{"$typed":"Uint8Array","b64":"AAAA"},'] },
    );
  });

  it('a document on the bridge with a bounded field at or past its limit is accepted only within the stated limits', async () => {
    const doc = (await openProject(sampleProjectDir())).doc;
    let accepted = 0;
    // Every bounded field at and past its limit, through each method that carries a document (and its overrides).
    for (const d of boundaryEdits([doc]).all)
      for (const method of ['render.enqueue', 'farm.submit', 'project.save'] as const) {
        const input =
          method === 'project.save'
            ? { project: '/p', doc: d }
            : { project: '/p', doc: d, overrides: { render: d.render } };
        const r = apiInputs[method].safeParse(decodeWire(encodeWire(input)));
        if (!r.success) continue;
        accepted++;
        expectDocWithinLimits(r.data.doc as unknown as Record<string, unknown>);
        const o = (r.data as { overrides?: { render?: Record<string, unknown> } }).overrides;
        if (o?.render) expectRenderWithinLimits(o.render, 'overrides.render');
      }
    // The fields at their maxima are accepted: the property is not vacuous.
    expect(accepted).toBeGreaterThan(0);
  });

  it('names a kind that is not a string readably (found by the property above: "[object Object]")', () => {
    expect(() => decodeWire('{"$typed": {}, "b64": "AQIDBA=="}')).toThrow(
      'Unknown typed array kind on the bridge: {}.',
    );
    expect(() => decodeWire('{"$typed": [1], "b64": ""}')).toThrow('Unknown typed array kind on the bridge: [1].');
  });

  it('refuses inherited names as typed-array kinds', () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'DataView', 'BigInt64Array']) {
      expect(() => decodeWire(JSON.stringify({ $typed: kind, b64: '' })), kind).toThrow(
        /Unknown typed array kind on the bridge/,
      );
    }
  });
});
