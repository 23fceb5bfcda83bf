import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, judge, mutatedBytes, mutatedJsonText, show } from '../../test/fuzz';
import { lambdaFromCsv, lambdaFromJson, lambdaFromNpy, lambdaToCsv, lambdaToJson, lambdaToNpy } from './formats';
import { makeLambdaTable, type LambdaTable } from './table';

/** Property-based tests of the lambda table readers (issue 12): CSV, JSON and .npy, mutated and random. */
function accept(t: LambdaTable): void {
  expect(Number.isInteger(t.steps) && t.steps >= 1).toBe(true);
  expect(Number.isInteger(t.frames) && t.frames >= 1).toBe(true);
  expect(t.data.length).toBe(t.steps * t.frames);
  for (const v of t.data) expect(v >= 0 && v <= 1).toBe(true);
}

const tables = [
  makeLambdaTable(2, 3, [0, 0.25, 0.5, 1, 0.75, 0.125]),
  makeLambdaTable(1, 2, [1, 0]),
  makeLambdaTable(3, 1, [0.1, 0.2, 0.3]),
];
// Finite cells (a table holds no others), a few of them just outside [0, 1].
const cell = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-0, 1e-320, 1.0000001, -1e-9, 2));

describe('lambda readers, property-based', () => {
  it('CSV: parses or refuses every mutated or random text clearly', async () => {
    const seeds = tables.map((t) => new TextEncoder().encode(lambdaToCsv(t)));
    seeds.push(new TextEncoder().encode('frame0,frame1\r\n0.5,0.25\r\n\r\n1,0\r\n'));
    const dec = new TextDecoder();
    await checkAll(mutatedBytes(seeds), (bytes) =>
      judge(
        () => lambdaFromCsv(dec.decode(bytes), { name: 'l.csv' }),
        { accept },
        () => show(dec.decode(bytes)),
      ),
    );
  });

  it('JSON: parses or refuses every mutated or random document clearly', async () => {
    const seeds = [
      ...tables.map((t) => JSON.parse(lambdaToJson(t)) as unknown),
      [[0.5, 0.5]],
      { lambda: [[1]], steps: 1 },
    ];
    await checkAll(mutatedJsonText(seeds), (text) =>
      judge(
        () => lambdaFromJson(text, { name: 'l.json', expected: undefined }),
        { accept },
        () => show(text),
      ),
    );
  });

  it('.npy: parses or refuses every mutated or random file clearly', async () => {
    await checkAll(mutatedBytes(tables.map(lambdaToNpy)), (bytes) =>
      judge(
        () => lambdaFromNpy(bytes, { name: 'l.npy' }),
        { accept },
        () => show(bytes),
      ),
    );
  });

  it('reads back every table it writes, in each format, or refuses values outside [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(cell, { minLength: 16, maxLength: 16 }),
        (steps, frames, cells) => {
          const t = makeLambdaTable(steps, frames, cells.slice(0, steps * frames));
          const valid = Array.from(t.data).every((v) => v >= 0 && v <= 1);
          for (const [write, read] of [
            [lambdaToCsv, lambdaFromCsv],
            [lambdaToJson, lambdaFromJson],
            [lambdaToNpy, lambdaFromNpy],
          ] as const) {
            const file = (write as (t: LambdaTable) => never)(t);
            // -0 is written as 0 by CSV and JSON: compared as numbers.
            if (valid)
              expect(Array.from((read as (f: unknown) => LambdaTable)(file).data, (v) => v + 0)).toEqual(
                Array.from(t.data, (v) => v + 0),
              );
            else expect(() => (read as (f: unknown) => LambdaTable)(file)).toThrow(/lambda|value|number|JSON/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
