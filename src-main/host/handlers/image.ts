import type { Handlers } from '../context';
import { decodeImage } from '../../engine/image/load';
import { encodePng } from '../../engine/image/encode';
import { storeAsset } from '../../engine/project/assets';
import { projectDir } from './project';

export const imageHandlers: Handlers = {
  /** Decodes the photo (format sniffed, EXIF orientation applied) and stores it upright as a PNG asset. */
  async 'image.import'(input, ctx) {
    const loaded = await decodeImage(input.bytes, { name: input.name });
    const png = await encodePng(loaded.image);
    const asset = await storeAsset(projectDir(ctx, input.project), 'image', png, 'png');
    const notes: string[] = [];
    if (loaded.exifOrientation !== 1) notes.push(`EXIF orientation ${loaded.exifOrientation} applied`);
    if (loaded.hadAlpha) notes.push('transparency flattened onto black');
    if (loaded.bitDepth === 16) notes.push('16-bit image');
    return {
      image: { asset, originalName: input.name, width: loaded.image.width, height: loaded.image.height },
      notes,
    };
  },
};
