/**
 * The command line with a real-architecture SVD model folder (fixtures/tiny-svd, random weights):
 * `models check` accepts both folders, and the committed sample project renders into a valid mp4
 * with SVD's conditioning taken from the model folder, recorded in the sidecar, and reproduced by
 * a re-render from that sidecar.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFromSidecar } from '../../engine/render';
import { readSidecar } from '../../engine/render/sidecar';
import { sampleProjectDir } from '../../test/tinyProject';
import { probeVideo } from '../../engine/video';
import { runCli } from '../../test/cli';
import { tinyModelDir } from '../../test/tinySvd';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-tiny-svd-'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('camtrack with the tiny SVD model folders', () => {
  it.each(['fp32', 'fp16'] as const)('models check accepts the %s folder', { timeout: 300_000 }, async (dtype) => {
    const r = await runCli('models', 'check', tinyModelDir(dtype), '--json');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({
      family: 'svd-xt',
      dtype: dtype === 'fp32' ? 'float32' : 'float16',
      provider: 'cpu',
    });
  });

  it('renders the sample project to a valid mp4, conditioned on the model folder fps (not the export fps), and re-renders it from the sidecar', async () => {
    // The sample plays at 24 fps here: the model must still be told SVD-XT's 7.
    const project = path.join(tmp, 'sample.camtrack');
    await fs.cp(sampleProjectDir(), project, { recursive: true });
    const doc = JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
    doc.track.fps = 24;
    doc.render = { ...doc.render, motionBucketId: null, noiseAugStrength: null, guidanceMin: 1, guidanceMax: 2 };
    await fs.writeFile(path.join(project, 'project.json'), JSON.stringify(doc, null, 2));

    const out = path.join(tmp, 'clip.mp4');
    const r = await runCli(
      'render',
      project,
      '--out',
      out,
      '--model',
      tinyModelDir('fp32'),
      '--steps',
      '2',
      '--ep',
      'cpu',
    );
    expect(r.code, r.err).toBe(0);
    const probe = await probeVideo(out);
    expect(probe).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 14, width: 320, height: 192 });
    expect(probe.fps).toBeCloseTo(24, 6);

    const side = await readSidecar(`${out}.json`);
    expect(side.output.fps).toBe(24);
    expect(side.conditioning).toEqual({
      fps: 7,
      motionBucketId: 127,
      noiseAugStrength: 0.02,
      from: { fps: 'model', motionBucketId: 'model', noiseAugStrength: 'model' },
    });
    expect(side.memory).toMatchObject({ cfgTwoPass: false, decodeChunk: 7 });
    expect(side.model.family).toBe('svd-xt');

    const again = path.join(tmp, 'again.mp4');
    const re = await renderFromSidecar(`${out}.json`, { out: again });
    expect(re.sidecar.conditioning).toMatchObject({ fps: 7, motionBucketId: 127, noiseAugStrength: 0.02 });
    expect(re.sidecar.output.fps).toBe(24);
    // Same inputs, model and provider: the same frames, so ffmpeg writes the same bytes.
    expect((await fs.readFile(again)).equals(await fs.readFile(out))).toBe(true);
  }, 600_000);
});
