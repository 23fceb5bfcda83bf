import { describe, it, expect } from 'vitest';
import { createProject, DEFAULT_FPS, DEFAULT_LAMBDA_MIN, DEFAULT_NUM_FRAMES } from './create';
import { parseProjectText } from './parse';
import { DEFAULT_RENDER_SETTINGS, ProjectDoc } from './schema';
import { CamtrackError } from '../util/errors';
import { defaultLambda } from '../lambda/search';
import { sigmasForSteps } from '../schedule/sigmas';

describe('createProject', () => {
  it('makes a valid 25-frame, 7 fps project with the source camera at frame 0', () => {
    const doc = createProject('Street', { now: new Date('2026-05-06T07:08:09Z') });
    expect(ProjectDoc.safeParse(doc).success).toBe(true);
    expect(doc.name).toBe('Street');
    expect(doc.createdAt).toBe('2026-05-06T07:08:09.000Z');
    expect(doc.track.numFrames).toBe(DEFAULT_NUM_FRAMES);
    expect(DEFAULT_NUM_FRAMES).toBe(25);
    expect(doc.track.fps).toBe(DEFAULT_FPS);
    expect(doc.track.keyframes).toHaveLength(1);
    expect(doc.track.keyframes[0]).toMatchObject({
      frame: 0,
      position: [0, 0, 0],
      orientation: { kind: 'quaternion', q: [0, 0, 0, 1] },
    });
    expect(doc.render).toEqual(DEFAULT_RENDER_SETTINGS);
    expect(doc.image).toBeNull();
    expect(doc.depth).toBeNull();
  });

  it('fills the lambda table with the reference default for its steps and frames, not a constant', () => {
    const doc = createProject('A');
    const { steps, frames, values, preset } = doc.lambda;
    expect([steps, frames]).toEqual([25, 25]);
    const ref = defaultLambda(sigmasForSteps(25), 25);
    expect(values).toEqual(Array.from(ref.table.data));
    expect(preset).toEqual({ kind: 'default', v1: ref.v1, v2: ref.v2, v3: ref.v3 });
    for (let s = 0; s < steps; s++) expect(values[s * frames]).toBe(1); // frame 0 is the photo itself
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBeGreaterThan(25);
  });

  it('puts no floor under the lambda table (lambda_min 0), as the reference DGS sampler passes weight_clamp=None', () => {
    expect(DEFAULT_LAMBDA_MIN).toBe(0);
    expect(createProject('A').lambda.lambdaMin).toBe(0);
    expect(createProject('A', { lambdaMin: 0.25 }).lambda.lambdaMin).toBe(0.25); // still an option
  });

  it('keeps the floor an older project stored (a re-render must give the same video)', () => {
    const old = { ...createProject('Old'), lambda: { ...createProject('Old').lambda, lambdaMin: 0.3 } };
    expect(parseProjectText(JSON.stringify(old), 'old.json').doc.lambda.lambdaMin).toBe(0.3);
  });

  it('sizes the table to other steps and frames', () => {
    const doc = createProject('B', { numFrames: 14, render: { steps: 50 } });
    expect([doc.lambda.steps, doc.lambda.frames, doc.lambda.values.length]).toEqual([50, 14, 700]);
    expect(doc.render.steps).toBe(50);
  });

  it('refuses impossible options with the field named', () => {
    expect(() => createProject('C', { fps: -1 })).toThrow(CamtrackError);
    expect(() => createProject('C', { fps: -1 })).toThrow(/track\.fps/);
  });
});
