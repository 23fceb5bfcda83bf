import { relativeCvTransform } from '../geometry/conventions';
import { meshKernel } from '../kernels/meshKernel';
import {
  checkWarpSource,
  finishFrame,
  type WarpedFrame,
  type WarpOptions,
  type WarpSource,
  type WarpTarget,
} from './forward';

/**
 * The mesh warp: the photo carried into another camera as the 3D view shows it, a surface rather
 * than a cloud of points.
 *  - Every source pixel centre (u + 0.5, v + 0.5) with depth is a vertex, unprojected with the
 *    source K (OpenCV axes) and moved and projected as the splatting warp moves its points.
 *  - Neighbouring vertices (right, down and both diagonals) are joined unless the depth jumps
 *    between them: |z_a - z_b| > EDGE_THRESHOLD x min(z_a, z_b). A relative threshold, because
 *    the step between neighbours on a smooth surface grows with its distance (and with how
 *    obliquely it is seen): 0.04 keeps a surface seen at down to about 2 degrees of grazing in one
 *    piece at 1000 px across, while an object in front of another tears from it at any distance.
 *  - Each 2x2 quad of vertices is two triangles along the diagonal whose depths differ less when
 *    all its corners are joined, else the one triangle whose three corners are; what is torn stays open.
 *  - The triangles are rasterised at the target's pixel centres with sub-pixel vertex positions and
 *    a z-buffer on 1/z (nearest wins); a pixel's colour interpolates its triangle's corners with
 *    perspective-correct barycentric weights (within a quad, bilinear texture lookup on its sides).
 * So a surface the photo saw stays solid however far the camera moves in (no cracks), and a pixel
 * is a hole only where no triangle reaches: across a depth edge that the move opens (a true
 * disocclusion), or outside the photo. The identity warp reproduces the photo exactly (every
 * target pixel centre is a vertex). Holes are dilated and masked as the splatting warp does
 * (WarpOptions), so its frames feed the guidance alike.
 *
 * `behind` is a second layer in the photo's own view (the hidden layer a preview builds once,
 * engine/preview/layer.ts): drawn as a second mesh behind the first in every frame, it shows where
 * the photo's surface is torn open, the same surface from every camera.
 */
export const EDGE_THRESHOLD = 0.04;
export const SHARPER = 2;

export interface MeshSource extends WarpSource {
  /** Relative depth jump that tears the mesh (EDGE_THRESHOLD). */
  threshold: number;
  sharper: number;
  /** A layer behind the photo, in its camera and at its size: colours (RGB) and z-depth (0 = none). */
  behind?: { rgb: Float32Array; depth: Float32Array };
}

export function prepareMeshSource(
  src: WarpSource,
  opts: { threshold?: number; sharper?: number; behind?: MeshSource['behind'] } = {},
): MeshSource {
  const { width, height } = src.image;
  const n = checkWarpSource(src);
  if (opts.behind && (opts.behind.rgb.length !== n * 3 || opts.behind.depth.length !== n))
    throw new Error(`warp: the layer behind a ${width}x${height} photo must be ${width}x${height}`);
  const threshold = opts.threshold ?? EDGE_THRESHOLD;
  if (!(threshold > 0)) throw new Error(`warp: the mesh's edge threshold must be above 0 (got ${threshold})`);
  return { ...src, threshold, sharper: opts.sharper ?? SHARPER, ...(opts.behind && { behind: opts.behind }) };
}

/** The photo's mesh (and the layer behind it) in `target`'s camera. */
export function meshWarpFrame(src: MeshSource, target: WarpTarget, options: WarpOptions = {}): WarpedFrame {
  const { width, height } = target.intrinsics;
  const kernel = meshKernel();
  const withDepth = options.withDepth ?? false;
  kernel.begin(width, height);
  const T = relativeCvTransform(src.c2w, target.c2w);
  kernel.draw(
    { rgb: src.image.data, depth: src.depth, threshold: src.threshold, sharper: src.sharper },
    0,
    src.intrinsics,
    T,
    target.intrinsics,
  );
  if (src.behind)
    kernel.draw(
      { rgb: src.behind.rgb, depth: src.behind.depth, threshold: src.threshold, sharper: src.sharper },
      1,
      src.intrinsics,
      T,
      target.intrinsics,
    );
  const raw = kernel.resolve(withDepth);
  return finishFrame(raw, width, height, options, (holes) => kernel.applyHoles(holes, withDepth));
}
