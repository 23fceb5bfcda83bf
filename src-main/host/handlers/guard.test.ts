import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthAsset, type ProjectDoc } from '../../engine/project/schema';
import { sha256Hex } from '../../engine/project/assets';
import { writeTinyProject } from '../../test/tinyProject';
import { createEngineService, type EngineService } from '../service';

/**
 * The path guard around assets and model folders (issue 12, items 2 and 3): a project's assets
 * are read only from inside its assets folder and only when their bytes match the recorded
 * sha256; a render's model folder is checked like model.info's.
 */
let base: string;
let workspace: string;
let project: string;
let doc: ProjectDoc;
let outside: string;
let service: EngineService;
const call = <T>(method: string, input: unknown) => service.handle(method, input) as Promise<T>;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-guard-'));
  workspace = path.join(base, 'ws');
  project = path.join(workspace, 'tiny.camtrack');
  doc = await writeTinyProject(project);
  outside = path.join(base, 'outside');
  await fs.mkdir(outside);
  service = createEngineService({ mode: 'browser', appDataDir: path.join(base, 'data'), workspace }, () => undefined);
});
afterAll(() => fs.rm(base, { recursive: true, force: true }));

/** A copy of the tiny project whose `kind` asset is a symlink to a secret file outside the workspace, the document claiming the secret's true hash. */
async function projectWithLinkedAsset(
  name: string,
  kind: 'image' | 'depth',
): Promise<{ dir: string; doc: ProjectDoc }> {
  const dir = path.join(workspace, name);
  await fs.cp(project, dir, { recursive: true });
  const ref = kind === 'image' ? doc.image!.asset : depthAsset(doc.depth!)!;
  const secret = path.join(outside, `secret-${kind}${path.extname(ref.file)}`);
  await fs.copyFile(path.join(project, 'assets', ref.file), secret);
  const sha256 = sha256Hex(await fs.readFile(secret));
  await fs.rm(path.join(dir, 'assets', ref.file));
  await fs.symlink(secret, path.join(dir, 'assets', ref.file));
  const linked: ProjectDoc =
    kind === 'image'
      ? { ...doc, image: { ...doc.image!, asset: { ...ref, sha256 } } }
      : {
          ...doc,
          depth: { ...doc.depth!, source: { type: 'file', originalName: 'd.npy', asset: { ...ref, sha256 } } },
        };
  return { dir, doc: linked };
}

describe('assets are read through the guard', () => {
  it('warp.frame refuses a photo asset that is a symlink out of the project', async () => {
    const p = await projectWithLinkedAsset('linked-photo.camtrack', 'image');
    await expect(call('warp.frame', { project: p.dir, doc: p.doc, frame: 1, maxSide: 64 })).rejects.toMatchObject({
      code: 'permission',
      message: expect.stringMatching(/link to a file outside/),
    });
  });

  it('depth.preview and warp.frame refuse a depth asset that is a symlink out of the project', async () => {
    const p = await projectWithLinkedAsset('linked-depth.camtrack', 'depth');
    await expect(call('depth.preview', { project: p.dir, doc: p.doc, maxSide: 64 })).rejects.toMatchObject({
      code: 'permission',
    });
    await expect(call('warp.frame', { project: p.dir, doc: p.doc, frame: 1, maxSide: 64 })).rejects.toMatchObject({
      code: 'permission',
    });
  });

  it('the caches hold only bytes verified against the sha256: a changed asset file is refused, not served', async () => {
    const dir = path.join(workspace, 'changed.camtrack');
    await fs.cp(project, dir, { recursive: true });
    await expect(call('warp.frame', { project: dir, doc, frame: 1, maxSide: 64 })).resolves.toMatchObject({ frame: 1 });
    // Another file under the cached asset's name and hash: the claim is checked, not trusted.
    const other = path.join(workspace, 'changed2.camtrack');
    await fs.cp(project, other, { recursive: true });
    const photo = path.join(other, 'assets', doc.image!.asset.file);
    const bytes = await fs.readFile(photo);
    bytes[bytes.length - 20] ^= 0xff;
    await fs.writeFile(photo, bytes);
    const depth = path.join(other, 'assets', depthAsset(doc.depth!)!.file);
    const d = await fs.readFile(depth);
    d[d.length - 1] ^= 0xff;
    await fs.writeFile(depth, d);
    await expect(call('warp.frame', { project: other, doc, frame: 1, maxSide: 64 })).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/sha256/),
    });
    await expect(call('depth.preview', { project: other, doc, maxSide: 64 })).rejects.toMatchObject({
      code: 'bad-file',
    });
  });
});

describe('render.enqueue checks the model folder', () => {
  it('refuses a model folder outside what the user may access (doc or override), the same way whether it exists or not', async () => {
    const real = path.join(outside, 'model');
    await fs.mkdir(real);
    await fs.writeFile(path.join(real, 'model.json'), '{}');
    const missing = path.join(outside, 'no-such-model');
    const errors: { code: string; message: string }[] = [];
    for (const model of [real, missing]) {
      const e = (await call('render.enqueue', { project, doc, overrides: { render: { model } } }).catch(
        (x: unknown) => x,
      )) as { code: string; message: string };
      errors.push(e);
      const viaDoc = await call('render.enqueue', {
        project,
        doc: { ...doc, render: { ...doc.render, model: path.relative(project, model) } },
      }).catch((x) => x);
      expect(viaDoc).toMatchObject({ code: 'permission' });
    }
    expect(errors.map((e) => e.code)).toEqual(['permission', 'permission']);
    expect(errors[0].message.replace(real, 'X')).toBe(errors[1].message.replace(missing, 'X'));
    expect((await call<unknown[]>('render.queue', { project })).length).toBe(0);
  });
});
