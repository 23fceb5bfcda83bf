import type { ProjectDoc } from './schema';

/**
 * Canonical JSON: object keys sorted at every level, no whitespace, `undefined` members dropped as
 * JSON.stringify drops them. Two values with the same JSON content give the same string whatever
 * order their keys were built in (a store update, a parsed file and a migrated file all agree).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortKeys(x)));
  if (v !== null && typeof v === 'object') {
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort()) {
      if (src[k] !== undefined) out[k] = sortKeys(src[k]);
    }
    return out;
  }
  return v;
}

/** The document without its save timestamp: what "has the artist changed anything" compares. */
function content(doc: ProjectDoc): unknown {
  const { modifiedAt: _ignored, ...rest } = doc;
  return rest;
}

/**
 * True when `current` differs from the last saved document in anything but `modifiedAt`. A project
 * that was never saved (`saved` null) is dirty. Drives the title's dirty marker and "Save changes?".
 */
export function isDirty(saved: ProjectDoc | null, current: ProjectDoc): boolean {
  if (saved === null) return true;
  return canonicalJson(content(saved)) !== canonicalJson(content(current));
}
