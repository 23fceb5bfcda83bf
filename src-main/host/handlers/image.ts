import type { Handlers } from '../context';
import { preparePhoto } from '../../engine/image/importPhoto';
import { storeAsset } from '../../engine/project/assets';
import { CamtrackError } from '../../engine/util/errors';
import { withPhotoCamera } from '../../engine/camera/intrinsics';
import { projectDir } from './project';

/** Imports running per project folder: 'image.cancel' stops one, a newer import replaces an older one. */
const running = new Map<string, AbortController>();

export const imageHandlers: Handlers = {
  /**
   * Stores the photo's own bytes (format sniffed; EXIF orientation applied whenever it is decoded)
   * and, when it is large or EXIF-turned, a downscaled upright JPEG working copy for the 3D view and
   * the look-through preview. Renders read the original.
   */
  async 'image.import'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    running.get(dir)?.abort();
    const controller = new AbortController();
    running.set(dir, controller);
    const progress = (stage: 'header' | 'decode' | 'store' | 'done', fraction: number) =>
      ctx.emit('image.progress', { project: input.project, stage, fraction });
    const check = () => {
      if (controller.signal.aborted) throw new CamtrackError('cancelled', `The import of ${input.name} was cancelled.`);
    };
    try {
      const photo = await preparePhoto(input.bytes, {
        name: input.name,
        signal: controller.signal,
        onProgress: progress,
      });
      progress('store', 0.92);
      const asset = await storeAsset(dir, 'image', input.bytes, photo.ext);
      const working = photo.working ? await storeAsset(dir, 'image', photo.working.bytes, 'jpg') : undefined;
      // Past this point the document is the UI's to change: a late cancel still drops the result.
      check();
      progress('done', 1);
      return {
        image: withPhotoCamera({
          asset,
          originalName: input.name,
          width: photo.width,
          height: photo.height,
          ...(working && { working }),
        }),
        notes: photo.notes,
      };
    } finally {
      if (running.get(dir) === controller) running.delete(dir);
    }
  },

  async 'image.cancel'(input, ctx) {
    const c = running.get(projectDir(ctx, input.project));
    c?.abort();
    return { cancelled: !!c };
  },
};
