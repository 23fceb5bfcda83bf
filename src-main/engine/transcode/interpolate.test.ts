import { describe, expect, it } from 'vitest';
import { interpolatedFrameCount, interpolationFilter } from './interpolate';

describe('frame interpolation plan', () => {
  it('keeps the clip length: 25 frames at 7 fps are 86 at 24 and 107 at 30 (3.6 s each)', () => {
    expect(interpolatedFrameCount(25, 7, 24)).toBe(86);
    expect(interpolatedFrameCount(25, 7, 30)).toBe(107);
    expect(interpolatedFrameCount(14, 7, 14)).toBe(28);
    expect(interpolatedFrameCount(30, 30, 24)).toBe(24);
    expect(interpolatedFrameCount(1, 7, 24)).toBe(3);
  });

  it('refuses rates outside (0, 240] and empty clips with the number', () => {
    expect(() => interpolatedFrameCount(25, 7, 0)).toThrow(/frame rate must be in \(0, 240\] \(got 0\)/);
    expect(() => interpolatedFrameCount(0, 7, 24)).toThrow(/at least one frame \(got 0\)/);
    expect(() => interpolationFilter(7, Number.NaN)).toThrow(/got NaN/);
  });

  it('interpolates by motion in full-range 4:4:4 after holding the last frame long enough for the drop at the end', () => {
    expect(interpolationFilter(7, 24)).toBe(
      'scale=out_range=full,format=yuvj444p,tpad=stop_mode=clone:stop=4,minterpolate=fps=24:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1',
    );
    // Fewer frames per second than the render: more held frames, so the end still has enough.
    expect(interpolationFilter(30, 24)).toContain('tpad=stop_mode=clone:stop=5,');
  });
});
