import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * The limits of docs/limits.md written out again, by hand, for the property tests. A document a
 * parser accepts is checked against these numbers, not against the schema or the table that
 * accepted it: a bound missing from the code (say the track's frame count dropped from the
 * schema) then shows as an accepted document that breaks one of them. Nothing here is imported
 * from the engine on purpose; when a limit changes, docs/limits.md and this file change with it.
 */
export const STATED = {
  renderSide: [2, 8192],
  renderPixels: 1_073_741_824,
  frames: [2, 1000],
  steps: [1, 1000],
  views: 1000,
  windowFrames: [2, 1000],
  windowOverlap: [1, 999],
  videoFrames: 1000,
  imageSide: 65_535,
  translation: 1e6,
  scenePoint: 2e6,
} as const;

function whole(v: unknown, [lo, hi]: readonly [number, number], what: string): void {
  expect(
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi,
    `${what} = ${String(v)} is not a whole number from ${lo} to ${hi}`,
  ).toBe(true);
}

type Loose = Record<string, unknown>;

/** A track: its frame count, and where its keys are and look. */
export function expectTrackWithinLimits(track: Loose): void {
  whole(track.numFrames, STATED.frames, 'track.numFrames');
  for (const [i, key] of (track.keyframes as Loose[]).entries()) {
    const points = [key.position, (key.orientation as Loose).target].filter((p) => p !== undefined) as number[][];
    for (const p of points)
      for (const v of p) expect(Math.abs(v), `track.keyframes[${i}] at ${v}`).toBeLessThanOrEqual(STATED.scenePoint);
  }
}

/** Render settings, whole or partial (job overrides): sides, steps and windows. */
export function expectRenderWithinLimits(render: Loose, where = 'render'): void {
  for (const k of ['width', 'height'] as const)
    if (render[k] !== undefined) whole(render[k], STATED.renderSide, `${where}.${k}`);
  if (render.steps !== undefined) whole(render.steps, STATED.steps, `${where}.steps`);
  if (render.windowFrames !== undefined) whole(render.windowFrames, STATED.windowFrames, `${where}.windowFrames`);
  if (render.windowOverlap !== undefined) whole(render.windowOverlap, STATED.windowOverlap, `${where}.windowOverlap`);
}

/** A lambda table document: its shape. */
export function expectLambdaWithinLimits(lambda: Loose): void {
  whole(lambda.steps, STATED.steps, 'lambda.steps');
  whole(lambda.frames, [1, STATED.frames[1]], 'lambda.frames');
}

/** A whole project document. */
export function expectDocWithinLimits(doc: Loose): void {
  const track = doc.track as Loose;
  const render = doc.render as Loose;
  expectTrackWithinLimits(track);
  expectRenderWithinLimits(render);
  expectLambdaWithinLimits(doc.lambda as Loose);
  const pixels = (render.width as number) * (render.height as number) * (track.numFrames as number);
  expect(pixels, `a render of ${pixels} pixels in all`).toBeLessThanOrEqual(STATED.renderPixels);
  const sources = doc.sources as Loose[];
  expect(sources.length + 1, 'views').toBeLessThanOrEqual(STATED.views);
  for (const img of [doc.image, ...sources.map((s) => s.image)] as (Loose | null)[])
    if (img) for (const k of ['width', 'height']) whole(img[k], [1, STATED.imageSide], `image.${k}`);
  const video = doc.video as Loose | undefined;
  if (video) expect((video.frames as unknown[]).length).toBeLessThanOrEqual(STATED.videoFrames);
}

/** A camera position (x, y, z). */
export function expectPositionWithinLimits(p: readonly number[], what: string): void {
  for (const v of p) expect(Math.abs(v), `${what} at ${v}`).toBeLessThanOrEqual(STATED.translation);
}

/**
 * The bounded fields of a project document as [group, key, stated maximum], for property tests
 * that set each at and past its limit. A farm spec holds the same, `render` as `settings`.
 */
export const BOUNDED_FIELDS: readonly (readonly [string, string, number])[] = [
  ['track', 'numFrames', STATED.frames[1]],
  ['render', 'width', STATED.renderSide[1]],
  ['render', 'height', STATED.renderSide[1]],
  ['render', 'steps', STATED.steps[1]],
  ['render', 'windowFrames', STATED.windowFrames[1]],
  ['render', 'windowOverlap', STATED.windowOverlap[1]],
  ['lambda', 'steps', STATED.steps[1]],
  ['lambda', 'frames', STATED.frames[1]],
  ['image', 'width', STATED.imageSide],
];

/** Values at and past a stated maximum: the maximum, one more, twice it, and far past any. */
const AT_AND_PAST: readonly ((max: number) => number)[] = [
  (m) => m,
  (m) => m + 1,
  (m) => 2 * m,
  () => 2 ** 30,
  () => 1e21,
];

/**
 * Copies of the seeds with one bounded field set at or past its limit: every combination (`all`,
 * for fast-check's `examples`, so each is tried on every run rather than by chance) and an
 * arbitrary over them. `rename` maps a project's group to the document's own (a farm spec's
 * `settings`).
 */
export function boundaryEdits<S>(
  seeds: readonly S[],
  rename: (group: string) => string = (g) => g,
): { all: S[]; arbitrary: fc.Arbitrary<S> } {
  const all = seeds.flatMap((seed) =>
    BOUNDED_FIELDS.flatMap(([group, key, max]) =>
      AT_AND_PAST.map((value) => {
        const doc = structuredClone(seed) as unknown as Record<string, Record<string, unknown>>;
        if (doc[rename(group)]) doc[rename(group)][key] = value(max);
        return doc as unknown as S;
      }),
    ),
  );
  return { all, arbitrary: fc.constantFrom(...all) };
}
