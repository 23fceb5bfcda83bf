import { engine } from '../api/client';
import { focusRatio, rescaleTrack } from '../../src-main/engine/camera/rescale';
import type { Depth, ProjectDoc } from '../../src-main/engine/project/schema';
import { useProject } from './projectStore';
import { useUi } from './uiStore';

/**
 * Changing the scene's depth (a new mapping, a new depth file or estimate, another shape or shape
 * distance) as one undo step: when the scene's focus depth (its median z) changes, the camera
 * track is scaled with it about the source camera (engine/camera/rescale.ts), so the camera stays
 * where it was relative to the scene, and a toast says so. Edits that reshape a shape without
 * moving its scale (dragging a room's vanishing point or wall) do not come through here.
 */

/** The median z of a document's depth as the engine maps it (null without a photo and depth, or when it cannot be read). */
async function focusDepth(dir: string, doc: ProjectDoc): Promise<number | null> {
  if (!doc.image || !doc.depth) return null;
  try {
    const p = await engine.call('depth.preview', { project: dir, doc, maxSide: 16 });
    return p.report?.median ?? null;
  } catch {
    return null;
  }
}

const units = (v: number) => Number(v.toPrecision(3));

/**
 * Makes `next` the project's depth. `also` changes more of the document in the same step (the photo
 * an import brings). Returns the ratio the track was scaled by (null: unchanged).
 */
export async function applyDepth(
  next: Depth | null,
  also: (doc: ProjectDoc) => ProjectDoc = (d) => d,
): Promise<number | null> {
  const { doc, dir } = useProject.getState();
  if (!doc || !dir) return null;
  const after = also({ ...doc, depth: next });
  // Views and videos carry depth of their own in the same world: their track is left as it is.
  const single = doc.sources.length === 0 && !doc.video;
  const [before, now] = single ? await Promise.all([focusDepth(dir, doc), focusDepth(dir, after)]) : [null, null];
  const ratio = before !== null && now !== null ? focusRatio(before, now) : null;
  if (useProject.getState().dir !== dir) return null;
  useProject.getState().update((d) => {
    const changed = also({ ...d, depth: next });
    return ratio ? { ...changed, track: rescaleTrack(changed.track, ratio) } : changed;
  });
  if (ratio)
    useUi
      .getState()
      .toast(
        'info',
        `The scene's scale changed ×${units(ratio)} (focus depth ${units(before!)} → ${units(now!)} units): the camera track was scaled with it. Undo restores both.`,
      );
  return ratio;
}
