import { photoIntrinsics } from '../camera/intrinsics';
import { depthForRender } from '../depth/prepare';
import { readDepthSource } from '../depth/source';
import { computeFit, placeIntrinsics } from '../image/fit';
import { decodeImage } from '../image/load';
import { resampleImage } from '../image/resample';
import type { ProjectDoc, SourceView } from '../project/schema';
import { readCheckedAsset } from '../project/assets';
import { CamtrackError } from '../util/errors';
import type { WarpSource } from '../warp/forward';

/**
 * The enabled source views of a project on the render grid (edge module): each photo and its
 * depth placed with the render's size and fit, its own intrinsics placed the same way, its pose
 * as the project records it. Asset bytes are checked against their sha256 as for the photo.
 */
export async function loadSourceViews(
  projectDir: string,
  doc: ProjectDoc,
  assetsDir: string | null = null,
): Promise<{ view: SourceView; source: WarpSource }[]> {
  const { width, height, fit } = doc.render;
  const out = [];
  for (const view of doc.sources.filter((v) => v.enabled)) {
    const [imageBytes, raw] = await Promise.all([
      readCheckedAsset(assetsDir, projectDir, view.image.asset, `photo of the view "${view.name}"`),
      readDepthSource(view.depth, view.image, (ref) =>
        readCheckedAsset(assetsDir, projectDir, ref, `depth file of the view "${view.name}"`),
      ),
    ]);
    const photo = (await decodeImage(imageBytes, { name: view.image.originalName })).image;
    if (photo.width !== view.image.width || photo.height !== view.image.height)
      throw new CamtrackError(
        'bad-file',
        `The photo of the view "${view.name}" is ${photo.width}x${photo.height}, but the project records ${view.image.width}x${view.image.height}.`,
      );
    const placement = computeFit(photo.width, photo.height, width, height, fit);
    const { depth } = depthForRender(raw, view.depth.mapping, placement);
    out.push({
      view,
      source: {
        image: resampleImage(photo, placement),
        depth: depth.z,
        intrinsics: placeIntrinsics(photoIntrinsics(view.image), placement),
        c2w: view.c2w,
      },
    });
  }
  return out;
}
