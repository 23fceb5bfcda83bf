import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiOutputs } from '../../api/contract';
import { writeSparseViewDataset } from '../../test/sparseViews';
import { startServer } from '../../server/serve';
import { connectBridge } from '../../test/bridgeClient';
import { fixture } from '../../test/fixtures';
import { createEngineService, type EngineService } from '../service';
import { chosenRelativePath, findViewSet } from './views';

/** "New project from views…" (project.fromViews): files the person chose, as bytes, through the guard. */
let base: string;
let data: string;
let service: EngineService;
type Opened = ApiOutputs['project.fromViews'];
const call = <T>(method: string, input: unknown) => service.handle(method, input) as Promise<T>;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-views-'));
  data = path.join(base, 'data');
  service = createEngineService(
    { mode: 'browser', appDataDir: data, workspace: path.join(base, 'ws') },
    () => undefined,
  );
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** A folder's files as the UI sends them: names relative to the folder's parent (the browser's webkitRelativePath), bytes. */
async function chosenFiles(dir: string, as = path.basename(dir)): Promise<{ path: string; bytes: Uint8Array }[]> {
  const out = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out.push({
      path: [as, ...path.relative(dir, full).split(path.sep)].join('/'),
      bytes: new Uint8Array(await fs.readFile(full)),
    });
  }
  return out;
}

const leftovers = async () => (await fs.readdir(data)).filter((n) => n.startsWith('views-import-'));

describe('project.fromViews', () => {
  it('an MVSNet folder (DTU scan 1, views 2 then 1) becomes a never-saved sparse-view project whose depth the 3D view can show', async () => {
    const files = await chosenFiles(fixture('dtu_scan1_mvsnet'));
    const opened = await call<Opened>('project.fromViews', { files, views: [2, 1], numFrames: 9 });
    expect(opened.path).toBeNull();
    expect(opened.dir.startsWith(path.join(data, 'untitled') + path.sep)).toBe(true);
    await expect(fs.stat(path.join(opened.dir, 'project.json'))).rejects.toThrow();
    expect(opened.doc.image).toMatchObject({ originalName: '00000002.png', width: 160, height: 128 });
    expect(opened.doc.sources.map((v) => v.name)).toEqual(['00000001.png']);
    expect(opened.doc.track.numFrames).toBe(9);
    expect(opened.doc.name).toBe('dtu_scan1_mvsnet');
    expect(await leftovers()).toEqual([]);
    // The working folder is usable at once: the source view's own depth for the 3D view.
    const preview = await call<ApiOutputs['depth.preview']>('depth.preview', {
      project: opened.dir,
      doc: opened.doc,
      maxSide: 80,
      view: opened.doc.sources[0].id,
    });
    expect([preview.width, preview.height]).toEqual([80, 64]);
    const z = Array.from(preview.depth).filter(Number.isFinite);
    expect(z.length).toBeGreaterThan(1000);
    expect(Math.min(...z)).toBeGreaterThan(400);
    expect(Math.max(...z)).toBeLessThan(1000);
  });

  it('a transforms.json folder works the same, over the real WebSocket bridge', async () => {
    const set = await writeSparseViewDataset(path.join(base, 'set'));
    const ui = path.join(base, 'ui');
    await fs.mkdir(ui, { recursive: true });
    await fs.writeFile(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
    const server = await startServer({
      workspace: path.join(base, 'ws2'),
      appDataDir: path.join(base, 'data2'),
      rendererDir: ui,
    });
    const bridge = connectBridge(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    try {
      await bridge.opened;
      const opened = await bridge.call<Opened>('project.fromViews', {
        files: await chosenFiles(path.dirname(set.transforms)),
        numFrames: 5,
      });
      expect(opened.doc.sources.map((v) => v.name)).toEqual(['right.png']);
      expect(opened.doc.name).toBe('set');
      expect(opened.doc.image).toMatchObject({ originalName: 'left.png', width: 128, height: 64 });
      await expect(bridge.call('project.fromViews', { files: [] })).rejects.toThrow(
        /Invalid input for project\.fromViews: files/,
      );
    } finally {
      bridge.close();
      await server.close();
    }
  });

  it('refuses names that leave the chosen folder, transforms.json paths that do, and says what is missing in the names chosen', async () => {
    const set = await writeSparseViewDataset(path.join(base, 'set2'));
    const files = await chosenFiles(path.dirname(set.transforms), 'set2');
    await expect(
      call('project.fromViews', { files: [...files, { path: 'set2/../../escape.png', bytes: new Uint8Array([1]) }] }),
    ).rejects.toMatchObject({
      code: 'permission',
      message: expect.stringMatching(/"set2\/\.\.\/\.\.\/escape\.png" is not a plain name inside the chosen folder/),
    });
    await expect(
      call('project.fromViews', { files: [{ path: '/etc/passwd', bytes: new Uint8Array([1]) }] }),
    ).rejects.toMatchObject({ code: 'permission' });

    // A transforms.json naming a file outside its folder: refused before anything is read.
    const json = JSON.parse(await fs.readFile(set.transforms, 'utf8'));
    json.frames[1].file_path = '../outside/right.png';
    const escaping = files.map((f) =>
      f.path.endsWith('transforms.json') ? { ...f, bytes: new TextEncoder().encode(JSON.stringify(json)) } : f,
    );
    await expect(call('project.fromViews', { files: escaping })).rejects.toThrow(
      /frame 1: "file_path" \.\.\/outside\/right\.png leads outside the folder of the transforms\.json/,
    );

    // A missing depth map is named as the person knows it, not by the staging folder.
    const dtu = (await chosenFiles(fixture('dtu_scan1_mvsnet'), 'dtu')).filter(
      (f) => f.path !== 'dtu/depths/00000002.pfm',
    );
    const err = await call('project.fromViews', { files: dtu }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/View 2 has no depth map in dtu\/depths/);
    expect((err as Error).message).not.toMatch(/views-import-/);
    await expect(
      call('project.fromViews', { files: [{ path: 'a/readme.txt', bytes: new Uint8Array([1]) }] }),
    ).rejects.toThrow(/neither a nerfstudio transforms\.json nor an MVSNet layout/);
    // Nothing is left behind by the failures: no staging folders, no half-made projects.
    expect(await leftovers()).toEqual([]);
    const untitled = await fs.readdir(path.join(data, 'untitled'));
    expect(untitled.filter((n) => n.startsWith('Views-'))).toHaveLength(1);
  });

  it('chosen names and the view set are found as documented', () => {
    expect(chosenRelativePath('a/./b.png')).toBe('a/b.png');
    expect(chosenRelativePath('a\\b.png')).toBe('a/b.png');
    for (const bad of ['../x', 'a//b', 'C:/x', '/x', 'a/../b'])
      expect(() => chosenRelativePath(bad)).toThrow(/not a plain name/);
    expect(findViewSet(['s/images/a.png', 's/sub/transforms.json', 's/transforms.json'])).toEqual({
      format: 'transforms',
      at: 's/transforms.json',
    });
    expect(findViewSet(['d/cams/00000001_cam.txt', 'd/images/00000001.png'])).toEqual({ format: 'mvsnet', at: 'd' });
    expect(findViewSet(['cams/00000001_cam.txt'])).toEqual({ format: 'mvsnet', at: '.' });
    expect(() => findViewSet(['d/cams/00000001_cam.txt'], 'transforms')).toThrow(/no transforms\.json/);
  });
});
