import { describe, it, expect } from 'vitest';
import { CamtrackError } from '../util/errors';
import { lineColumn, parseJsonText, parseProjectText, assertValidDoc } from './parse';
import { createProject } from './create';
import { PROJECT_SCHEMA_VERSION, type ProjectDoc } from './schema';
import { jsonPath } from '../util/issues';
import { canonicalJson, isDirty } from './dirty';

function caught(fn: () => unknown): CamtrackError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CamtrackError) return e;
    throw e;
  }
  throw new Error('expected a CamtrackError');
}

/** A version-0 (draft) document made by hand from a current one: nested lambda rows, no decodeChunk. */
function toV0(doc: ProjectDoc): Record<string, unknown> {
  const { decodeChunk: _dc, ...render } = doc.render;
  const rows: number[][] = [];
  for (let s = 0; s < doc.lambda.steps; s++)
    rows.push(doc.lambda.values.slice(s * doc.lambda.frames, (s + 1) * doc.lambda.frames));
  return {
    ...doc,
    schemaVersion: 0,
    lambda: { rows, lambdaMin: doc.lambda.lambdaMin, preset: doc.lambda.preset },
    render,
  };
}

describe('lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('parseJsonText', () => {
  it('names the file, line and column of a syntax error', () => {
    const e = caught(() => parseJsonText('{\n  "a": 1,\n  "b" 2\n}', '/p/project.json'));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('/p/project.json');
    expect(e.message).toContain('is not valid JSON');
    expect(e.message).toContain('line 3, column 7');
  });

  it('reports a truncated file as cut off at its end', () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": "str';
    const e = caught(() => parseJsonText(text, 'x.json'));
    expect(e.code).toBe('bad-file');
    expect(e.message).toMatch(/cut off|not valid JSON/);
    expect(e.message).toContain('line 3');
  });

  it('a fault V8 gives no position for is "not valid JSON", never "cut off" (issue 12, item 10)', () => {
    for (const text of ['xyz', '[1,]', '{"a": tru}x'.replace('x', '')]) {
      const e = caught(() => parseJsonText(text, 'x.json'));
      expect(e.code).toBe('bad-file');
      expect(e.message).not.toMatch(/cut off/);
      expect(e.message).toMatch(/x\.json is not valid JSON/);
    }
    expect(caught(() => parseJsonText('{"a": [1, 2', 'x.json')).message).toMatch(/cut off/);
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(parseJsonText('\ufeff{"a": [1, 2]}', 'x.json')).toEqual({ a: [1, 2] });
  });

  it('reports an empty file', () => {
    expect(caught(() => parseJsonText('  \n', 'x.json')).message).toContain('is empty');
  });
});

describe('decode', () => {
  const doc = createProject('Street', { now: new Date('2026-01-02T03:04:05Z') });

  it('accepts a current document unchanged', () => {
    const r = parseProjectText(JSON.stringify(doc), 'p.json');
    expect(r.migratedFrom).toBeUndefined();
    expect(canonicalJson(r.doc)).toBe(canonicalJson(doc));
  });

  it('lists schema issues with their JSON paths', () => {
    const bad = structuredClone(doc) as unknown as { track: { fps: number; keyframes: { fovY: number }[] } };
    bad.track.fps = -3;
    bad.track.keyframes[0].fovY = 500;
    const e = caught(() => parseProjectText(JSON.stringify(bad), 'p.json'));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('track.fps: fps must be in (0, 240]');
    expect(e.message).toContain('track.keyframes[0].fovY: fovY must be between 1 and 179 degrees');
  });

  it('refuses a newer schema, naming both versions', () => {
    const e = caught(() =>
      parseProjectText(JSON.stringify({ ...doc, schemaVersion: PROJECT_SCHEMA_VERSION + 4 }), 'p.json'),
    );
    expect(e.code).toBe('newer-version');
    expect(e.message).toContain(`schema ${PROJECT_SCHEMA_VERSION + 4}`);
    expect(e.message).toContain(`reads up to schema ${PROJECT_SCHEMA_VERSION}`);
    expect(e.message).toContain('Update the studio');
  });

  it('refuses JSON that is not a project', () => {
    expect(caught(() => parseProjectText('[1,2]', 'p.json')).message).toContain('an array');
    expect(caught(() => parseProjectText('{"name":"x"}', 'p.json')).message).toContain('schemaVersion');
  });

  it('migrates the version-0 draft: nested lambda rows become a flat table, decodeChunk is added', () => {
    const v0 = toV0(doc);
    expect(v0.lambda).toHaveProperty('rows');
    expect(v0.render).not.toHaveProperty('decodeChunk');
    const r = parseProjectText(JSON.stringify(v0), 'old.json');
    expect(r.migratedFrom).toBe(0);
    expect(r.doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(r.doc.lambda.steps).toBe(doc.lambda.steps);
    expect(r.doc.lambda.frames).toBe(doc.lambda.frames);
    expect(r.doc.lambda.values).toEqual(doc.lambda.values);
    expect(r.doc.render.decodeChunk).toBe(8);
    expect(isDirty(doc, r.doc)).toBe(false);
  });

  it('migrates a version-3 project to version 4 with render fidelity "studio", what it rendered with', () => {
    const v3 = { ...doc, schemaVersion: 3, render: { ...doc.render } } as Record<string, unknown>;
    delete (v3.render as Record<string, unknown>).fidelity;
    const r = parseProjectText(JSON.stringify(v3), 'old.json');
    expect(r.migratedFrom).toBe(3);
    expect(r.doc.schemaVersion).toBe(4);
    expect(r.doc.render.fidelity).toBe('studio');
    expect(isDirty(doc, r.doc)).toBe(false);
    const e = caught(() => parseProjectText(JSON.stringify({ ...v3, render: 7 }), 'old.json'));
    expect(e.message).toContain('render settings are not an object');
  });

  it('a version-4 project that does not name its warp renders with the mesh; a version-3 one keeps the splatting it rendered with', () => {
    const { warp: _w, ...render } = doc.render;
    const v4 = parseProjectText(JSON.stringify({ ...doc, render }), 'hand-written.json');
    expect(v4.migratedFrom).toBeUndefined();
    expect(v4.doc.render.warp).toBe('mesh');
    const v3 = parseProjectText(JSON.stringify({ ...doc, schemaVersion: 3, render }), 'old.json');
    expect(v3.migratedFrom).toBe(3);
    expect(v3.doc.render.warp).toBe('splat');
  });

  it('reports a damaged version-0 file in its own vocabulary', () => {
    const v0 = toV0(doc) as { lambda: { rows: number[][] } };
    v0.lambda.rows[3] = v0.lambda.rows[3].slice(1);
    const e = caught(() => parseProjectText(JSON.stringify(v0), 'old.json'));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('lambda row 3');
  });

  it('assertValidDoc refuses a lambda table whose values do not fit steps x frames', () => {
    const bad = { ...doc, lambda: { ...doc.lambda, values: doc.lambda.values.slice(1) } };
    const e = caught(() => assertValidDoc(bad));
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain('lambda');
  });
});

describe('jsonPath', () => {
  it('formats keys and indices', () => {
    expect(jsonPath(['a', 0, 'b', 12])).toBe('a[0].b[12]');
    expect(jsonPath([])).toBe('(root)');
  });
});
