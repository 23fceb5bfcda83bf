import { CamtrackError } from '../util/errors';
import { readNpy, writeNpy } from '../npy/npy';
import { lambdaRows, makeLambdaTable, type LambdaTable } from './table';
import { LIMITS } from '../util/limits';

/**
 * Lambda tables as files, in memory: .npy (2-D float, shape [steps, frames]), CSV (one line per
 * step, values separated by commas) and JSON ({steps, frames, lambda: [[...], ...]} or a bare
 * [[...], ...]). Parsers refuse, with the place named, ragged rows, non-numeric cells, values
 * that are not finite or outside [0, 1] (a guidance weight is a fraction), and a shape other
 * than `expected` when one is given.
 */
export type LambdaFormat = 'npy' | 'csv' | 'json';

export interface LambdaParseOptions {
  /** The shape the table must have (the current steps and frames); refused otherwise. */
  expected?: { steps: number; frames: number };
  /** A file name for messages. */
  name?: string;
}

function finish(rows: number[][], opts: LambdaParseOptions, name: string): LambdaTable {
  if (rows.length === 0) throw new CamtrackError('bad-input', `${name} holds no lambda values.`);
  const frames = rows[0].length;
  if (frames === 0) throw new CamtrackError('bad-input', `${name}: step 0 has no values.`);
  if (rows.length > LIMITS.steps.max || frames > LIMITS.frames.max)
    throw new CamtrackError(
      'shape-mismatch',
      `${name} is ${rows.length} steps x ${frames} frames; a lambda table has at most ${LIMITS.steps.max} steps and ${LIMITS.frames.max} frames.`,
    );
  rows.forEach((r, i) => {
    if (r.length !== frames)
      throw new CamtrackError(
        'shape-mismatch',
        `${name}: step ${i} has ${r.length} values, but step 0 has ${frames}; every step needs one value per frame.`,
      );
    r.forEach((v, f) => {
      if (!Number.isFinite(v))
        throw new CamtrackError(
          'bad-input',
          `${name}: the value at step ${i}, frame ${f} is ${v}, not a finite number.`,
        );
      if (v < 0 || v > 1)
        throw new CamtrackError(
          'bad-input',
          `${name}: the value at step ${i}, frame ${f} is ${v}; lambda values must lie in [0, 1].`,
        );
    });
  });
  const table = makeLambdaTable(rows.length, frames, rows.flat());
  const e = opts.expected;
  if (e && (e.steps !== table.steps || e.frames !== table.frames)) {
    throw new CamtrackError(
      'shape-mismatch',
      `${name} is ${table.steps} steps x ${table.frames} frames, but this project needs ${e.steps} steps x ${e.frames} frames. Resample it, or change the steps or the track length.`,
    );
  }
  return table;
}

// .npy

/** '<f8', shape (steps, frames). */
export function lambdaToNpy(table: LambdaTable): Uint8Array {
  return writeNpy(table.data, [table.steps, table.frames]);
}

export function lambdaFromNpy(bytes: Uint8Array, opts: LambdaParseOptions = {}): LambdaTable {
  const name = opts.name ?? 'The lambda .npy file';
  const a = readNpy(bytes, name);
  if (a.shape.length !== 2) {
    throw new CamtrackError(
      'shape-mismatch',
      `${name} must hold a 2-D array [steps, frames]; its shape is (${a.shape.join(', ')}).`,
    );
  }
  const [steps, frames] = a.shape;
  // Checked before any loop over the steps: a (1e11, 0) array holds no values but names 1e11 rows.
  if (steps < 1 || frames < 1)
    throw new CamtrackError('bad-input', `${name} has shape (${steps}, ${frames}): it holds no lambda values.`);
  const rows: number[][] = [];
  for (let i = 0; i < steps; i++) rows.push(Array.from(a.data.subarray(i * frames, (i + 1) * frames)));
  return finish(rows, opts, name);
}

// CSV

/** One line per step; numbers in the shortest form that reads back exactly. */
export function lambdaToCsv(table: LambdaTable): string {
  return lambdaRows(table)
    .map((r) => r.map((v) => String(v)).join(','))
    .join('\n')
    .concat('\n');
}

/**
 * A decimal number as a cell writes it: [+-] digits [. digits] [e [+-] digits], or [+-] . digits.
 * Each part can match in one way only (the digits before the point cannot also be taken after it),
 * so a cell that fails costs at most one step back per character: linear, where the old pattern
 * (\d+\.?\d*) tried every split of a run of digits.
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const isNumberCell = (c: string) => NUMBER.test(c);

/** A file past the size limit is refused before it is split or parsed. */
function checkFileSize(length: number, name: string): void {
  if (length > LIMITS.lambdaFileBytes)
    throw new CamtrackError(
      'bad-input',
      `${name} is ${(length / 2 ** 20).toFixed(1)} MiB; a lambda table file may be at most ${LIMITS.lambdaFileBytes / 2 ** 20} MiB (a full ${LIMITS.steps.max} x ${LIMITS.frames.max} table fits).`,
    );
}

/**
 * Parses CSV. Blank lines are skipped; cells are trimmed; CRLF is fine. A first line in which no
 * cell is a number (e.g. "frame0,frame1,...") is taken as a header and skipped; any other
 * non-numeric cell is refused with its line and column. Linear in the text's length: cells,
 * rows and columns are bounded (util/limits.ts) before any cell is read as a number.
 */
export function lambdaFromCsv(text: string, opts: LambdaParseOptions = {}): LambdaTable {
  const name = opts.name ?? 'The lambda CSV';
  checkFileSize(text.length, name);
  const lines = text.split(/\r?\n/).map((l, i) => ({ n: i + 1, cells: l.split(',').map((c) => c.trim()) }));
  const content = lines.filter((l) => !(l.cells.length === 1 && l.cells[0] === ''));
  for (const { n, cells } of content)
    if (cells.length > LIMITS.frames.max)
      throw new CamtrackError(
        'shape-mismatch',
        `${name}: line ${n} has ${cells.length} cells; a lambda table has at most ${LIMITS.frames.max} frames.`,
      );
  if (content.length > 0 && content[0].cells.every((c) => !isNumberCell(c))) content.shift();
  if (content.length > LIMITS.steps.max)
    throw new CamtrackError(
      'shape-mismatch',
      `${name} has ${content.length} rows; a lambda table has at most ${LIMITS.steps.max} steps.`,
    );
  const rows = content.map(({ n, cells }) =>
    cells.map((c, k) => {
      if (c.length > LIMITS.lambdaCellChars)
        throw new CamtrackError(
          'bad-input',
          `${name}: line ${n}, column ${k + 1} is ${c.length} characters long; a lambda value is at most ${LIMITS.lambdaCellChars}.`,
        );
      if (!isNumberCell(c)) {
        throw new CamtrackError(
          'bad-input',
          `${name}: line ${n}, column ${k + 1} is ${c === '' ? 'empty' : `"${c}"`}, not a number.`,
        );
      }
      return Number(c);
    }),
  );
  return finish(rows, opts, name);
}

// JSON

export function lambdaToJson(table: LambdaTable): string {
  return JSON.stringify({ steps: table.steps, frames: table.frames, lambda: lambdaRows(table) });
}

/** Accepts {steps, frames, lambda: [[...]]} (steps and frames optional, checked when present) or a bare [[...]]. */
export function lambdaFromJson(text: string, opts: LambdaParseOptions = {}): LambdaTable {
  const name = opts.name ?? 'The lambda JSON';
  checkFileSize(text.length, name);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError('bad-input', `${name} is not valid JSON: ${(e as Error).message}`);
  }
  return lambdaFromJsonValue(doc, opts, name);
}

export function lambdaFromJsonValue(
  doc: unknown,
  opts: LambdaParseOptions = {},
  name = opts.name ?? 'The lambda JSON',
): LambdaTable {
  let rowsIn: unknown = doc;
  let declared: { steps?: unknown; frames?: unknown } = {};
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    declared = doc as { steps?: unknown; frames?: unknown };
    rowsIn = (doc as { lambda?: unknown }).lambda;
    if (rowsIn === undefined)
      throw new CamtrackError(
        'bad-input',
        `${name} has no "lambda" field (expected {"steps", "frames", "lambda": [[...], ...]} or [[...], ...]).`,
      );
  }
  if (!Array.isArray(rowsIn))
    throw new CamtrackError('bad-input', `${name}: the lambda table must be an array of rows, one per step.`);
  const rows = rowsIn.map((r: unknown, i: number) => {
    if (!Array.isArray(r)) throw new CamtrackError('bad-input', `${name}: step ${i} is not an array of values.`);
    return r.map((v: unknown, f: number) => {
      if (typeof v !== 'number')
        throw new CamtrackError(
          'bad-input',
          `${name}: the value at step ${i}, frame ${f} is ${JSON.stringify(v)}, not a number.`,
        );
      return v;
    });
  });
  const table = finish(rows, opts, name);
  for (const key of ['steps', 'frames'] as const) {
    const v = declared[key];
    if (v !== undefined && v !== table[key]) {
      throw new CamtrackError(
        'shape-mismatch',
        `${name} declares ${key} = ${JSON.stringify(v)} but its table has ${table[key]} ${key}.`,
      );
    }
  }
  return table;
}

// By format

export function serialiseLambda(table: LambdaTable, format: LambdaFormat): Uint8Array | string {
  return format === 'npy' ? lambdaToNpy(table) : format === 'csv' ? lambdaToCsv(table) : lambdaToJson(table);
}

export function parseLambda(content: Uint8Array, format: LambdaFormat, opts: LambdaParseOptions = {}): LambdaTable {
  if (format === 'npy') return lambdaFromNpy(content, opts);
  checkFileSize(content.length, opts.name ?? `The lambda ${format.toUpperCase()}`);
  const text = new TextDecoder('utf-8').decode(content);
  return format === 'csv' ? lambdaFromCsv(text, opts) : lambdaFromJson(text, opts);
}

/** The format for a file name by its extension, or a refusal naming the supported ones. */
export function lambdaFormatOf(fileName: string): LambdaFormat {
  const m = /\.([^./\\]+)$/.exec(fileName);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'npy' || ext === 'csv' || ext === 'json') return ext;
  throw new CamtrackError('bad-input', `${fileName}: a lambda table file must end in .npy, .csv or .json.`);
}
