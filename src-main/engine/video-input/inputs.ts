import { renderIntrinsics } from '../camera/intrinsics';
import { IDENTITY4 } from '../geometry/conventions';
import { depthForRender } from '../depth/prepare';
import { decodeImage } from '../image/load';
import { resampleImage } from '../image/resample';
import type { ProjectDoc } from '../project/schema';
import { readCheckedAsset } from '../project/assets';
import { CamtrackError } from '../util/errors';
import type { WarpSource } from '../warp/forward';
import { readSequenceDepth } from './depthSequence';

/**
 * The source frames of a video project on the render grid (edge module), one at a time: a long
 * clip is never decoded whole. Frame k is its PNG and its depth placed with the render's size and
 * fit, with the photo's intrinsics and the identity pose (the video is shot from the photo's
 * camera). Asset bytes are checked against their sha256 as the photo's are.
 */
export interface VideoSourceLoader {
  /** Source frames in the project. */
  count: number;
  load(k: number): Promise<WarpSource>;
}

export function videoSourceLoader(
  projectDir: string,
  doc: ProjectDoc,
  assetsDir: string | null = null,
): VideoSourceLoader | null {
  const video = doc.video;
  if (!video || !doc.image) return null;
  // The video's frames are the photo's size: every one is placed as the photo is, seen by its camera.
  const { intrinsics, placement } = renderIntrinsics(doc);
  return {
    count: video.frames.length,
    async load(k) {
      const f = video.frames[k];
      if (!f)
        throw new CamtrackError('bad-input', `The video has ${video.frames.length} frames; frame ${k} does not exist.`);
      const [imageBytes, depthBytes] = await Promise.all([
        readCheckedAsset(assetsDir, projectDir, f.image, `video frame ${k}`),
        readCheckedAsset(assetsDir, projectDir, f.depth, `depth of video frame ${k}`),
      ]);
      const photo = (await decodeImage(imageBytes, { name: `video frame ${k}` })).image;
      if (photo.width !== video.width || photo.height !== video.height)
        throw new CamtrackError(
          'bad-file',
          `Video frame ${k} (${f.image.file}) is ${photo.width}x${photo.height}, but the project records ${video.width}x${video.height}.`,
        );
      const raw = await readSequenceDepth(f.depth.file, depthBytes);
      const { depth } = depthForRender(raw, video.mapping, placement);
      return { image: resampleImage(photo, placement), depth: depth.z, intrinsics, c2w: IDENTITY4 };
    },
  };
}
