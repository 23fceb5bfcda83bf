import { tempDir } from '../test/tmp';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngineService } from './service';
import { apiInputs, type ApiOutputs } from '../api/contract';
import { allHandlers } from './handlers';
import { defaultLambda } from '../engine/lambda/search';
import { sigmasForSteps } from '../engine/schedule/sigmas';
import { fixture } from '../test/fixtures';

function service() {
  const base = tempDir('svc-');
  const events: string[] = [];
  const svc = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    (e) => events.push(e),
  );
  return { svc, base, events };
}

describe('engine service', () => {
  it('reports versions, providers and ffmpeg', async () => {
    const { svc } = service();
    const info = (await svc.handle('app.info', {})) as ApiOutputs['app.info'];
    expect(info.mode).toBe('browser');
    expect(info.providers.available).toContain('cpu');
    expect(info.providers.chosen).toBeTruthy();
    if (info.providers.chosen === 'cpu') expect(info.providers.reason).toMatch(/No GPU execution provider/);
    expect('path' in info.ffmpeg ? info.ffmpeg.path : info.ffmpeg.error).toMatch(/ffmpeg/);
  });

  it('describes the built-in draft model, and refuses model folders outside what the user chose', async () => {
    const { svc } = service();
    const m = (await svc.handle('model.info', { model: 'draft' })) as ApiOutputs['model.info'];
    expect(m).toMatchObject({ family: 'draft', isDraft: true, frameCounts: 'any' });
    await expect(svc.handle('model.info', { model: '/usr/share' })).rejects.toMatchObject({ code: 'permission' });
  });

  it('creates, imports into, saves and reopens a project in the workspace', async () => {
    const { svc, base } = service();
    const created = (await svc.handle('project.new', { name: 'Shot' })) as ApiOutputs['project.new'];
    expect(created.path).toBeNull();
    expect(created.dir.startsWith(path.join(base, 'data', 'untitled'))).toBe(true);
    const bytes = new Uint8Array(readFileSync(fixture('dtu_scan1', '000001.jpg')));
    const img = (await svc.handle('image.import', {
      project: created.dir,
      name: '000001.jpg',
      bytes,
    })) as ApiOutputs['image.import'];
    expect(img.image).toMatchObject({ width: 1600, height: 1200, originalName: '000001.jpg' });
    expect(img.image.asset.file).toMatch(/^image-[0-9a-f]{16}\.png$/);
    const doc = { ...created.doc, image: img.image };
    const target = path.join(base, 'ws', 'Shot');
    const saved = (await svc.handle('project.save', {
      project: created.dir,
      doc,
      path: target,
    })) as ApiOutputs['project.save'];
    expect(saved.path).toBe(`${target}.camtrack`);
    const opened = (await svc.handle('project.open', { path: saved.path })) as ApiOutputs['project.open'];
    expect(opened.doc.image).toEqual(img.image);
    const asset = (await svc.handle('asset.read', {
      project: opened.dir,
      file: `assets/${img.image.asset.file}`,
    })) as ApiOutputs['asset.read'];
    expect(asset.mime).toBe('image/png');
    expect(Array.from(asset.bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const where = (await svc.handle('file.reveal', {
      project: opened.dir,
      file: `assets/${img.image.asset.file}`,
    })) as ApiOutputs['file.reveal'];
    expect(where).toEqual({ path: path.join(opened.dir, 'assets', img.image.asset.file), revealed: false });
    await expect(svc.handle('file.reveal', { project: opened.dir, file: 'renders/none.mp4' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(svc.handle('file.reveal', { project: opened.dir, file: '../../x' })).rejects.toMatchObject({
      code: 'permission',
    });
    const list = (await svc.handle('workspace.list', {})) as ApiOutputs['workspace.list'];
    expect(list.projects.map((p) => p.name)).toEqual(['Shot']);
  });

  it('keeps every file access inside what the user chose', async () => {
    const { svc } = service();
    const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    await expect(
      svc.handle('asset.read', { project: created.dir, file: '../../../../etc/passwd' }),
    ).rejects.toMatchObject({ code: 'permission' });
    await expect(
      svc.handle('project.save', { project: created.dir, doc: created.doc, path: '/tmp/elsewhere' }),
    ).rejects.toMatchObject({ code: 'permission' });
    await expect(svc.handle('project.autosave', { project: '/etc', doc: created.doc })).rejects.toMatchObject({
      code: 'permission',
    });
    await expect(svc.handle('project.save', { project: created.dir, doc: created.doc })).rejects.toThrow(/never saved/);
  });

  it('refuses a corrupt image with a message naming it', async () => {
    const { svc } = service();
    const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    await expect(
      svc.handle('image.import', {
        project: created.dir,
        name: 'broken.png',
        bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
      }),
    ).rejects.toThrow(/broken\.png/);
  });

  it('has a handler for every method of the contract; lambda.default gives the reference table (issue 12, item 10)', async () => {
    for (const method of Object.keys(apiInputs))
      expect(allHandlers[method as keyof typeof allHandlers], method).toBeTypeOf('function');
    const { svc } = service();
    const d = (await svc.handle('lambda.default', { steps: 25, frames: 14 })) as ApiOutputs['lambda.default'];
    const ref = defaultLambda(sigmasForSteps(25), 14);
    expect(d).toMatchObject({ steps: 25, frames: 14, v1: ref.v1, v2: ref.v2, v3: ref.v3 });
    expect(d.values).toEqual(Array.from(ref.table.data));
    const t = (await svc.handle('lambda.default', {
      steps: 25,
      frames: 14,
      triple: [ref.v1, ref.v2, ref.v3],
    })) as ApiOutputs['lambda.default'];
    expect(t.values).toEqual(d.values);
    await expect(svc.handle('lambda.default', { steps: 25, frames: 14, triple: [-1, 1, 1] })).rejects.toMatchObject({
      code: 'bad-input',
    });
  });
});
