import { describe, expect, it } from 'vitest';
import { IDENTITY4, intrinsicsFromFovY, type FrameCamera, type Mat4 } from '../camera/conventions';
import { sigmasForSteps } from '../schedule/sigmas';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene } from '../scene/scene';
import { referenceWarpFrame } from '../warp/reference';
import { referenceTwoViewTable, referenceWarpTrack } from './referenceWarp';

const K = intrinsicsFromFovY(50, 64, 48);
const scene = sampleScene();
function shot(c2w: Mat4) {
  const r = renderScene(scene, { c2w, intrinsics: K });
  return { image: r.image, depth: r.depth.map((z) => (z > 0 ? z : 50)), intrinsics: K, c2w };
}

describe('reference warps of a render', () => {
  it('two photos: the first half of the frames from the first photo only, the rest from the second, the last frame the second photo', async () => {
    const F = 7;
    const end = poseAt([0.3, 0, 0.1], 4);
    const cameras: FrameCamera[] = Array.from({ length: F }, (_, f) => ({
      c2w: f === F - 1 ? end : poseAt([(0.3 * f) / (F - 1), 0, (0.1 * f) / (F - 1)], (4 * f) / (F - 1)),
      intrinsics: K,
    }));
    const photo = shot(IDENTITY4);
    const view = shot(end);
    const r = await referenceWarpTrack({ photo, views: [view], video: null, cameras });
    expect(r.rule).toBe('two-view');
    expect(r.frames).toHaveLength(F);
    // Frames 1..3 (ceil(5 / 2)) from the photo, 4..5 from the view: each equals that one photo's warp alone.
    for (let f = 1; f < F - 1; f++) {
      const from = f <= 3 ? photo : view;
      const other = f <= 3 ? view : photo;
      const alone = referenceWarpFrame(from, cameras[f], 'two-view');
      expect(Array.from(r.frames[f].image)).toEqual(Array.from(alone.image));
      expect(Array.from(r.frames[f].image)).not.toEqual(
        Array.from(referenceWarpFrame(other, cameras[f], 'two-view').image),
      );
    }
    expect(Array.from(r.frames[F - 1].image)).toEqual(Array.from(view.image.data));
    expect(r.frames[F - 1].holeFraction).toBe(0);
    // Its lambda table: 1 at both photos, every entry in (0, 1].
    const table = referenceTwoViewTable(cameras, sigmasForSteps(100));
    expect([table.steps, table.frames]).toEqual([100, F]);
    for (let i = 0; i < 100; i++) {
      expect(table.values[i * F]).toBe(1);
      expect(table.values[i * F + F - 1]).toBe(1);
    }
    expect(table.values.every((v) => v > 0 && v <= 1)).toBe(true);
  });

  it('refuses more than two photos, naming the count', async () => {
    const p = shot(IDENTITY4);
    await expect(
      referenceWarpTrack({ photo: p, views: [p, p], video: null, cameras: [{ c2w: IDENTITY4, intrinsics: K }] }),
    ).rejects.toThrow(/one photo or from two .* this project has 3/);
  });
});
