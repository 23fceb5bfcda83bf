import type { z } from 'zod';

/**
 * Validation issues as people read them: one line, the field's path, what it must be and what it
 * was. zod's own default messages ("Invalid input: expected number, received string") say neither
 * which value nor, on their own, which field; util/zod.ts installs `readableIssue` as the default,
 * and a schema's own message still wins.
 */

/** `['track', 'keyframes', 0, 'fovY']` -> `track.keyframes[0].fovY`; the root is `(root)`. */
export function jsonPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out || '(root)';
}

/** A value as a message quotes it: strings quoted and cut at 40 characters, lists and objects named. */
export function quoteValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

const NOUNS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  bigint: 'a whole number',
  null: 'null',
};
const noun = (t: string) => NOUNS[t] ?? `a ${t}`;

function bound(iss: { origin?: string; inclusive?: boolean }, value: unknown, side: 'max' | 'min'): string {
  const n = String(value);
  if (iss.origin === 'string') return side === 'max' ? `at most ${n} characters long` : `at least ${n} characters long`;
  if (iss.origin === 'array' || iss.origin === 'set')
    return side === 'max' ? `at most ${n} items` : `at least ${n} items`;
  const op = side === 'max' ? (iss.inclusive === false ? '<' : '≤') : iss.inclusive === false ? '>' : '≥';
  return `a number ${op} ${n}`;
}

/** zod's raw issue -> "must be a number ≤ 60 (got "x")"; undefined leaves zod's own message. */
export function readableIssue(iss: z.core.$ZodRawIssue): string | undefined {
  const got = 'input' in iss ? ` (got ${quoteValue(iss.input)})` : '';
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined
        ? `is missing (${noun(String(iss.expected))} is needed)`
        : `must be ${noun(String(iss.expected))}${got}`;
    case 'too_big':
      return `must be ${bound(iss, iss.maximum, 'max')}${iss.origin === 'number' || iss.origin === 'int' ? got : ''}`;
    case 'too_small':
      return `must be ${bound(iss, iss.minimum, 'min')}${iss.origin === 'number' || iss.origin === 'int' ? got : ''}`;
    case 'invalid_value':
      return `must be ${iss.values.length === 1 ? quoteValue(iss.values[0]) : `one of ${iss.values.map(quoteValue).join(', ')}`}${got}`;
    case 'invalid_format':
      return `must be a valid ${iss.format}${got}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}${got}`;
    case 'unrecognized_keys':
      return `has ${iss.keys.length === 1 ? 'an unknown field' : 'unknown fields'} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return undefined;
  }
}

/** One issue on one line: "render.fps must be a number ≤ 60 (got 99)"; a schema's own message after a colon. */
export function formatIssue(i: z.core.$ZodIssue): string {
  const p = jsonPath(i.path);
  return /^(must|is|has) /.test(i.message) ? `${p} ${i.message}` : `${p}: ${i.message}`;
}

/** The first `max` issues: "track.fps must be ...; render.seed is missing ...; and 2 more." */
export function formatIssues(issues: readonly z.core.$ZodIssue[], max = 4): string {
  const shown = issues.slice(0, max).map(formatIssue);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return `${shown.join('; ')}${more}.`;
}

/** A ZodError that escaped a .parse() (duck-typed: this module must not load zod). */
export function isZodError(e: unknown): e is Error & { issues: z.core.$ZodIssue[] } {
  return e instanceof Error && e.name === 'ZodError' && Array.isArray((e as { issues?: unknown }).issues);
}
