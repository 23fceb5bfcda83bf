import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/fixtures';
import { createProject } from '../project/create';
import { DEFAULT_RENDER_SETTINGS } from '../project/schema';
import { karrasSigmas } from '../schedule/karras';
import { CamtrackError } from '../util/errors';
import {
  karrasScheduleRecord,
  LAMBDA_INLINE_MAX,
  lambdaValuesSha256,
  readSidecar,
  readSidecarLambda,
  sidecarPathFor,
  validateSidecar,
  writeSidecar,
  type RenderSidecarInput,
} from './sidecar';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-sidecar-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function input(steps: number, frames: number): RenderSidecarInput {
  const project = createProject('sidecar', { numFrames: frames, render: { steps } });
  const values = Array.from({ length: steps * frames }, (_, i) => (i % frames === 0 ? 1 : ((i * 7919) % 1000) / 1000));
  return {
    app: { name: 'Camtrack Studio', version: '0.1.0' },
    createdAt: '2026-11-25T17:30:00.000Z',
    output: { format: 'mp4', width: 1024, height: 576, frames, fps: 7, crf: 18, bytes: 123456 },
    source: {
      asset: { file: `${SHA_A}.jpg`, sha256: SHA_A },
      originalName: 'porch.jpg',
      width: 1600,
      height: 900,
      intrinsics: { fx: 1386, fy: 1386, cx: 800, cy: 450 },
    },
    depth: {
      source: { type: 'file', asset: { file: `${SHA_B}.npy`, sha256: SHA_B }, originalName: 'porch_depth.npy' },
      mapping: { kind: 'disparity', scale: 10000, near: 1e-4, far: 500 },
    },
    camera: { track: project.track, evaluatedFrames: frames },
    schedule: karrasScheduleRecord(karrasSigmas(steps)),
    lambda: { steps, frames, values, lambdaMin: 0.3, preset: { kind: 'custom' } },
    settings: { ...DEFAULT_RENDER_SETTINGS, steps, seed: 1234 },
    model: {
      name: 'svd-xt-1.1',
      family: 'svd-xt',
      dtype: 'float16',
      location: '/models/svd-xt',
      files: [{ file: 'unet/model.onnx', sha256: SHA_A, bytes: 10 }],
    },
    executionProvider: { requested: 'auto', used: 'cpu', fallbackReason: 'cuda: libcudart.so.12 not found' },
    timings: [
      { stage: 'warp', ms: 120.5 },
      { stage: 'denoise', ms: 90000 },
      { stage: 'encode', ms: 800 },
    ],
    host: { platform: 'linux', arch: 'x64', node: 'v20.20.2' },
  };
}

describe('render sidecar', () => {
  it('writes <output>.json and reads back the same sidecar, table inline with its hash', async () => {
    const out = path.join(dir, 'clip.mp4');
    const given = input(25, 25);
    const w = await writeSidecar(out, given);
    expect(w.path).toBe(path.join(dir, 'clip.mp4.json'));
    expect(w.lambdaFile).toBeNull();
    const back = await readSidecar(sidecarPathFor(out));
    expect(back).toEqual(w.sidecar);
    expect(back.output.file).toBe('clip.mp4');
    expect(back.settings.seed).toBe(1234);
    expect(back.schedule.sigmas.slice(0, 2)).toEqual([700, Math.fround(545.72925)]);
    expect(back.schedule.sigmas.at(-1)).toBe(0);
    expect(back.lambda.table).toEqual({ storage: 'inline', values: given.lambda.values });
    expect(back.lambda.sha256).toBe(lambdaValuesSha256(given.lambda.values));
    const table = await readSidecarLambda(w.path, back);
    expect([table.steps, table.frames]).toEqual([25, 25]);
    expect(Array.from(table.data)).toEqual(given.lambda.values);
  });

  it('a table larger than 100x100 goes to its own file, checked by hash when read', async () => {
    const out = path.join(dir, 'long.webm');
    const given = input(101, 100);
    given.output.format = 'webm';
    given.settings.format = 'webm';
    expect(101 * 100).toBeGreaterThan(LAMBDA_INLINE_MAX);
    const w = await writeSidecar(out, given);
    expect(w.lambdaFile).toBe(path.join(dir, 'long.webm.lambda.json'));
    expect(w.sidecar.lambda.table).toEqual({ storage: 'file', file: 'long.webm.lambda.json' });
    const back = await readSidecar(w.path);
    const table = await readSidecarLambda(w.path, back);
    expect(table.data[100 * 100 + 3]).toBe(given.lambda.values[100 * 100 + 3]);
    // Someone edits the table file after the render: the hash no longer matches.
    const f = JSON.parse(await fs.readFile(w.lambdaFile!, 'utf8'));
    f.values[5] = 0.123;
    await fs.writeFile(w.lambdaFile!, JSON.stringify(f));
    await expect(readSidecarLambda(w.path, back)).rejects.toThrow(/does not match its recorded sha256/);
  });

  it('app and host default to this build and this machine', async () => {
    const { app: _a, host: _h, ...rest } = input(3, 2);
    const w = await writeSidecar(path.join(dir, 'defaults.mp4'), rest);
    expect(w.sidecar.app).toEqual({
      name: 'Camtrack Studio',
      version: JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')).version,
    });
    expect(w.sidecar.host).toEqual({ platform: process.platform, arch: process.arch, node: process.version });
  });

  it('a sidecar that does not name its warp was written before the mesh warp: it re-renders with the splatting it used', async () => {
    const w = await writeSidecar(path.join(dir, 'warp.mp4'), input(3, 2));
    const raw = JSON.parse(await fs.readFile(w.path, 'utf8'));
    expect(validateSidecar(raw, 'new.json').settings.warp).toBe('mesh');
    delete raw.settings.warp;
    expect(validateSidecar(raw, 'old.json').settings.warp).toBe('splat');
  });

  it('the hash is of the values, not of how they are stored', () => {
    expect(lambdaValuesSha256([1, 0.5])).toBe(lambdaValuesSha256(new Float64Array([1, 0.5])));
    expect(lambdaValuesSha256([1, 0.5])).not.toBe(lambdaValuesSha256([0.5, 1]));
  });

  it('refuses inconsistent sidecars, naming the field', async () => {
    const given = input(25, 25);
    await expect(
      writeSidecar(path.join(dir, 'x.mp4'), {
        ...given,
        schedule: { ...given.schedule, sigmas: given.schedule.sigmas.slice(1) },
      }),
    ).rejects.toThrow(/schedule\.sigmas: 25 steps need 26 sigmas/);
    await expect(
      writeSidecar(path.join(dir, 'x.mp4'), { ...given, camera: { ...given.camera, evaluatedFrames: 14 } }),
    ).rejects.toThrow(/lambda\.frames: the lambda table has 25 frames, the track 14/);
    await expect(
      writeSidecar(path.join(dir, 'x.mp4'), { ...given, lambda: { ...given.lambda, values: [1, 2] } }),
    ).rejects.toMatchObject({ code: 'shape-mismatch' });
    await expect(
      writeSidecar(path.join(dir, 'x.mp4'), {
        ...given,
        executionProvider: { requested: 'auto', used: 'auto' as 'cpu', fallbackReason: null },
      }),
    ).rejects.toThrow(/executionProvider\.used/);
    await expect(fs.access(path.join(dir, 'x.mp4.json'))).rejects.toThrow();
  });

  it('a newer sidecar version and a corrupt file are refused with their own codes', async () => {
    const w = await writeSidecar(path.join(dir, 'v.gif'), {
      ...input(4, 3),
      output: { ...input(4, 3).output, format: 'gif', crf: null },
      settings: { ...input(4, 3).settings, format: 'gif' },
    });
    const raw = JSON.parse(await fs.readFile(w.path, 'utf8'));
    let e: unknown = null;
    try {
      validateSidecar({ ...raw, sidecarVersion: 2 }, 'v.gif.json');
    } catch (err) {
      e = err;
    }
    expect((e as CamtrackError).code).toBe('newer-version');
    await fs.writeFile(w.path, '{"kind": "camtrack-render", ');
    await expect(readSidecar(w.path)).rejects.toMatchObject({ code: 'bad-file' });
    await expect(readSidecar(path.join(dir, 'none.json'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
