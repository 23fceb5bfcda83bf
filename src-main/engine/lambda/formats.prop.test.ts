import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, checkTextScaling, inflatedText, judge, mutatedBytes, mutatedJsonText, show } from '../../test/fuzz';
import { lambdaFromCsv, lambdaFromJson, lambdaFromNpy, lambdaToCsv, lambdaToJson, lambdaToNpy } from './formats';
import { makeLambdaTable, type LambdaTable } from './table';

/** Property-based tests of the lambda table readers (issue 12): CSV, JSON and .npy, mutated and random. */
/** The limits of a table, stated here on their own (docs/limits.md), not read from the parser's code. */
const MAX_STEPS = 1000;
const MAX_FRAMES = 1000;

function accept(t: LambdaTable): void {
  expect(Number.isInteger(t.steps) && t.steps >= 1 && t.steps <= MAX_STEPS).toBe(true);
  expect(Number.isInteger(t.frames) && t.frames >= 1 && t.frames <= MAX_FRAMES).toBe(true);
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

  // Large inputs (issue 24): runs of digits, separators and repeated rows from 16 bytes to 2 MiB, each within its time per byte.
  const csvSeeds = [...tables.map(lambdaToCsv), 'frame0,frame1\r\n0.5,0.25\r\n\r\n1,0\r\n', '1,+.5,-0,1e-1,0.25E+0\n'];
  const numberParts = ['1', '9', '0', '.', 'e', 'E', '-', '+', '1e1', '0.5,', ',', '\n', ' '];

  /** A cell that is a long run of digits in some part of a number and then goes wrong: where a backtracking number pattern is slow. */
  const failingNumber = (n: number) =>
    fc
      .record({
        before: fc.constantFrom('', '0.5,', '1,0.5\n1,'),
        head: fc.constantFrom('', '+', '-', '.', '0.', '1e', '1e-'),
        digit: fc.constantFrom('1', '9', '0'),
        end: fc.constantFrom('x', '.', 'e', '-', ' 1', 'e+', '..', '1.'),
        after: fc.constantFrom('', ',0.5', '\n1,1'),
      })
      .map((c) => `${c.before}${c.head}${c.digit.repeat(n)}${c.end}${c.after}\n`);

  it('CSV: texts up to 2 MiB parse or are refused clearly, in time linear in their size', async () => {
    const counts = await checkTextScaling(
      csvSeeds,
      (text) => lambdaFromCsv(text, { name: 'l.csv' }),
      { accept },
      { make: (n) => fc.oneof(inflatedText(csvSeeds, n, numberParts), failingNumber(n)), perSize: 5 },
    );
    expect(counts.parsed).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
  });

  it('JSON: texts up to 2 MiB parse or are refused clearly, in time linear in their size', async () => {
    const counts = await checkTextScaling(
      tables.map(lambdaToJson),
      (text) => lambdaFromJson(text, { name: 'l.json' }),
      { accept },
      { perSize: 3 },
    );
    expect(counts.refused).toBeGreaterThan(0);
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
