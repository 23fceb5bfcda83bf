import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures';
import { openProject, saveProjectAs } from '../project/store';
import { PROJECT_SCHEMA_VERSION } from '../project/schema';
import { renderProject } from './render';
import { sampleProjectDir } from '../../test/tinyProject';

/**
 * Projects saved before schema version 4 render exactly the picture they rendered before. The
 * sha256 of the preview frames below were printed by the build before version 4 (main at
 * 5a90c13) for the same projects and settings; the migration writes the camera they used (the
 * default one: 60 degrees across) into the photo and keeps the splatting warp.
 *  - the sample project (schema 1), whose photo has no K;
 *  - fixtures/v3-camera-path.camtrack (schema 3, made by that build's `project new --camera-path`
 *    from a 50-degree path): its frame 0 rendered the default camera, not the path's, and still does.
 */
const BEFORE_V4: { name: string; dir: () => string; size: [number, number]; frames: number; sha256: string }[] = [
  {
    name: 'the sample project (schema 1) at 128x64',
    dir: sampleProjectDir,
    size: [128, 64],
    frames: 14,
    sha256: 'e3aa3bd0aa93fd6afc65990ae9e4a4b085357d3e57f6b082292d3ad2b1212e82',
  },
  {
    name: 'a schema-3 project with an imported 50-degree path, at its photo size',
    dir: () => fixture('v3-camera-path.camtrack'),
    size: [96, 54],
    frames: 3,
    sha256: 'c72534e36228a6407a3dacb56b434de5c1d289229ad58e7f7b88eb848a230a2c',
  },
  {
    name: 'the same, cropped to 128x64',
    dir: () => fixture('v3-camera-path.camtrack'),
    size: [128, 64],
    frames: 3,
    sha256: 'c6871d382ba7fd133fd1022594f561f00c5bf05d3b7bbbbcc9f255ac1753a79b',
  },
];

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-old-projects-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function previewSha(dir: string, size: [number, number], out: string): Promise<{ sha: string; n: number }> {
  const { doc } = await openProject(dir);
  const r = await renderProject({
    projectDir: dir,
    doc,
    out: path.join(root, out),
    overrides: { model: 'preview', width: size[0], height: size[1], format: 'png' },
  });
  const h = createHash('sha256');
  for (const f of r.frames) h.update(f);
  return { sha: h.digest('hex'), n: r.frames.length };
}

describe('projects saved before schema 4', () => {
  it.each(BEFORE_V4)('$name renders the same frames, migrated and after saving the migration', async (c) => {
    const opened = await openProject(c.dir());
    expect(opened.migratedFrom).toBeLessThan(4);
    // The camera they rendered with is written into the photo; they keep the splatting warp.
    const { width, height } = opened.doc.image!;
    expect(opened.doc.image!.intrinsics).toEqual({
      fx: width / 2 / Math.tan(Math.PI / 6),
      fy: width / 2 / Math.tan(Math.PI / 6),
      cx: width / 2,
      cy: height / 2,
    });
    expect(opened.doc.render.warp).toBe('splat');
    const migrated = await previewSha(c.dir(), c.size, `migrated-${c.size.join('x')}`);
    expect(migrated).toEqual({ sha: c.sha256, n: c.frames });

    const saved = path.join(root, `saved-${c.frames}-${c.size.join('x')}.camtrack`);
    await saveProjectAs(c.dir(), saved, opened.doc);
    const reopened = await openProject(saved);
    expect(reopened.doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(reopened.migratedFrom).toBeUndefined();
    expect(await previewSha(saved, c.size, `saved-${c.size.join('x')}`)).toEqual(migrated);
  });
});
