import { tempDir } from '../../test/tmp';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../npy/npy';
import { sigmasForSteps } from '../schedule/sigmas';
import { CamtrackError } from '../util/errors';
import { lambdaDocFromTable, lambdaTableFromDoc } from './doc';
import { readLambdaFile, writeLambdaFile } from './file';
import {
  lambdaFormatOf,
  lambdaFromCsv,
  lambdaFromJson,
  lambdaFromNpy,
  lambdaToCsv,
  lambdaToJson,
  lambdaToNpy,
} from './formats';
import { defaultLambda } from './search';
import { clampLambda, constantLambda, lambdaSummary, rampLambda } from './summary';
import { assertLambdaShape, makeLambdaTable } from './table';

function refusal(f: () => unknown): CamtrackError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CamtrackError);
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
}

const table = defaultLambda(sigmasForSteps(10), 6).table;

describe('round trips', () => {
  it('npy, csv and json give back the exact values and shape', () => {
    for (const back of [
      lambdaFromNpy(lambdaToNpy(table)),
      lambdaFromCsv(lambdaToCsv(table)),
      lambdaFromJson(lambdaToJson(table)),
    ]) {
      expect([back.steps, back.frames]).toEqual([10, 6]);
      expect(Array.from(back.data)).toEqual(Array.from(table.data));
    }
  });

  it('writes the documented layouts', () => {
    const small = makeLambdaTable(2, 3, [1, 0.25, 0.5, 1, 0.125, 0.75]);
    expect(lambdaToCsv(small)).toBe('1,0.25,0.5\n1,0.125,0.75\n');
    expect(JSON.parse(lambdaToJson(small))).toEqual({
      steps: 2,
      frames: 3,
      lambda: [
        [1, 0.25, 0.5],
        [1, 0.125, 0.75],
      ],
    });
    expect(lambdaToNpy(small)).toEqual(writeNpy(Float64Array.from([1, 0.25, 0.5, 1, 0.125, 0.75]), [2, 3]));
  });

  it('reads a float32 .npy, a bare JSON array, CRLF CSV with a header line and blank lines', () => {
    const f32 = lambdaFromNpy(writeNpy(Float32Array.from([1, 0.5, 1, 0.25]), [2, 2]));
    expect(Array.from(f32.data)).toEqual([1, 0.5, 1, 0.25]);
    expect(Array.from(lambdaFromJson('[[1, 0.5], [1, 0.25]]').data)).toEqual([1, 0.5, 1, 0.25]);
    const csv = lambdaFromCsv('frame0, frame1\r\n1, 0.5\r\n\r\n1, 2.5e-1\r\n');
    expect([csv.steps, csv.frames]).toEqual([2, 2]);
    expect(Array.from(csv.data)).toEqual([1, 0.5, 1, 0.25]);
  });
});

describe('refusals, each naming the problem', () => {
  it('wrong shape against the expected one', () => {
    const expected = { steps: 25, frames: 25 };
    for (const f of [
      () => lambdaFromNpy(lambdaToNpy(table), { expected }),
      () => lambdaFromCsv(lambdaToCsv(table), { expected }),
      () => lambdaFromJson(lambdaToJson(table), { expected }),
    ]) {
      const e = refusal(f);
      expect(e.code).toBe('shape-mismatch');
      expect(e.message).toMatch(/10 steps x 6 frames, but this project needs 25 steps x 25 frames/);
    }
  });

  it('an npy that is not 2-D', () => {
    expect(refusal(() => lambdaFromNpy(writeNpy(new Float64Array(6), [6]))).message).toMatch(
      /2-D array \[steps, frames\]; its shape is \(6\)/,
    );
    expect(refusal(() => lambdaFromNpy(writeNpy(new Float64Array(8), [2, 2, 2]))).message).toMatch(/\(2, 2, 2\)/);
  });

  it('ragged rows', () => {
    expect(refusal(() => lambdaFromCsv('1,0.5,0.5\n1,0.5\n')).message).toMatch(/step 1 has 2 values, but step 0 has 3/);
    expect(refusal(() => lambdaFromJson('[[1, 0.5], [1]]')).message).toMatch(/step 1 has 1 values, but step 0 has 2/);
  });

  it('NaN and other non-finite values', () => {
    expect(refusal(() => lambdaFromNpy(writeNpy(Float64Array.from([1, NaN, 1, 0.5]), [2, 2]))).message).toMatch(
      /step 0, frame 1 is NaN/,
    );
    expect(refusal(() => lambdaFromCsv('1,0.5\n1,NaN\n')).message).toMatch(/line 2, column 2 is "NaN", not a number/);
    expect(refusal(() => lambdaFromCsv('1,0.5\n1,Infinity\n')).message).toMatch(/line 2, column 2/);
  });

  it('non-numeric and empty cells, with line and column', () => {
    expect(refusal(() => lambdaFromCsv('1,0.5\n1,abc\n')).message).toMatch(/line 2, column 2 is "abc", not a number/);
    expect(refusal(() => lambdaFromCsv('1,0.5\n1,\n')).message).toMatch(/line 2, column 2 is empty/);
    // A header is only a first line in which no cell is a number.
    expect(refusal(() => lambdaFromCsv('step,0.5\n1,0.5\n')).message).toMatch(/line 1, column 1 is "step"/);
    expect(refusal(() => lambdaFromJson('[[1, "0.5"]]')).message).toMatch(/step 0, frame 1 is "0.5", not a number/);
  });

  it('values outside [0, 1]', () => {
    expect(refusal(() => lambdaFromJson('[[1, 1.5]]')).message).toMatch(
      /step 0, frame 1 is 1.5; lambda values must lie in \[0, 1\]/,
    );
    expect(refusal(() => lambdaFromCsv('1,-0.1\n')).message).toMatch(/step 0, frame 1 is -0.1/);
  });

  it('JSON that is not a table, or declares another shape', () => {
    expect(refusal(() => lambdaFromJson('{"steps": 1')).message).toMatch(/not valid JSON/);
    expect(refusal(() => lambdaFromJson('{"steps": 1, "frames": 2}')).message).toMatch(/no "lambda" field/);
    expect(refusal(() => lambdaFromJson('{"lambda": 3}')).message).toMatch(/array of rows/);
    expect(refusal(() => lambdaFromJson('[1, 0.5]')).message).toMatch(/step 0 is not an array/);
    expect(refusal(() => lambdaFromJson('{"steps": 3, "frames": 2, "lambda": [[1, 0.5]]}')).message).toMatch(
      /declares steps = 3 but its table has 1 steps/,
    );
    expect(refusal(() => lambdaFromJson('[]')).message).toMatch(/no lambda values/);
  });

  it('a long cell, a huge file and a table past the limits are refused by size, before any number is read (issue 24, item 6)', () => {
    // 80,000 digits and a letter: the old number pattern backtracked over every split of the digits (8.9 s).
    const cell = `${'1'.repeat(80_000)}x`;
    expect(refusal(() => lambdaFromCsv(`1,0.5\n1,${cell}\n`)).message).toBe(
      'The lambda CSV: line 2, column 2 is 80001 characters long; a lambda value is at most 64.',
    );
    const big = `${'0.5,'.repeat(999)}0.5\n`.repeat(9000);
    expect(refusal(() => lambdaFromCsv(big, { name: 'l.csv' })).message).toMatch(
      /^l\.csv is 34\.3 MiB; a lambda table file may be at most 32 MiB/,
    );
    expect(refusal(() => lambdaFromJson(`[[${'0,'.repeat(1000)}0]]`)).message).toMatch(
      /is 1 steps x 1001 frames; a lambda table has at most 1000 steps and 1000 frames/,
    );
    expect(refusal(() => lambdaFromCsv('0\n'.repeat(1001))).message).toMatch(
      /1001 rows; a lambda table has at most 1000 steps/,
    );
    // Every form of number the writer and people use still reads.
    expect(Array.from(lambdaFromCsv('+.5,1.,1e-1,-0,0.25E+0,1\n').data)).toEqual([0.5, 1, 0.1, -0, 0.25, 1]);
    for (const bad of ['.', '+', '1e', '1e+', '--1', '1.2.3', '0x1', ' 1 1'])
      expect(refusal(() => lambdaFromCsv(`0.5,${bad}\n`)).message).toMatch(/line 1, column 2 is .*not a number/);
  });

  it('an unknown extension', () => {
    expect(lambdaFormatOf('a/b/table.CSV')).toBe('csv');
    expect(refusal(() => lambdaFormatOf('table.txt')).message).toMatch(/\.npy, \.csv or \.json/);
  });
});

describe('files by extension', () => {
  const dir = tempDir('camtrack-lambda-');
  it('writes and reads back .npy, .csv and .json', async () => {
    for (const ext of ['npy', 'csv', 'json']) {
      const file = path.join(dir, `t.${ext}`);
      await writeLambdaFile(file, table);
      const back = await readLambdaFile(file, { steps: 10, frames: 6 });
      expect(Array.from(back.data)).toEqual(Array.from(table.data));
    }
    expect(readFileSync(path.join(dir, 't.csv'), 'utf8').split('\n')[0].split(',')[0]).toBe('1');
  });
  it('names the file in refusals', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, '1,x\n');
    await expect(readLambdaFile(file)).rejects.toThrow(/bad\.csv: line 1, column 2 is "x"/);
    await expect(readLambdaFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('LambdaDoc conversion', () => {
  it('round-trips a table through the project document', () => {
    const doc = lambdaDocFromTable(table, 0.3, { kind: 'default', v1: 0.001, v2: 1000, v3: 10 });
    expect(doc.values.length).toBe(60);
    const back = lambdaTableFromDoc(doc, { steps: 10, frames: 6 });
    expect(Array.from(back.data)).toEqual(Array.from(table.data));
  });
  it('refuses a document whose values do not fit, or whose shape is not the render', () => {
    const doc = lambdaDocFromTable(table, 0.3, { kind: 'custom' });
    expect(refusal(() => lambdaTableFromDoc({ ...doc, values: doc.values.slice(1) })).message).toMatch(
      /does not have steps x frames values/,
    );
    const e = refusal(() => lambdaTableFromDoc(doc, { steps: 25, frames: 6 }));
    expect(e.code).toBe('shape-mismatch');
    expect(e.message).toMatch(/10 steps x 6 frames, but the render has 25 steps x 6 frames/);
    expect(refusal(() => lambdaDocFromTable(table, 1.5, { kind: 'custom' })).message).toMatch(/lambdaMin/);
  });
  it('assertLambdaShape still guards the sampler', () => {
    expect(() => assertLambdaShape(table, 10, 7, 'sampler')).toThrow(
      /sampler: the lambda table is 10 steps x 6 frames/,
    );
  });
});

describe('editor helpers', () => {
  it('summarises the guided frames, clamps to lambdaMin, builds constants and ramps', () => {
    const t = makeLambdaTable(2, 3, [1, 0.1, 0.6, 1, 0.3, 0.8]);
    const s = lambdaSummary(t);
    expect(s.min).toBe(0.1);
    expect(s.max).toBe(0.8);
    expect(s.mean).toBeCloseTo(0.45, 15);
    expect(Array.from(clampLambda(t, 0.4).data)).toEqual([1, 0.4, 0.6, 1, 0.4, 0.8]);
    expect(Array.from(constantLambda(2, 3, 0.7).data)).toEqual([1, 0.7, 0.7, 1, 0.7, 0.7]);
    expect(Array.from(rampLambda(3, 2, 'steps', 1, 0).data)).toEqual([1, 1, 1, 0.5, 1, 0]);
    expect(Array.from(rampLambda(1, 4, 'frames', 0, 1).data)).toEqual([1, 0, 0.5, 1]);
    expect(() => constantLambda(2, 3, 2)).toThrow(CamtrackError);
  });
});
