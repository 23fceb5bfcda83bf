import type { FrameCamera, Intrinsics } from '../geometry/conventions';
import { evaluateTrack } from '../camera/evaluate';
import { renderIntrinsics } from '../camera/intrinsics';
import type { DepthReport } from '../depth/mapping';
import { depthForRender } from '../depth/prepare';
import { readDepthSource } from '../depth/source';
import type { Placement } from '../image/fit';
import { decodeImage } from '../image/load';
import { resampleImage } from '../image/resample';
import type { RgbImage } from '../image/types';
import { readCheckedAsset } from '../project/assets';
import type { ProjectDoc } from '../project/schema';
import { CamtrackError } from '../util/errors';

/**
 * The render's inputs from a project folder: the photo and its depth placed on the render grid
 * (size and crop/pad fit of doc.render), the photo's camera at that size, and the track evaluated
 * against it (frame 0 is that camera). Asset bytes are checked against their recorded sha256, so
 * a render (and its sidecar) can never describe a photo other than the one it used.
 */
export interface RenderInputs {
  /** The photo on the render grid. */
  image: RgbImage;
  /** z-depth on the render grid (0 = no depth). */
  depth: Float32Array;
  placement: Placement;
  /** The photo's camera at the render size: frame 0's intrinsics. */
  intrinsics: Intrinsics;
  cameras: FrameCamera[];
  depthReport: DepthReport;
}

export async function loadRenderInputs(
  projectDir: string,
  doc: ProjectDoc,
  assetsDir: string | null = null,
): Promise<RenderInputs> {
  if (!doc.image) throw new CamtrackError('bad-input', 'The project has no photo: import one before rendering.');
  if (!doc.depth)
    throw new CamtrackError(
      'bad-input',
      'The project has no depth: import a depth file (or estimate one) before rendering.',
    );
  const [imageBytes, raw] = await Promise.all([
    readCheckedAsset(assetsDir, projectDir, doc.image.asset, 'photo'),
    readDepthSource(doc.depth, doc.image, (ref) => readCheckedAsset(assetsDir, projectDir, ref, 'depth file')),
  ]);
  const photo = (await decodeImage(imageBytes, { name: doc.image.originalName })).image;
  if (photo.width !== doc.image.width || photo.height !== doc.image.height)
    throw new CamtrackError(
      'bad-file',
      `The photo ${doc.image.asset.file} is ${photo.width}x${photo.height}, but the project records ${doc.image.width}x${doc.image.height}.`,
    );
  const { intrinsics, placement } = renderIntrinsics(doc);
  const image = resampleImage(photo, placement);
  const { depth, report } = depthForRender(raw, doc.depth.mapping, placement);
  const cameras = evaluateTrack(doc.track, intrinsics);
  return { image, depth: depth.z, placement, intrinsics, cameras, depthReport: report };
}
