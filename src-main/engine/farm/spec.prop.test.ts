import { describe, expect, it } from 'vitest';
import { checkAll, checkTextScaling, isCamtrack, judge, mutatedJsonText, show } from '../../test/fuzz';
import {
  expectLambdaWithinLimits,
  expectRenderWithinLimits,
  expectTrackWithinLimits,
  boundaryEdits,
  STATED,
} from '../../test/statedLimits';
import { openProject } from '../project/store';
import { sampleProjectDir } from '../../test/tinyProject';
import { sigmasForSteps } from '../schedule/sigmas';
import { parseFarmSpec, specFromDoc, type FarmJobSpec } from './spec';

/**
 * Property-based tests of farm job specs as a worker takes them from Redis (issue 24): nothing in
 * a job is trusted, so every spec a worker accepts is within the limits as stated on their own.
 */
const { doc } = await openProject(sampleProjectDir());
const model = { name: 'm', family: 'draft', files: [{ file: 'unet.onnx', sha256: 'a'.repeat(64) }] };
const seed = JSON.parse(
  JSON.stringify(
    specFromDoc({ doc, sigmas: sigmasForSteps(doc.render.steps), model, outputName: 'x.mp4', submittedFrom: 'h' }),
  ),
) as FarmJobSpec;

function accept(s: FarmJobSpec): void {
  expectTrackWithinLimits(s.track);
  expectRenderWithinLimits(s.settings, 'settings');
  expectLambdaWithinLimits(s.lambda);
  expect(s.settings.width * s.settings.height * s.track.numFrames).toBeLessThanOrEqual(STATED.renderPixels);
  expect(s.output).toMatch(/^renders\/[A-Za-z0-9][A-Za-z0-9._-]*$/);
}

describe('farm job specs, property-based', () => {
  it('every mutated or random spec is taken within the stated limits or refused clearly', async () => {
    await checkAll(mutatedJsonText([seed]), (text) =>
      judge(
        () => parseFarmSpec(JSON.parse(text)),
        { accept, refusal: (e) => e instanceof SyntaxError || isCamtrack(e) },
        () => show(text),
      ),
    );
  });

  it('a bounded field at or past its limit is taken only within the stated limits', async () => {
    // The spec's render settings are its `settings`; its photo's size is `source`.
    const edits = boundaryEdits([seed], (g) => ({ render: 'settings', image: 'source' })[g] ?? g);
    await checkAll(
      edits.arbitrary,
      (s) =>
        judge(
          () => parseFarmSpec(s),
          { accept },
          () => show(JSON.stringify(s)),
        ),
      { numRuns: 30, examples: edits.all.map((e) => [e]) },
    );
  });

  it('spec texts up to 2 MiB are taken or refused clearly, in time linear in their size', async () => {
    await checkTextScaling([JSON.stringify(seed)], (text) => parseFarmSpec(JSON.parse(text)), {
      accept,
      refusal: (e) => e instanceof SyntaxError || isCamtrack(e),
    });
  });
});
