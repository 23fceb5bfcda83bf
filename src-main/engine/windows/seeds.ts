/**
 * The seed of each window of a long track: window 0 keeps the render seed (a one-window render is
 * what it always was), window k > 0 takes a 32-bit mix of the seed and k, so windows draw different
 * initial noise and different augmentation noise (with one seed for all, every window started from
 * the same noise pattern). The render records the list in its sidecar, so a re-render uses the same.
 */
export function windowSeed(seed: number, window: number): number {
  if (window === 0) return seed >>> 0;
  // murmur3's finaliser over the seed and the window index times the golden ratio.
  let h = (seed ^ Math.imul(window, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function windowSeeds(seed: number, windows: number): number[] {
  return Array.from({ length: windows }, (_, k) => windowSeed(seed, k));
}
