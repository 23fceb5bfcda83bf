import { describe, expect, it } from 'vitest';
import { apiInputs } from './contract';
import { parseFarmSpec, specFromDoc } from '../engine/farm/spec';
import { createProject } from '../engine/project/create';
import { ProjectDoc } from '../engine/project/schema';
import { openProject } from '../engine/project/store';
import { applyRenderOverrides } from '../engine/render/overrides';
import { sampleProjectDir } from '../test/tinyProject';
import { sigmasForSteps } from '../engine/schedule/sigmas';
import { LIMITS } from '../engine/util/limits';

/**
 * One table of limits (issue 24, item 3): the project schema, the bridge's documents, farm jobs
 * and the render overrides (the CLI's flags) accept a size up to the table's bound and refuse one
 * past it, each with a message that names the field.
 */
const model = { name: 'm', family: 'draft', files: [{ file: 'unet.onnx', sha256: 'a'.repeat(64) }] };
const { doc: sample } = await openProject(sampleProjectDir());

/** The sample with render settings changed (and the track's frames when given). */
function withRender(render: Partial<ProjectDoc['render']>, numFrames?: number): unknown {
  return {
    ...sample,
    render: { ...sample.render, ...render },
    track: { ...sample.track, numFrames: numFrames ?? sample.track.numFrames },
  };
}

/** Every route's verdict on a document: null where accepted, else the message. */
function verdicts(doc: unknown): Record<string, string | null> {
  const msg = (f: () => unknown) => {
    try {
      f();
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const schema = ProjectDoc.safeParse(doc);
  const bridge = apiInputs['render.enqueue'].safeParse({ project: '/p', doc });
  const d = doc as ProjectDoc;
  const spec = msg(() => {
    const s = specFromDoc({
      doc: { ...sample, render: d.render, track: d.track },
      sigmas: sigmasForSteps(sample.render.steps),
      model,
      outputName: 'x.mp4',
      submittedFrom: 'x',
    });
    // A job added straight into Redis is parsed by the worker the same way.
    parseFarmSpec(JSON.parse(JSON.stringify(s)));
  });
  const overrides = msg(() =>
    applyRenderOverrides({ ...sample, track: d.track }, { width: d.render.width, height: d.render.height }),
  );
  return {
    schema: schema.success ? null : schema.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    bridge: bridge.success ? null : bridge.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    farm: spec,
    overrides,
  };
}

describe('one table of limits', () => {
  it('the largest render side is accepted everywhere, one pixel more is refused everywhere', () => {
    const max = LIMITS.renderSide.max;
    for (const v of Object.values(verdicts(withRender({ width: max, height: 64 })))) expect(v).toBeNull();
    for (const [route, v] of Object.entries(verdicts(withRender({ width: max + 1 }))))
      expect(v, route).toMatch(/width/);
    for (const [route, v] of Object.entries(verdicts(withRender({ height: 2 ** 30 }))))
      expect(v, route).toMatch(/height/);
  });

  it('a render past the pixel budget (sides in range, frames in range) is refused by every route', () => {
    // 8192 x 8192 x 25 frames: 1.68 gigapixels.
    const big = withRender({ width: 8192, height: 8192 }, 25);
    for (const [route, v] of Object.entries(verdicts(big))) expect(String(v), route).toMatch(/gigapixels/);
  });

  it('frames, steps and windows past the table are refused by the schema and the bridge', () => {
    const past = [
      withRender({}, LIMITS.frames.max + 1),
      withRender({ steps: LIMITS.steps.max + 1 }),
      withRender({ windowFrames: LIMITS.windowFrames.max + 1 }),
      withRender({ windowOverlap: LIMITS.windowOverlap.max + 1 }),
      { ...sample, lambda: { ...sample.lambda, steps: LIMITS.steps.max + 1 } },
    ];
    for (const doc of past) {
      const v = verdicts(doc);
      expect(v.schema).toMatch(/must be a number ≤|at most/);
      expect(v.bridge).toBe(v.schema!.replaceAll(/^|; /g, (m) => `${m}doc.`));
    }
    const atMax = createProject('Long', { numFrames: LIMITS.frames.max });
    expect(ProjectDoc.safeParse({ ...atMax, render: { ...atMax.render, width: 64, height: 64 } }).success).toBe(true);
  });

  it('the render overrides refuse what the flags would pass on, with the flag ranges in the message', () => {
    expect(() => applyRenderOverrides(sample, { width: 8193 })).toThrow('from 2 to 8192 (got 8193)');
    expect(() => applyRenderOverrides(sample, { steps: 1001 })).toThrow('from 1 to 1000 (got 1001)');
    expect(() => applyRenderOverrides(sample, { windowFrames: 1001 })).toThrow('from 2 to 1000 (got 1001)');
    const long = { ...sample, track: { ...sample.track, numFrames: 25 } };
    expect(() => applyRenderOverrides(long, { width: 8192, height: 8192 })).toThrow(/gigapixels/);
  });
});
