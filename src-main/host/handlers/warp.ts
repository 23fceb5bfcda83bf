import type { Handlers } from '../context';
import { projectDir } from './project';
import type { ProjectDoc } from '../../engine/project/schema';
import { createTrackEvaluator } from '../../engine/camera/evaluate';
import { photoIntrinsics, renderIntrinsics } from '../../engine/camera/intrinsics';
import type { Intrinsics } from '../../engine/geometry/conventions';
import { IDENTITY4 } from '../../engine/geometry/conventions';
import { composePlacements, placeIntrinsics, stretchPlacement, type Placement } from '../../engine/image/fit';
import { readCheckedAsset } from '../../engine/project/assets';
import { decodeImage } from '../../engine/image/load';
import { resampleImage } from '../../engine/image/resample';
import type { RgbImage } from '../../engine/image/types';
import { encodeMaskPng, encodePng } from '../../engine/image/encode';
import { depthForRender } from '../../engine/depth/prepare';
import { prepareWarp, warpPrepared, type PreparedWarp } from '../../engine/warp/method';
import { CamtrackError } from '../../engine/util/errors';
import { previewSize, readDepthAsset } from './depth';

/**
 * The look-through preview: the engine's own warp (the project's, render.warp) of the photo into one frame of the track, at
 * the render's framing (size and crop/pad fit) scaled down to at most maxSide. The track is
 * evaluated against the render-size source intrinsics, as the render does.
 */

const DEFAULT_PREVIEW_SIDE = 512;

let imageCache: { key: string; image: Promise<RgbImage> } | null = null;
let sourceCache: { key: string; source: PreparedWarp } | null = null;

/**
 * The photo, decoded: the original, or (`working`) its downscaled working copy when it has one. It
 * is read through readCheckedAsset (inside the assets folder, bytes matching the sha256), so the
 * cache only ever holds bytes verified against the hash in its key: a client naming a hash cannot
 * get an image it did not have.
 */
export function readPhoto(dir: string, doc: ProjectDoc, which: 'original' | 'working' = 'original'): Promise<RgbImage> {
  const asset = (which === 'working' && doc.image!.working) || doc.image!.asset;
  const key = `${dir}|${asset.file}|${asset.sha256}`;
  if (imageCache?.key !== key) {
    const image = readCheckedAsset(null, dir, asset, 'photo').then((bytes) =>
      decodeImage(bytes, { name: doc.image!.originalName }).then((l) => l.image),
    );
    imageCache = { key, image };
    image.catch(() => {
      if (imageCache?.image === image) imageCache = null;
    });
  }
  return imageCache.image;
}

/** Photo and depth on the preview grid, prepared for the project's warp (cached: only the camera changes between frames). */
async function previewSource(dir: string, doc: ProjectDoc, placement: Placement, k: Intrinsics): Promise<PreparedWarp> {
  const key = JSON.stringify([
    dir,
    doc.image!.asset,
    doc.depth!.source,
    doc.depth!.mapping,
    placement,
    doc.render.warp,
  ]);
  if (sourceCache?.key === key) return sourceCache.source;
  // The working copy of a large photo is plenty for a preview grid: placed over the original's grid first.
  const [photo, raw] = await Promise.all([readPhoto(dir, doc, 'working'), readDepthAsset(dir, doc)]);
  const onOriginal = stretchPlacement(photo.width, photo.height, doc.image!.width, doc.image!.height);
  const image = resampleImage(photo, composePlacements(onOriginal, placement));
  const { depth } = depthForRender(raw, doc.depth!.mapping, placement);
  const source = prepareWarp({ image, depth: depth.z, intrinsics: k, c2w: IDENTITY4 }, doc.render.warp);
  sourceCache = { key, source };
  return source;
}

const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const warpHandlers: Handlers = {
  async 'warp.frame'(input, ctx) {
    const { doc } = input;
    if (!doc.depth)
      throw new CamtrackError('bad-input', 'The look-through preview needs depth: import a depth file first.');
    if (input.frame >= doc.track.numFrames) {
      throw new CamtrackError(
        'bad-input',
        `Frame ${input.frame} is past the track's last frame (${doc.track.numFrames - 1}).`,
      );
    }
    if (!doc.image) throw new CamtrackError('bad-input', 'Import a photo first: the look-through preview warps it.');
    const { intrinsics: renderK, placement: fit } = renderIntrinsics(doc);
    const size = previewSize(doc.render.width, doc.render.height, input.maxSide ?? DEFAULT_PREVIEW_SIDE);
    const shrink = stretchPlacement(doc.render.width, doc.render.height, size.width, size.height);
    const placement = composePlacements(fit, shrink);
    const source = await previewSource(
      projectDir(ctx, input.project),
      doc,
      placement,
      placeIntrinsics(photoIntrinsics(doc.image!), placement),
    );
    const cam = createTrackEvaluator(doc.track, renderK).at(input.frame);
    const warped = warpPrepared(source, { c2w: cam.c2w, intrinsics: placeIntrinsics(cam.intrinsics, shrink) });
    const [png, maskPng] = await Promise.all([
      encodePng({ width: warped.width, height: warped.height, data: warped.image }),
      encodeMaskPng(warped.holes, warped.width, warped.height),
    ]);
    return {
      frame: input.frame,
      width: warped.width,
      height: warped.height,
      png: plain(png),
      maskPng: plain(maskPng),
      holeFraction: warped.holeFraction,
    };
  },
};
