import { describe, expect, it } from 'vitest';
import type { WarpedFrame } from '../warp/forward';
import { filledDepth } from './depth';

describe("filledDepth (the carried depth of a window's last frame)", () => {
  it('keeps the depth the warp saw and fills its holes from the far side, leaving no unknown (0) depth', () => {
    // 4x1: depths 2, hole, hole, 8. The holes take depth between the two, leaning to the far one.
    const frame = {
      width: 4,
      height: 1,
      image: new Float32Array(12),
      holes: Uint8Array.of(0, 1, 1, 0),
      depth: Float32Array.of(2, 0, 0, 8),
    } as unknown as WarpedFrame;
    const d = filledDepth(frame);
    expect(d[0]).toBe(2);
    expect(d[3]).toBe(8);
    for (const v of [d[1], d[2]]) {
      expect(v).toBeGreaterThan(2);
      expect(v).toBeLessThanOrEqual(8);
    }
    expect(d[2]).toBeGreaterThan(5);
  });
  it('refuses a frame warped without depth', () => {
    const frame = {
      width: 1,
      height: 1,
      image: new Float32Array(3),
      holes: Uint8Array.of(0),
    } as unknown as WarpedFrame;
    expect(() => filledDepth(frame)).toThrow(/carries no depth; warp it with withDepth/);
  });
});
