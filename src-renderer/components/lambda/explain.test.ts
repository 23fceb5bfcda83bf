import { describe, expect, it } from 'vitest';
import { describeCell, formatLambda, lambdaMeaning } from './explain';

describe('lambda in words', () => {
  it('reads a hovered cell as an artist would: step of steps, frame, value and what it does', () => {
    const cell = { row: 2, col: 12, steps: 25, value: 0.82, lambdaMin: 0, sigma: '322' };
    expect(describeCell(cell)).toBe('step 3 of 25 (σ 322), frame 12: 0.82, the frame follows the warped photo closely');
    expect(describeCell({ ...cell, col: 0 })).toBe(
      'step 3 of 25 (σ 322), frame 0: the source photo itself, never guided',
    );
    expect(describeCell({ ...cell, value: 0.05, lambdaMin: 0.4 })).toBe(
      'step 3 of 25 (σ 322), frame 12: 0.05, used as the floor 0.40: the frame leans on the warped photo; the model adds its own detail',
    );
    expect(describeCell({ ...cell, windowPlace: 'window 1 frame 12' })).toContain('frame 12 (window 1 frame 12): 0.82');
  });

  it('says high values follow the warped photo and low ones leave the model free, in bands', () => {
    expect([1, 0.9, 0.5, 0.2, 0].map(lambdaMeaning)).toEqual([
      'the frame keeps to the warped photo wherever it has pixels',
      'the frame follows the warped photo closely',
      'the frame leans on the warped photo; the model adds its own detail',
      'the model mostly invents, nudged by the warped photo',
      'the model is free to invent',
    ]);
    expect([0.4, 0.125, 1, 0.333333].map(formatLambda)).toEqual(['0.40', '0.125', '1.00', '0.333']);
  });
});
