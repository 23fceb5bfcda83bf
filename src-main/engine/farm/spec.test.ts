import { describe, expect, it } from 'vitest';
import { openProject } from '../project/store';
import { sampleProjectDir } from '../../test/tinyProject';
import { sigmasForSteps } from '../schedule/sigmas';
import { docFromSpec, parseFarmSpec, specFromDoc } from './spec';
import { depthAsset } from '../project/schema';

const model = { name: 'm', family: 'draft', files: [{ file: 'unet.onnx', sha256: 'a'.repeat(64) }] };

describe('farm job specs', () => {
  it('carry everything that decides the frames, and give back the same project document (assets by hash on the farm root)', async () => {
    const { doc } = await openProject(sampleProjectDir());
    const spec = specFromDoc({
      doc,
      sigmas: sigmasForSteps(doc.render.steps),
      model,
      outputName: 'shot.mp4',
      submittedFrom: 'studio-1',
    });
    expect(spec.output).toBe('renders/shot.mp4');
    expect(spec.assets.image).toEqual({
      path: `assets/${doc.image!.asset.sha256}.png`,
      sha256: doc.image!.asset.sha256,
    });
    expect(spec.assets.depth.path).toBe(`assets/${depthAsset(doc.depth!)!.sha256}.npy`);
    expect(spec.sigmas).toHaveLength(doc.render.steps + 1);
    // Through JSON (the queue) and back.
    const back = docFromSpec(parseFarmSpec(JSON.parse(JSON.stringify(spec))), '/models/m');
    expect(back.track).toEqual(doc.track);
    expect(back.lambda).toEqual(doc.lambda);
    expect(back.depth!.mapping).toEqual(doc.depth!.mapping);
    expect(back.render).toEqual({ ...doc.render, model: '/models/m' });
    // A job queued before the mesh warp names none: it splatted, and renders so on the worker.
    const old = JSON.parse(JSON.stringify(spec));
    delete old.settings.warp;
    expect(docFromSpec(parseFarmSpec(old), '/models/m').render.warp).toBe('splat');
    expect(back.render.warp).toBe(doc.render.warp);
    expect(back.image).toEqual({
      ...doc.image,
      asset: { file: `${doc.image!.asset.sha256}.png`, sha256: doc.image!.asset.sha256 },
    });
  });

  it('refuses an output name with folders or the wrong extension, and a spec whose schedule does not fit its steps', async () => {
    const { doc } = await openProject(sampleProjectDir());
    const base = { doc, sigmas: sigmasForSteps(doc.render.steps), model, submittedFrom: 'x' };
    expect(() => specFromDoc({ ...base, outputName: '../x.mp4' })).toThrow(/plain file name/);
    expect(() => specFromDoc({ ...base, outputName: 'x.webm' })).toThrow(/must end in \.mp4/);
    const spec = specFromDoc({ ...base, outputName: 'x.mp4' });
    expect(() => parseFarmSpec({ ...spec, sigmas: spec.sigmas.slice(1) })).toThrow(
      /schedule has 24 steps, its settings 25/,
    );
    expect(() => parseFarmSpec({ ...spec, model: { ...model, files: [{ file: 'u', sha256: 'xyz' }] } })).toThrow(
      /model\.files\.0\.sha256/,
    );
  });
});
