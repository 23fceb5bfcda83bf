import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CamtrackError } from '../util/errors';
import { createProject } from './create';
import { saveProject, saveProjectAs, openProject, projectJsonText } from './store';
import { storeAsset, sha256Hex, assetFileName, type NewAsset } from './assets';
import { writeAutosave } from './autosave';
import { canonicalJson } from './dirty';
import { DEFAULT_DEPTH_MAPPING, PROJECT_SCHEMA_VERSION, type ProjectDoc } from './schema';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-store-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(tmp, { recursive: true, force: true });
});

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
function fakePng(seed: number): Uint8Array {
  const b = new Uint8Array(64);
  b.set(PNG_MAGIC);
  for (let i = 8; i < b.length; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

/** A document with an image and a depth asset, and the bytes of both. */
function docWithAssets(imageSeed = 1): { doc: ProjectDoc; assets: NewAsset[] } {
  const img = fakePng(imageSeed);
  const depth = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, imageSeed]);
  const imgRef = { file: assetFileName('image', sha256Hex(img), 'png'), sha256: sha256Hex(img) };
  const depthRef = { file: assetFileName('depth', sha256Hex(depth), 'npy'), sha256: sha256Hex(depth) };
  const doc = createProject('Street', {
    now: new Date('2026-01-01T00:00:00Z'),
    image: { asset: imgRef, originalName: 'street.png', width: 1920, height: 1080 },
    depth: { source: { type: 'file', asset: depthRef, originalName: 'street.npy' }, mapping: DEFAULT_DEPTH_MAPPING },
  });
  return {
    doc,
    assets: [
      { name: imgRef.file, bytes: img },
      { name: depthRef.file, bytes: depth },
    ],
  };
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return out.sort();
}

async function errorOf(p: Promise<unknown>): Promise<CamtrackError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CamtrackError) return e;
    throw e;
  }
  throw new Error('expected a CamtrackError');
}

describe('save and open', () => {
  it('round-trips a document and its assets', async () => {
    const dir = path.join(tmp, 'Street.camtrack');
    const { doc, assets } = docWithAssets();
    const saved = await saveProject(dir, doc, assets, { now: () => new Date('2026-02-03T04:05:06Z') });
    expect(saved.doc.modifiedAt).toBe('2026-02-03T04:05:06.000Z');
    expect(await listTree(dir)).toEqual(
      [`assets/${assets[1].name}`, `assets/${assets[0].name}`, 'project.json'].sort(),
    );
    const opened = await openProject(dir);
    expect(opened.dir).toBe(dir);
    expect(opened.doc).toEqual(saved.doc);
    expect(opened.autosave).toBeUndefined();
    // Opening through the project.json inside the folder is the same.
    expect((await openProject(path.join(dir, 'project.json'))).doc).toEqual(saved.doc);
    expect(await fs.readFile(path.join(dir, 'assets', assets[0].name))).toEqual(Buffer.from(assets[0].bytes));
  });

  it('does not rewrite an asset that is already there, and removes unreferenced ones only after the commit', async () => {
    const dir = path.join(tmp, 'P.camtrack');
    const first = docWithAssets(1);
    await saveProject(dir, first.doc, first.assets);
    const imgPath = path.join(dir, 'assets', first.assets[0].name);
    const inode = (await fs.stat(imgPath)).ino;
    await saveProject(dir, first.doc, first.assets);
    expect((await fs.stat(imgPath)).ino).toBe(inode);

    const second = docWithAssets(2); // a new image and depth
    const r = await saveProject(dir, second.doc, second.assets, { keepAssets: [first.assets[1].name], gcGraceMs: 0 });
    expect(r.removedAssets).toEqual([first.assets[0].name]);
    expect((await fs.readdir(path.join(dir, 'assets'))).sort()).toEqual(
      [first.assets[1].name, ...second.assets.map((a) => a.name)].sort(),
    );
  });

  it('keeps a just-stored unreferenced asset (an import in flight) for the grace period', async () => {
    const dir = path.join(tmp, 'G.camtrack');
    await saveProject(dir, createProject('G'));
    const inFlight = await storeAsset(dir, 'image', fakePng(7), 'png');
    expect((await saveProject(dir, createProject('G'))).removedAssets).toEqual([]);
    const old = new Date(Date.now() - 11 * 60 * 1000);
    await fs.utimes(path.join(dir, 'assets', inFlight.file), old, old);
    expect((await saveProject(dir, createProject('G'))).removedAssets).toEqual([inFlight.file]);
  });

  it('refuses assets whose bytes are not the ones the document records', async () => {
    const { doc, assets } = docWithAssets();
    const e = await errorOf(
      saveProject(path.join(tmp, 'X.camtrack'), doc, [{ name: assets[0].name, bytes: fakePng(9) }, assets[1]]),
    );
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain(assets[0].name);
  });

  it('refuses to save a document that references an asset it does not have', async () => {
    const { doc, assets } = docWithAssets();
    const e = await errorOf(saveProject(path.join(tmp, 'X.camtrack'), doc, [assets[0]]));
    expect(e.code).toBe('not-found');
    expect(e.message).toContain(assets[1].name);
  });

  it('refuses an invalid document, naming the path', async () => {
    const { doc } = docWithAssets();
    const bad = { ...doc, render: { ...doc.render, width: -5 } };
    const e = await errorOf(saveProject(path.join(tmp, 'X.camtrack'), bad));
    expect(e.code).toBe('bad-input');
    expect(e.message).toContain('render.width');
    await expect(fs.stat(path.join(tmp, 'X.camtrack'))).rejects.toThrow();
  });

  it('will not write into a folder that is not a project', async () => {
    const home = path.join(tmp, 'Documents');
    await fs.mkdir(home);
    await fs.writeFile(path.join(home, 'letter.txt'), 'hi');
    const e = await errorOf(saveProject(home, createProject('A')));
    expect(e.code).toBe('bad-input');
    expect(await fs.readdir(home)).toEqual(['letter.txt']);
  });
});

describe('atomic save', () => {
  it('a save that dies at the final rename leaves the old project.json intact and no temp files', async () => {
    const dir = path.join(tmp, 'A.camtrack');
    const one = docWithAssets(1);
    await saveProject(dir, one.doc, one.assets);
    const before = await fs.readFile(path.join(dir, 'project.json'));

    const rename = fs.rename.bind(fs);
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (path.basename(String(to)) === 'project.json')
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: String(to) });
      return rename(from, to);
    });
    const two = docWithAssets(2);
    const e = await errorOf(saveProject(dir, { ...two.doc, name: 'Changed' }, two.assets));
    expect(e.code).toBe('disk-full');
    vi.restoreAllMocks();

    expect(await fs.readFile(path.join(dir, 'project.json'))).toEqual(before);
    const names = await listTree(dir);
    expect(names.filter((n) => /\.tmp$|partial/.test(path.basename(n)))).toEqual([]);
    // The old project opens as it was; the new assets written before the failure are orphans
    // (unreferenced) and the old ones are all still there.
    const opened = await openProject(dir);
    expect(opened.doc.name).toBe('Street');
    expect(canonicalJson(opened.doc.image)).toBe(canonicalJson(one.doc.image));
    // The next successful save collects the orphans.
    const r = await saveProject(dir, opened.doc, [], { gcGraceMs: 0 });
    expect(r.removedAssets.sort()).toEqual(two.assets.map((a) => a.name).sort());
  });
});

describe('open refusals leave the project untouched', () => {
  async function projectWith(text: string): Promise<{ dir: string; snapshot: () => Promise<string> }> {
    const dir = path.join(tmp, 'Bad.camtrack');
    await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dir, 'project.json'), text);
    const snapshot = async () => {
      const files = await listTree(dir);
      const parts = await Promise.all(
        files.map(async (f) => `${f}:${sha256Hex(await fs.readFile(path.join(dir, f)))}`),
      );
      return parts.join('\n');
    };
    return { dir, snapshot };
  }

  it('corrupt JSON: bad-file naming the file and position', async () => {
    const good = projectJsonText(createProject('A'));
    const { dir, snapshot } = await projectWith(good.replace('"fps": 7', '"fps": 7,,'));
    const before = await snapshot();
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain(path.join(dir, 'project.json'));
    expect(e.message).toMatch(/line \d+, column \d+/);
    expect(await snapshot()).toBe(before);
  });

  it('truncated file: bad-file, cut off', async () => {
    const good = projectJsonText(createProject('A'));
    const { dir, snapshot } = await projectWith(good.slice(0, Math.floor(good.length / 2)));
    const before = await snapshot();
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('truncated');
    expect(await snapshot()).toBe(before);
  });

  it('schema-invalid document: the message has the JSON path', async () => {
    const doc = createProject('A') as unknown as { render: Record<string, unknown> };
    doc.render.format = 'avi';
    const { dir, snapshot } = await projectWith(JSON.stringify(doc));
    const before = await snapshot();
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('render.format');
    expect(await snapshot()).toBe(before);
  });

  it('newer version: newer-version, bytes identical', async () => {
    const doc = { ...createProject('A'), schemaVersion: PROJECT_SCHEMA_VERSION + 1, aNewField: { x: 1 } };
    const { dir, snapshot } = await projectWith(JSON.stringify(doc));
    const before = await snapshot();
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('newer-version');
    expect(e.message).toContain('newer Camtrack Studio');
    expect(await snapshot()).toBe(before);
  });

  it('missing asset: not-found naming it', async () => {
    const dir = path.join(tmp, 'M.camtrack');
    const { doc, assets } = docWithAssets();
    await saveProject(dir, doc, assets);
    await fs.rm(path.join(dir, 'assets', assets[1].name));
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('not-found');
    expect(e.message).toContain(`${assets[1].name} (depth)`);
  });

  it('damaged asset: bad-file naming it', async () => {
    const dir = path.join(tmp, 'D.camtrack');
    const { doc, assets } = docWithAssets();
    await saveProject(dir, doc, assets);
    await fs.writeFile(path.join(dir, 'assets', assets[0].name), 'not the image');
    const e = await errorOf(openProject(dir));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain(assets[0].name);
  });

  it('a folder without project.json, a missing path, and a stray file are refused clearly', async () => {
    await fs.mkdir(path.join(tmp, 'Empty.camtrack'));
    expect((await errorOf(openProject(path.join(tmp, 'Empty.camtrack')))).message).toContain('no project.json');
    expect((await errorOf(openProject(path.join(tmp, 'Nope.camtrack')))).code).toBe('not-found');
    await fs.writeFile(path.join(tmp, 'notes.json'), '{}');
    expect((await errorOf(openProject(path.join(tmp, 'notes.json')))).code).toBe('bad-input');
  });

  it('an older version is migrated in memory and the file is not rewritten', async () => {
    const cur = createProject('Old');
    const { decodeChunk: _d, ...render } = cur.render;
    const rows = Array.from({ length: cur.lambda.steps }, (_, s) =>
      cur.lambda.values.slice(s * cur.lambda.frames, (s + 1) * cur.lambda.frames),
    );
    const v0 = {
      ...cur,
      schemaVersion: 0,
      lambda: { rows, lambdaMin: cur.lambda.lambdaMin, preset: cur.lambda.preset },
      render,
    };
    const { dir, snapshot } = await projectWith(JSON.stringify(v0));
    const before = await snapshot();
    const opened = await openProject(dir);
    expect(opened.migratedFrom).toBe(0);
    expect(opened.doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(opened.doc.lambda.values).toEqual(cur.lambda.values);
    expect(await snapshot()).toBe(before);
  });
});

describe('autosave recovery on open', () => {
  it('offers an autosave that is newer than and different from project.json', async () => {
    const dir = path.join(tmp, 'R.camtrack');
    const { doc, assets } = docWithAssets();
    const saved = await saveProject(dir, doc, assets, { now: () => new Date('2026-03-01T10:00:00Z') });
    const edited = structuredClone(saved.doc);
    edited.track.keyframes.push({ ...edited.track.keyframes[0], id: 'k2', frame: 24, position: [0, 0, -1] });
    const newImg = await storeAsset(dir, 'image', fakePng(5), 'png');
    edited.image = { ...edited.image!, asset: newImg };
    await writeAutosave(dir, edited, [], new Date('2026-03-01T10:05:00Z'));

    const opened = await openProject(dir);
    expect(opened.doc).toEqual(saved.doc);
    expect(opened.autosave?.savedAt).toBe('2026-03-01T10:05:00.000Z');
    expect(opened.autosave?.doc).toEqual(edited);

    // Saving supersedes the autosave: it is removed, and so is nothing the saved doc uses.
    await saveProject(dir, edited);
    expect((await openProject(dir)).autosave).toBeUndefined();
    await expect(fs.stat(path.join(dir, 'project.autosave.json'))).rejects.toThrow();
  });

  it('ignores an older or identical autosave and reports a damaged one without failing the open', async () => {
    const dir = path.join(tmp, 'S.camtrack');
    const saved = await saveProject(dir, createProject('S'), [], { now: () => new Date('2026-03-01T10:00:00Z') });
    await writeAutosave(dir, { ...saved.doc, name: 'older' }, [], new Date('2026-03-01T09:00:00Z'));
    expect((await openProject(dir)).autosave).toBeUndefined();
    await writeAutosave(dir, saved.doc, [], new Date('2026-03-01T11:00:00Z'));
    expect((await openProject(dir)).autosave).toBeUndefined();
    await fs.writeFile(path.join(dir, 'project.autosave.json'), '{"savedAt": "2026-03-01T12:00:00Z", "doc": {');
    const opened = await openProject(dir);
    expect(opened.autosave).toBeUndefined();
    expect(opened.autosaveProblem).toContain('cannot be recovered');
  });
});

describe('save as', () => {
  it('copies the referenced assets, the renders and the queue; the source is unchanged', async () => {
    const from = path.join(tmp, 'A.camtrack');
    const { doc, assets } = docWithAssets();
    await saveProject(from, doc, assets);
    await fs.mkdir(path.join(from, 'renders', 'thumbs'), { recursive: true });
    await fs.writeFile(path.join(from, 'renders', 'r1.mp4'), 'video bytes');
    await fs.writeFile(path.join(from, 'renders', 'r1.json'), '{"seed":42}');
    await fs.writeFile(path.join(from, 'renders', 'thumbs', 'r1.png'), 'thumb');
    await fs.writeFile(path.join(from, 'renders', '.r2.123.abcd.partial.mp4'), 'half a render');
    await fs.writeFile(path.join(from, 'queue.json'), '{"jobs":[]}');
    const fromBefore = await listTree(from);

    const to = path.join(tmp, 'B.camtrack');
    const r = await saveProjectAs(from, to, { ...doc, name: 'B' });
    expect(r.doc.name).toBe('B');
    expect(await listTree(to)).toEqual(
      [
        ...assets.map((a) => `assets/${a.name}`),
        'project.json',
        'queue.json',
        'renders/r1.json',
        'renders/r1.mp4',
        'renders/thumbs/r1.png',
      ].sort(),
    );
    expect(await fs.readFile(path.join(to, 'renders', 'r1.mp4'), 'utf8')).toBe('video bytes');
    expect((await openProject(to)).doc.name).toBe('B');
    expect(await listTree(from)).toEqual(fromBefore);
    // The copies are independent: changing a render in the new project leaves the old one alone.
    await fs.writeFile(path.join(to, 'renders', 'r1.mp4'), 'edited');
    expect(await fs.readFile(path.join(from, 'renders', 'r1.mp4'), 'utf8')).toBe('video bytes');
  });

  it('from a never-saved project takes the assets out of the Untitled folder', async () => {
    const untitled = path.join(tmp, 'appdata', 'Untitled.camtrack');
    const img = await storeAsset(untitled, 'image', fakePng(3), 'png');
    const doc = createProject('Untitled', { image: { asset: img, originalName: 'a.png', width: 4, height: 4 } });
    const to = path.join(tmp, 'New.camtrack');
    await saveProjectAs(untitled, to, doc);
    expect((await openProject(to)).doc.image?.asset).toEqual(img);
  });

  it('refuses an existing non-empty target and leaves nothing behind on failure', async () => {
    const from = path.join(tmp, 'A.camtrack');
    const { doc, assets } = docWithAssets();
    await saveProject(from, doc, assets);
    const other = path.join(tmp, 'Other.camtrack');
    await saveProject(other, createProject('Other'));
    const e = await errorOf(saveProjectAs(from, other, doc));
    expect(e.code).toBe('bad-input');
    expect((await openProject(other)).doc.name).toBe('Other');

    const inside = path.join(from, 'renders', 'Copy.camtrack');
    expect((await errorOf(saveProjectAs(from, inside, doc))).message).toContain('inside the project');

    await fs.rm(path.join(from, 'assets', assets[1].name));
    const to = path.join(tmp, 'C.camtrack');
    const e2 = await errorOf(saveProjectAs(from, to, doc));
    expect(e2.code).toBe('not-found');
    await expect(fs.stat(to)).rejects.toThrow();
  });
});
