import fc from 'fast-check';
import { expect } from 'vitest';
import { CamtrackError } from '../engine/util/errors';

/**
 * The harness of the property-based parser tests (*.prop.test.ts). Every input must either parse
 * into a value the schema accepts (`accept` asserts it) or be refused with a clear message: an
 * Error of the expected kind whose message is a sentence, not a raw TypeError from a property read
 * on undefined. Each case is timed: one that takes longer than `limitMs` fails the property (a
 * parser that loops over a size it was told, instead of bytes it holds).
 *
 * Inputs come from mutating valid files (bit flips, byte edits, truncation, insertion; edits of
 * the parsed JSON tree at random places) as well as from random bytes and random JSON.
 */

/** Messages that show a bug rather than a refusal. */
const RAW_MESSAGE =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|undefined is not|null is not|Maximum call stack|Invalid array length|Invalid typed array length|out of memory|\[object Object\]/i;

export interface Verdict<T> {
  /** Asserts a parsed value is what the schema accepts. */
  accept(value: T): void;
  /** Which thrown values count as a clear refusal (default: a CamtrackError). */
  refusal?: (e: unknown) => boolean;
  /** Longest time one case may take (ms), before the per-byte allowance. */
  limitMs?: number;
}

/**
 * Time allowed per byte of input on top of `limitMs`: 5 µs, twenty times what the parsers here
 * take on a loaded 2-core machine. A parser that is quadratic in its input passes it well below
 * a megabyte (80,000 characters cost one such parser 9 s), an exponential one at a few dozen.
 */
export const MS_PER_BYTE = 0.005;

export const isCamtrack = (e: unknown) => e instanceof CamtrackError;

/** Runs one case and judges it; returns 'parsed' or 'refused' (tests count both). */
export async function judge<T>(
  run: () => T | Promise<T>,
  v: Verdict<T>,
  input: () => string,
  /** The input's size: it earns MS_PER_BYTE each. */
  bytes = 0,
): Promise<'parsed' | 'refused'> {
  const limit = (v.limitMs ?? 1000) + bytes * MS_PER_BYTE;
  const t0 = performance.now();
  let value: T;
  try {
    value = await run();
  } catch (e) {
    const ms = performance.now() - t0;
    const refusal = v.refusal ?? isCamtrack;
    const message = e instanceof Error ? e.message : String(e);
    if (!refusal(e) || !(e instanceof Error) || message.trim().length < 10 || RAW_MESSAGE.test(message)) {
      throw new Error(
        `not a clear refusal (${e instanceof Error ? e.constructor.name : typeof e}: ${message}) for ${input()}`,
        { cause: e },
      );
    }
    if (ms > limit) throw new Error(`refused after ${ms.toFixed(0)} ms (limit ${limit}) for ${input()}`, { cause: e });
    return 'refused';
  }
  const ms = performance.now() - t0;
  if (ms > limit) throw new Error(`parsed after ${ms.toFixed(0)} ms (limit ${limit}) for ${input()}`);
  v.accept(value);
  return 'parsed';
}

/** fast-check settings shared by the property tests: bounded so all of them run in well under a minute. */
export const RUNS = { numRuns: 200 } as const;
/** FUZZ_SCALE=10 runs ten times as many cases (a longer hunt by hand; CI uses 1). */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE) || 1);

// Byte mutations

type ByteEdit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; len: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.oneof(
      fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x20, 0x30, 0x39, 0x2d, 0x2e, 0x0a),
      fc.integer({ min: 0, max: 255 }),
    ),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
);

export function applyByteEdits(seed: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + (e.kind === 'insert' ? 1 : 0));
    if (e.kind === 'flip' && b.length) b[at] ^= 1 << e.bit;
    else if (e.kind === 'set' && b.length) b[at] = e.byte;
    else if (e.kind === 'truncate') b = b.slice(0, at);
    else if (e.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...e.bytes, ...b.subarray(at)]);
    else if (e.kind === 'delete') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + e.len)]);
  }
  return b;
}

/** Valid files with a few byte edits, or (one case in six) random bytes. */
export function mutatedBytes(seeds: readonly Uint8Array[], maxEdits = 4): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.array(byteEdit, { minLength: 1, maxLength: maxEdits }))
        .map(([s, edits]) => applyByteEdits(s, edits)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
  );
}

// JSON tree mutations

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values that parsers get wrong: limits, wrong types, prototype names. */
const interesting: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  179,
  180,
  1001,
  1e6 + 1,
  1e21,
  1e308,
  -1e308,
  5e-324,
  2 ** 53,
  2 ** 32,
  -(2 ** 31),
  '',
  'x',
  '__proto__',
  'constructor',
  '1',
  'NaN',
  '2026-13-45',
  'not a date',
  null,
  true,
  false,
  [],
  {},
  [[]],
  [0],
  [null],
  JSON.parse('{"__proto__": 1}') as Json,
  { constructor: 'x' },
);

export const jsonValue: fc.Arbitrary<Json> = fc.oneof(interesting, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>);

type JsonEdit = { pick: number; kind: 'replace' | 'delete' | 'duplicate' | 'renameKey'; value: Json; key: string };

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom(
    'replace' as const,
    'replace' as const,
    'replace' as const,
    'delete' as const,
    'duplicate' as const,
    'renameKey' as const,
  ),
  value: jsonValue,
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'version', 'schemaVersion', 'x'),
    fc.string({ maxLength: 6 }),
  ),
});

/** Every node of a JSON tree as [parent, key] pairs (the root is [null, null]). */
function nodes(root: Json): [Json[] | { [k: string]: Json } | null, string | number | null][] {
  const out: [Json[] | { [k: string]: Json } | null, string | number | null][] = [[null, null]];
  const walk = (v: Json) => {
    if (Array.isArray(v))
      v.forEach((c, i) => {
        out.push([v, i]);
        walk(c);
      });
    else if (v && typeof v === 'object')
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        walk(v[k]);
      }
  };
  walk(root);
  return out;
}

export function applyJsonEdits(seed: Json, edits: readonly JsonEdit[]): Json {
  let root = structuredClone(seed);
  for (const e of edits) {
    const all = nodes(root);
    const [parent, key] = all[e.pick % all.length];
    if (parent === null) {
      if (e.kind === 'replace') root = structuredClone(e.value);
      continue;
    }
    const arr = Array.isArray(parent);
    const get = () => (arr ? (parent as Json[])[key as number] : (parent as Record<string, Json>)[key as string]);
    if (e.kind === 'replace') {
      if (arr) (parent as Json[])[key as number] = structuredClone(e.value);
      else
        Object.defineProperty(parent, key as string, {
          value: structuredClone(e.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    } else if (e.kind === 'delete') {
      if (arr) (parent as Json[]).splice(key as number, 1);
      else delete (parent as Record<string, Json>)[key as string];
    } else if (e.kind === 'duplicate') {
      if (arr) (parent as Json[]).splice(key as number, 0, structuredClone(get()));
    } else if (!arr) {
      const v = get();
      delete (parent as Record<string, Json>)[key as string];
      Object.defineProperty(parent, e.key, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** Text edits of JSON: cut it off, or change one character. */
type TextEdit = { kind: 'none' } | { kind: 'truncate'; at: number } | { kind: 'char'; at: number; char: string };
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('char' as const),
      at: fc.nat(),
      char: fc.constantFrom('"', ',', '}', ']', '{', '[', '\\', 'e', '-', '0', '\u0000', '\ufeff', ' '),
    }),
  },
);

function applyTextEdit(text: string, e: TextEdit): string {
  if (e.kind === 'none' || text.length === 0) return text;
  const at = e.at % text.length;
  return e.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + e.char + text.slice(at + 1);
}

/**
 * JSON text from valid documents with edits of their tree (values replaced by limits, wrong
 * types, deleted or renamed keys, duplicated entries) and sometimes of their text; or, one case in
 * eight, random JSON or random text.
 */
export function mutatedJsonText(seeds: readonly unknown[], maxEdits = 3): fc.Arbitrary<string> {
  const edited = fc
    .tuple(fc.constantFrom(...(seeds as Json[])), fc.array(jsonEdit, { minLength: 1, maxLength: maxEdits }), textEdit)
    .map(([s, edits, t]) => applyTextEdit(JSON.stringify(applyJsonEdits(s, edits)), t));
  return fc.oneof(
    { weight: 7, arbitrary: edited },
    { weight: 1, arbitrary: fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 80 })) },
  );
}

/** A short description of an input for failure messages. */
export function show(input: Uint8Array | string): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 300 ? `${input.slice(0, 300)}...` : input);
  return `${input.length} bytes [${Array.from(input.subarray(0, 96)).join(',')}${input.length > 96 ? ',...' : ''}]`;
}

/** fc.assert of an async property with the shared settings; counts parsed and refused cases. */
export async function checkAll<I>(
  arb: fc.Arbitrary<I>,
  run: (input: I) => Promise<'parsed' | 'refused'>,
  params: fc.Parameters<[I]> = {},
  /** Whether some inputs must be refused (false where the reader salvages everything it can). */
  someRefused = true,
): Promise<{ parsed: number; refused: number }> {
  const counts = { parsed: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      counts[await run(input)]++;
    }),
    { ...RUNS, ...params, numRuns: (params.numRuns ?? RUNS.numRuns) * SCALE },
  );
  // Both outcomes must occur: a property where everything is refused (or accepted) tests too little.
  expect(counts.parsed, 'some inputs parse').toBeGreaterThan(0);
  if (someRefused) expect(counts.refused, 'some inputs are refused').toBeGreaterThan(0);
  return counts;
}

// Large inputs

/**
 * Input sizes for the scaling properties, ascending: 16 bytes to 2 MiB, doubling, with every
 * size from 16 to 64 by 2 first (an exponential pattern passes its time bound between 20 and 40
 * characters, so it fails there, ascending, instead of hanging at a larger size).
 */
export const SCALES: readonly number[] = [
  ...Array.from({ length: 25 }, (_, k) => 16 + 2 * k),
  ...Array.from({ length: 15 }, (_, k) => 2 ** (7 + k)),
];

/** Runs that parsers get wrong at length: digits, number parts, separators, brackets, quotes, escapes, junk. */
export const RUN_UNITS: readonly string[] = [
  '1',
  '9',
  '0',
  '.',
  'e',
  '-',
  ',',
  ' ',
  '\n',
  '\r\n',
  '[',
  ']',
  '{',
  '"',
  '\\',
  'a',
  '\u0000',
  '1e1',
  '0.5,',
  '[0,',
  '{"a":',
  '\\u00e9',
];

/** What follows a run: nothing, or a character that makes a number or a token fail at its end. */
const RUN_ENDS = ['', 'x', '.', 'e', '-', '+', ' ', '"', ']', '}', ',', '\n'] as const;

/**
 * A seed text with a run of `length` characters inserted at a random place: a unit from RUN_UNITS
 * or a piece of the seed itself (so repeated rows, cells and array entries, which often still
 * parse), and a random end. Parsers must answer in time linear in the result's size.
 */
export function inflatedText(seeds: readonly string[], length: number, units: readonly string[] = RUN_UNITS) {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      at: fc.nat(),
      from: fc.nat(),
      span: fc.integer({ min: 1, max: 64 }),
      unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...units) }, { weight: 1, arbitrary: fc.constant(null) }),
      end: fc.constantFrom(...RUN_ENDS),
    })
    .map(({ seed, at, from, span, unit, end }) => {
      const start = seed.length ? from % seed.length : 0;
      const u = unit ?? (seed.slice(start, start + span) || '1');
      const run = u.repeat(Math.ceil(length / u.length)).slice(0, length);
      const cut = seed.length ? at % (seed.length + 1) : 0;
      return seed.slice(0, cut) + run + end + seed.slice(cut);
    });
}

/**
 * The scaling property: for every size in SCALES, ascending, `perSize` inflated inputs (one above
 * 64 KiB), each judged with its per-byte time allowance. A failure names the size and the seed to
 * replay it with.
 */
export async function checkScaling(
  make: (length: number) => fc.Arbitrary<string>,
  run: (input: string) => Promise<'parsed' | 'refused'>,
  perSize = 3,
  scales: readonly number[] = SCALES,
): Promise<{ parsed: number; refused: number }> {
  const counts = { parsed: 0, refused: 0 };
  const seed = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
  for (const length of scales) {
    const n = length > 65_536 ? 1 : perSize * SCALE;
    for (const input of fc.sample(make(length), { numRuns: n, seed: seed + length })) {
      try {
        counts[await run(input)]++;
      } catch (e) {
        throw new Error(`at size ${length} (FUZZ_SEED=${seed}): ${(e as Error).message}`, { cause: e });
      }
    }
  }
  return counts;
}

/** The scaling property for a text parser: every size, each parse judged with its time per byte. */
export function checkTextScaling<T>(
  seeds: readonly string[],
  parse: (text: string) => T | Promise<T>,
  verdict: Verdict<T>,
  opts: { units?: readonly string[]; perSize?: number; make?: (length: number) => fc.Arbitrary<string> } = {},
): Promise<{ parsed: number; refused: number }> {
  return checkScaling(
    opts.make ?? ((n) => inflatedText(seeds, n, opts.units)),
    (text) =>
      judge(
        () => parse(text),
        verdict,
        () => show(text),
        text.length,
      ),
    opts.perSize ?? 2,
  );
}

/** The same for a binary format with text in it (headers): seeds and runs handled as latin1. */
export function checkBytesScaling<T>(
  seeds: readonly Uint8Array[],
  parse: (bytes: Uint8Array) => T | Promise<T>,
  verdict: Verdict<T>,
  units?: readonly string[],
): Promise<{ parsed: number; refused: number }> {
  const latin1 = seeds.map((b) => Buffer.from(b).toString('latin1'));
  return checkScaling(
    (n) => inflatedText(latin1, n, units),
    (text) => {
      const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
      return judge(
        () => parse(bytes),
        verdict,
        () => show(bytes),
        bytes.length,
      );
    },
    2,
  );
}
