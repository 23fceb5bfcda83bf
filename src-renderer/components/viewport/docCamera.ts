import type { Intrinsics } from '../../../src-main/engine/geometry/conventions';
import { photoIntrinsics, sourceIntrinsics } from '../../../src-main/engine/camera/intrinsics';
import { computeFit, placeIntrinsics } from '../../../src-main/engine/image/fit';
import type { ProjectDoc } from '../../../src-main/engine/project/schema';

/**
 * The source camera the track starts from, at the render's size and fit (what frame 0 renders):
 * the photo's intrinsics placed on the render grid. Without a photo, a 60-degree camera at the
 * render size. The render (engine/render/inputs.ts renderIntrinsics, which imports node modules and so cannot
 * be shared with the browser) builds exactly this; a test holds the two together.
 */
export function renderSourceIntrinsics(doc: ProjectDoc): Intrinsics {
  const { width, height, fit } = doc.render;
  if (!doc.image) return sourceIntrinsics(width, height);
  return placeIntrinsics(photoIntrinsics(doc.image), computeFit(doc.image.width, doc.image.height, width, height, fit));
}
