import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installDepthModelFile } from '../../engine/depth/models';
import type { Handlers } from '../context';
import { projectDir } from './project';
import { readPhoto } from './warp';
import { readDepthAsset, depthReportView } from './depth';
import { estimateImageDepth } from '../../engine/depth/estimateImage';
import { applyDepthMapping } from '../../engine/depth/mapping';
import { resizeDepth } from '../../engine/depth/resize';
import { stretchPlacement } from '../../engine/image/fit';
import { resampleImage } from '../../engine/image/resample';
import { encodePng } from '../../engine/image/encode';
import { cropToAspect } from '../../engine/image/cropToAspect';
import { photoIntrinsics } from '../../engine/camera/intrinsics';
import { writeNpy } from '../../engine/npy/npy';
import { storeAsset } from '../../engine/project/assets';
import { CamtrackError, toErrorInfo } from '../../engine/util/errors';

/**
 * Depth the studio makes itself: estimation with the installed Depth Anything V2 model (one at a
 * time per project, cancellable), and the two ways out of a depth map whose aspect is not the
 * photo's (DTU's 160x128 depth of a 1600x1200 photo): stretch the depth onto the photo, or crop
 * the photo to the depth. Each result is stored as a new content-addressed asset; the document
 * changes only when the UI applies the answer, so it is one undo step there.
 */

const running = new Map<string, AbortController>();

export const depthEstimateHandlers: Handlers = {
  async 'depth.estimate'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const { doc } = input;
    if (!doc.image) throw new CamtrackError('bad-input', 'Import a photo first: depth is estimated from it.');
    if (running.has(dir))
      throw new CamtrackError('bad-input', 'A depth estimation is already running for this project.');
    const controller = new AbortController();
    running.set(dir, controller);
    const t0 = performance.now();
    try {
      // The model sees the photo at about 518 pixels: the working copy of a large photo is plenty.
      const photo = await readPhoto(dir, doc, 'working');
      const est = await estimateImageDepth(photo, {
        signal: controller.signal,
        worker: true,
        onProgress: (stage, fraction) => ctx.emit('depth.progress', { project: input.project, stage, fraction }),
      });
      const bytes = writeNpy(Float32Array.from(est.raw.values), [est.raw.height, est.raw.width]);
      if (controller.signal.aborted) throw new CamtrackError('cancelled', 'The depth estimation was cancelled.');
      const asset = await storeAsset(dir, 'depth', bytes, 'npy');
      if (controller.signal.aborted) throw new CamtrackError('cancelled', 'The depth estimation was cancelled.');
      const model = `${path.basename(path.dirname(est.modelFile))}/${path.basename(est.modelFile)}`;
      const mapped = applyDepthMapping(est.raw, est.mapping);
      const view = depthReportView(mapped.report, mapped.depth.z);
      view.notes.push(
        `estimated by ${model}: relative disparity, scaled so the median pixel is 4 units away; adjust scale, near and far below`,
      );
      return {
        depth: { source: { type: 'model', asset, model }, mapping: est.mapping },
        report: view,
        model: est.modelFile,
        provider: est.provider,
        timings: { loadMs: est.timings.loadMs, estimateMs: est.timings.estimateMs, totalMs: performance.now() - t0 },
      };
    } finally {
      running.delete(dir);
    }
  },

  /**
   * A model file the artist chose: written to a temporary file, opened with onnxruntime and checked
   * against the Depth Anything V2 contract, then installed (copied in, its sha256 recorded).
   */
  async 'depth.installModel'(input) {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-depth-model-'));
    try {
      const file = path.join(tmp, 'model.onnx');
      await fs.writeFile(file, input.bytes);
      // Load-checked before it replaces anything (engine/depth/models.ts), as the CLI's install is.
      return await installDepthModelFile(file, input.size ?? 'small').catch((e: unknown) => {
        const info = toErrorInfo(e);
        throw new CamtrackError(info.code, info.message.replace(/^model\.onnx /, `${input.name} `));
      });
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  },

  async 'depth.cancel'(input, ctx) {
    const c = running.get(projectDir(ctx, input.project));
    c?.abort();
    return { cancelled: !!c };
  },

  /** The depth's values resampled (nearest, as renders resize depth) onto the photo's own grid: the stretch is accepted. */
  async 'depth.fitToPhoto'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const { doc } = input;
    if (!doc.image || !doc.depth)
      throw new CamtrackError('bad-input', 'Fitting depth to the photo needs both a photo and a depth map.');
    if (doc.depth.source.type === 'shape')
      throw new CamtrackError('bad-input', 'A depth shape is made on its photo: it always fits it.');
    const raw = await readDepthAsset(dir, doc);
    const { width, height } = doc.image;
    const fitted = resizeDepth(
      { width: raw.width, height: raw.height, z: Float32Array.from(raw.values) },
      stretchPlacement(raw.width, raw.height, width, height),
      'nearest',
    );
    const asset = await storeAsset(dir, 'depth', writeNpy(fitted.z, [height, width]), 'npy');
    const source =
      doc.depth.source.type === 'file'
        ? {
            type: 'file' as const,
            asset,
            originalName: `${doc.depth.source.originalName} (fitted to ${width}x${height})`,
          }
        : { ...doc.depth.source, asset };
    const mapped = applyDepthMapping(
      { width, height, values: fitted.z, origin: raw.origin, encoding: 'float' },
      doc.depth.mapping,
    );
    const view = depthReportView(mapped.report, mapped.depth.z);
    view.notes.push(`stretched from ${raw.width}x${raw.height} to the photo's ${width}x${height}`);
    return { depth: { source, mapping: doc.depth.mapping }, report: view };
  },

  /** The photo centre-cropped to the depth's aspect and scaled to a whole multiple of its size; the intrinsics follow. */
  async 'image.cropToDepth'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const { doc } = input;
    if (!doc.image || !doc.depth)
      throw new CamtrackError('bad-input', 'Cropping the photo to the depth needs both a photo and a depth map.');
    if (doc.depth.source.type === 'shape')
      throw new CamtrackError('bad-input', 'A depth shape is made on its photo: it always fits it.');
    const [photo, raw] = await Promise.all([readPhoto(dir, doc), readDepthAsset(dir, doc)]);
    const r = cropToAspect(photoIntrinsics(doc.image), raw.width, raw.height);
    const png = await encodePng(resampleImage(photo, r.placement));
    const asset = await storeAsset(dir, 'image', png, 'png');
    const { fx, fy, cx, cy } = r.intrinsics;
    return {
      image: {
        asset,
        originalName: doc.image.originalName,
        width: r.placement.width,
        height: r.placement.height,
        intrinsics: { fx, fy, cx, cy },
      },
      notes: [
        `cropped ${r.crop.width}x${r.crop.height} at (${r.crop.x}, ${r.crop.y}) and scaled to ${r.placement.width}x${r.placement.height} to match the ${raw.width}x${raw.height} depth; the camera's intrinsics follow the crop`,
      ],
    };
  },
};
