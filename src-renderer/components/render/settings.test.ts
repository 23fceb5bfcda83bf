import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../src-main/api/contract';
import { ProjectDoc } from '../../../src-main/engine/project/schema';
import { createProject } from '../../../src-main/engine/project/create';
import {
  crfRange,
  frameCountIssue,
  intError,
  presetOf,
  randomSeed,
  renderBlockers,
  sizeError,
  variantSeeds,
  withRender,
  type ModelState,
} from './settings';

const svdXt: ModelInfo = {
  name: 'SVD-XT 1.1',
  family: 'svd-xt',
  isDraft: false,
  isPreview: false,
  frameCounts: [25],
  size: { width: 1024, height: 576 },
  dtype: 'float16',
};
const svd: ModelInfo = { ...svdXt, name: 'SVD', family: 'svd', frameCounts: [25, 14] };
const draft: ModelInfo = {
  name: 'Draft',
  family: 'draft',
  isDraft: true,
  isPreview: false,
  frameCounts: 'any',
  size: { width: 1024, height: 576 },
  dtype: 'float32',
};

function readyDoc(): ProjectDoc {
  const doc = createProject('Test');
  const asset = { file: 'a.png', sha256: 'a'.repeat(64) };
  return ProjectDoc.parse({
    ...doc,
    image: {
      asset,
      originalName: 'a.png',
      width: 512,
      height: 288,
      intrinsics: { fx: 443, fy: 443, cx: 256, cy: 144 },
    },
    depth: {
      source: { type: 'file', asset: { file: 'd.npy', sha256: 'b'.repeat(64) }, originalName: 'd.npy' },
      mapping: { kind: 'depth', scale: 1, near: 0.0001, far: 1000 },
    },
  });
}

describe('render size', () => {
  it('accepts multiples of 64 and says which neighbours to use otherwise', () => {
    expect(sizeError('Width', 256)).toBeNull();
    expect(sizeError('Height', 576)).toBeNull();
    expect(sizeError('Width', 300)).toBe('Width must be a multiple of 64 (try 256 or 320).');
    expect(sizeError('Height', 10)).toBe('Height must be a multiple of 64 (try 64).');
    expect(sizeError('Width', 0)).toMatch(/positive whole number/);
    expect(sizeError('Width', 128.5)).toMatch(/positive whole number/);
    expect(sizeError('Width', 4160)).toMatch(/at most 4096/);
  });
  it('names the preset a size matches', () => {
    expect(presetOf(1024, 576)).toBe('svd');
    expect(presetOf(256, 128)).toBe('draft');
    expect(presetOf(512, 288)).toBe('half');
    expect(presetOf(640, 384)).toBe('custom');
  });
});

describe('seeds', () => {
  it('variants are the current seed and the next ones, wrapping at 2^32', () => {
    expect(variantSeeds(42, 3)).toEqual([42, 43, 44]);
    expect(variantSeeds(2 ** 32 - 2, 3)).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 0]);
    expect(variantSeeds(7, 0)).toEqual([7]);
  });
  it('random seeds cover the whole unsigned 32-bit range', () => {
    expect(randomSeed(() => 0)).toBe(0);
    expect(randomSeed(() => 0.5)).toBe(2 ** 31);
    expect(randomSeed(() => 1 - 2 ** -40)).toBe(2 ** 32 - 1);
    const s = randomSeed();
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
  it('integer checks name the field', () => {
    expect(intError('Seed', 2 ** 32, 0, 2 ** 32 - 1)).toBe('Seed must be between 0 and 4294967295.');
    expect(intError('Steps', 2.5, 1, 1000)).toBe('Steps must be a whole number.');
    expect(intError('Steps', 4, 1, 1000)).toBeNull();
  });
});

describe('frame counts and blockers', () => {
  it('flags a frame count the model does not render natively, pointing at the nearest one', () => {
    expect(frameCountIssue(draft, 37)).toBeNull();
    expect(frameCountIssue(svdXt, 25)).toBeNull();
    expect(frameCountIssue(svd, 14)).toBeNull();
    expect(frameCountIssue(svd, 16)).toBe(
      "SVD renders 14 or 25 frames natively; the track has 16. Set the track's length to 14 frames (timeline) or use a model trained for 16.",
    );
    expect(frameCountIssue(svdXt, 14)).toMatch(
      /renders 25 frames natively; the track has 14\. Set the track's length to 25/,
    );
  });

  it('lists every reason a render cannot start, and none for a ready project', () => {
    const ok: ModelState = { status: 'ok', info: draft };
    const doc = readyDoc();
    expect(renderBlockers(doc, ok)).toEqual([]);
    const bare = createProject('Bare');
    expect(renderBlockers(bare, ok)).toEqual([
      'Import a photo first (File > Import Image).',
      'Give the photo depth first (Inspector > Depth): a shape, a depth file or an estimate.',
    ]);
    const fourteen = ProjectDoc.parse({
      ...doc,
      track: { ...doc.track, numFrames: 14 },
      lambda: createProject('L', { numFrames: 14 }).lambda,
    });
    expect(renderBlockers(fourteen, { status: 'ok', info: svd })).toEqual([]);
    expect(renderBlockers(fourteen, { status: 'ok', info: svdXt })).toEqual([frameCountIssue(svdXt, 14)]);
    expect(frameCountIssue(svdXt, 14)).not.toBeNull();
    expect(renderBlockers(doc, { status: 'error', message: 'No model.json in /x.' })).toEqual([
      'The model cannot be used: No model.json in /x.',
    ]);
    const odd = withRender(doc, { width: 300, guidanceMin: 4, guidanceMax: 2 });
    expect(renderBlockers(odd, ok)).toEqual([
      'Width must be a multiple of 64 (try 256 or 320).',
      'Guidance min (4) is above guidance max (2).',
    ]);
    const mismatch = withRender(doc, { steps: doc.lambda.steps + 1 });
    expect(renderBlockers(mismatch, ok)).toHaveLength(1);
    expect(renderBlockers(mismatch, ok)[0]).toMatch(/^The lambda table is \d+ steps × \d+ frames but the render needs/);
    expect(renderBlockers(null, ok)).toEqual(['No project is open.']);
  });

  it('a preview takes any even size; a depth of another aspect blocks the render with what to do', () => {
    const preview: ModelState = {
      status: 'ok',
      info: { ...draft, name: 'Preview', family: 'preview', isDraft: false, isPreview: true },
    };
    const doc = readyDoc();
    expect(renderBlockers(withRender(doc, { width: 300, height: 170 }), preview)).toEqual([]);
    expect(renderBlockers(withRender(doc, { width: 301, height: 170 }), preview)).toEqual([
      "Width must be even (the video's colour planes are half size).",
    ]);
    expect(renderBlockers(withRender(doc, { width: 300, height: 170 }), { status: 'ok', info: draft })).toHaveLength(2);
    const mismatch = {
      code: 'shape-mismatch',
      message:
        'The depth is 160x128 (aspect 1.250) but the photo is 1600x1200 (aspect 1.333): they cannot be the same view. Use the depth map made for this photo.',
    };
    expect(renderBlockers(doc, preview, mismatch)).toEqual([
      'The depth is 160x128 (aspect 1.250) but the photo is 1600x1200 (aspect 1.333): they cannot be the same view. Fit the depth to the photo or crop the photo to the depth (Inspector > Depth).',
    ]);
    expect(renderBlockers(doc, preview, { code: 'not-found', message: 'The depth file is missing.' })).toEqual([
      'The depth cannot be used: The depth file is missing.',
    ]);
  });

  it('withRender changes only the render settings', () => {
    const doc = readyDoc();
    const next = withRender(doc, { seed: 7 });
    expect(next.render).toEqual({ ...doc.render, seed: 7 });
    expect(next.track).toBe(doc.track);
    expect(doc.render.seed).not.toBe(7);
  });

  it('CRF ranges follow the codec', () => {
    expect(crfRange('mp4')).toEqual({ min: 0, max: 51 });
    expect(crfRange('webm')).toEqual({ min: 0, max: 63 });
    expect(crfRange('gif')).toBeNull();
    expect(crfRange('png')).toBeNull();
  });
});
