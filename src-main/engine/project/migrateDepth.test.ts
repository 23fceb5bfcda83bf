import { describe, expect, it } from 'vitest';
import { createProject } from './create';
import { MIGRATE_3_TO_4 } from './migrate';
import { parseProjectText } from './parse';
import { PROJECT_SCHEMA_VERSION, type ProjectDoc } from './schema';

const sha = 'a'.repeat(64);

/** A version-3 project as an older build saved it: a depth file with the mapping it was imported with then. */
function v3(): Record<string, unknown> {
  const doc = createProject('Old', {
    image: { asset: { file: `image-${sha}.jpg`, sha256: sha }, originalName: 'p.jpg', width: 640, height: 360 },
    depth: {
      source: { type: 'file', asset: { file: `depth-${sha}.npy`, sha256: sha }, originalName: 'd.npy' },
      mapping: { kind: 'disparity', scale: 10000, near: 1e-4, far: 500 },
    },
  });
  return { ...doc, schemaVersion: 3 };
}

describe('schema 3 -> 4: depth shapes', () => {
  it('has a named step of its own', () => {
    expect(MIGRATE_3_TO_4.map((s) => s.name)).toContain('migrate3to4DepthShapes');
  });

  it('a version-3 project keeps its depth and its stored mapping: it renders what it rendered', () => {
    const old = v3();
    const r = parseProjectText(JSON.stringify(old), 'old.json');
    expect(r.migratedFrom).toBe(3);
    expect(r.doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(r.doc.depth).toEqual(old.depth);
    expect(r.doc.image).toEqual(old.image);
  });

  it('reads a room as what it is, and refuses a room that cannot be built with its numbers', () => {
    const doc = { ...v3(), schemaVersion: 4 } as ProjectDoc;
    const room = {
      kind: 'room',
      vanishingPoint: { x: 0.5, y: 0.45 },
      backWall: { left: 0.3, top: 0.3, right: 0.7, bottom: 0.6 },
      distance: 8,
    };
    const withRoom = (shape: unknown) =>
      JSON.stringify({
        ...doc,
        depth: { source: { type: 'shape', shape }, mapping: { kind: 'depth', scale: 1, near: 1e-3, far: 1e6 } },
      });
    expect(parseProjectText(withRoom(room), 'p.json').doc.depth!.source).toEqual({ type: 'shape', shape: room });
    expect(() => parseProjectText(withRoom({ ...room, vanishingPoint: { x: 1.5, y: 0.45 } }), 'p.json')).toThrow(
      /The vanishing point \(1\.5, 0\.45\) lies outside the photo/,
    );
  });
});
