import type { Handlers } from '../context';
import { defaultLambda, lambdaForTriple } from '../../engine/lambda/search';
import { sigmasForSteps } from '../../engine/schedule/sigmas';
import { CamtrackError } from '../../engine/util/errors';

export const lambdaHandlers: Handlers = {
  /** The closed-form default table for steps x frames (the reference's search), or the table of a given (v1, v2, v3). */
  async 'lambda.default'(input) {
    const sigmas = sigmasForSteps(input.steps);
    if (input.triple) {
      const [v1, v2, v3] = input.triple;
      const table = lambdaForTriple(sigmas, input.frames, v1, v2, v3);
      if (!table)
        throw new CamtrackError(
          'bad-input',
          `(v1, v2, v3) = (${v1}, ${v2}, ${v3}) gives no valid lambda table for ${input.steps} steps and ${input.frames} frames: some entry has no accepted root.`,
        );
      return { steps: input.steps, frames: input.frames, v1, v2, v3, values: Array.from(table.data) };
    }
    const d = defaultLambda(sigmas, input.frames);
    return { steps: input.steps, frames: input.frames, v1: d.v1, v2: d.v2, v3: d.v3, values: Array.from(d.table.data) };
  },
};
