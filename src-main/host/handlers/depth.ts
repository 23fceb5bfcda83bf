import { readCheckedAsset } from '../../engine/project/assets';
import type { Handlers } from '../context';
import { projectDir } from './project';
import type { Depth, ProjectDoc } from '../../engine/project/schema';
import type { DepthReportView } from '../../api/contract';
import { defaultDepthMapping, depthHistogram, depthWarnings, describeDefault } from '../../engine/depth/defaults';
import { decodeDepth } from '../../engine/depth/read';
import { readDepthSource } from '../../engine/depth/source';
import { applyDepthMapping, describeInvalid, type DepthReport } from '../../engine/depth/mapping';
import { depthForRender } from '../../engine/depth/prepare';
import type { RawDepth } from '../../engine/depth/types';
import { sniffFormat } from '../../engine/image/sniff';
import { placeIntrinsics, stretchPlacement } from '../../engine/image/fit';
import { photoIntrinsics } from '../../engine/camera/intrinsics';
import { storeAsset } from '../../engine/project/assets';
import { CamtrackError } from '../../engine/util/errors';

/**
 * Depth for the studio: importing a depth file into the project's assets (with a report of what
 * it holds), and depth at display resolution for the 3D view. The mapping applied is always the
 * document's (depth or disparity, scale, near, far), so what the view shows is what renders.
 */

/** Decoded depth files of the last few assets read (the view asks again on every mapping edit, and once per source view). */
const rawCache = new Map<string, Promise<RawDepth>>();
const RAW_CACHE_SIZE = 8;

/**
 * The raw depth of the document (or `given`: a source view's, on `photo`): a depth asset read
 * through readCheckedAsset (inside the assets folder, bytes matching the sha256), or a shape baked
 * over the photo; cached by file and verified hash, or by shape and photo size.
 */
export function readDepthAsset(
  dir: string,
  doc: ProjectDoc,
  given?: Depth,
  photo: { width: number; height: number } | null = doc.image,
): Promise<RawDepth> {
  const depth = given ?? doc.depth;
  if (!depth) throw new CamtrackError('bad-input', 'This project has no depth yet: import a depth file first.');
  if (!photo) throw new CamtrackError('bad-input', 'Import a photo before its depth can be read.');
  const s = depth.source;
  const key =
    s.type === 'shape'
      ? JSON.stringify([s.shape, photo.width, photo.height])
      : `${dir}|${s.asset.file}|${s.asset.sha256}`;
  let raw = rawCache.get(key);
  if (!raw) {
    const name = s.type === 'file' ? s.originalName : undefined;
    const loading = readDepthSource(
      depth,
      photo,
      (ref) =>
        readCheckedAsset(null, dir, ref, 'depth file').catch((e: unknown) => {
          throw e instanceof CamtrackError && e.code === 'not-found'
            ? new CamtrackError(
                'not-found',
                `The project's depth file ${ref.file} is missing from its assets folder; import the depth again.`,
                { cause: e },
              )
            : e;
        }),
      name,
    );
    raw = loading;
    loading.catch(() => {
      if (rawCache.get(key) === loading) rawCache.delete(key);
    });
  } else rawCache.delete(key);
  // Most recently used last; the oldest goes first.
  rawCache.set(key, raw);
  while (rawCache.size > RAW_CACHE_SIZE) rawCache.delete(rawCache.keys().next().value as string);
  return raw;
}

/**
 * The report the UI shows: counts, z range and median after the mapping, a histogram of `z` (the
 * mapped depth it was made from), the plausibility warnings, and notes a person can act on.
 */
export function depthReportView(r: DepthReport, z: ArrayLike<number>): DepthReportView {
  const invalid = r.total - r.valid;
  const notes = [`read as ${r.origin}`];
  if (invalid) notes.push(`no depth at ${invalid} pixels (${describeInvalid(r)}): they show as holes`);
  if (r.flooredDisparity)
    notes.push(
      `${r.flooredDisparity} disparities <= 1e-5 (zero or negative included) taken as 1e-5: far away, not holes`,
    );
  if (r.clippedNear) notes.push(`${r.clippedNear} values clipped to near = ${r.mapping.near}`);
  if (r.clippedFar) notes.push(`${r.clippedFar} values clipped to far = ${r.mapping.far}`);
  return {
    width: r.width,
    height: r.height,
    valid: r.valid,
    invalid,
    min: r.zMin,
    max: r.zMax,
    median: r.zMedian,
    rawMin: r.rawMin,
    rawMax: r.rawMax,
    rawMedian: r.rawMedian,
    histogram: depthHistogram(z),
    warnings: depthWarnings(r),
    notes,
  };
}

/** Size of a grid of at most `maxSide` on its long side with the photo's aspect. */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

export const depthHandlers: Handlers = {
  /**
   * Decodes the file (npy, PNG, PFM, TIFF), refuses unusable ones, stores it as an asset with its
   * mapping: the replaced depth's when that was a file holding the same kind of values (a
   * re-import keeps what the artist set), else the default for its values (depth/defaults.ts).
   */
  async 'depth.import'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const raw = await decodeDepth(input.bytes, input.name);
    const prev = input.previous;
    let kept = false;
    if (prev?.source.type === 'file') {
      const old = await readDepthSource(prev, { width: 1, height: 1 }, (ref) =>
        readCheckedAsset(null, dir, ref, 'depth file'),
      ).catch(() => null);
      kept = old?.encoding === raw.encoding;
    }
    const mapping = kept ? prev!.mapping : defaultDepthMapping(raw);
    const { depth: mapped, report } = applyDepthMapping(raw, mapping);
    const format = sniffFormat(input.bytes);
    const asset = await storeAsset(dir, 'depth', input.bytes, format === 'unknown' ? 'bin' : format);
    const view = depthReportView(report, mapped.z);
    view.notes.push(
      kept
        ? `mapping kept from the depth it replaces (${mapping.kind}, scale ${Number(mapping.scale.toPrecision(6))}); change it in the Depth panel`
        : `mapping: ${describeDefault(raw)}; change it in the Depth panel (Flip depth / disparity) if the file holds something else`,
    );
    return { depth: { source: { type: 'file', asset, originalName: input.name }, mapping }, report: view };
  },

  /**
   * z-depth on a grid of the whole photo at most maxSide on its long side (NaN where there is no
   * depth), with the photo's intrinsics on that grid: unprojecting pixel centres (u + 0.5, v + 0.5)
   * with them gives the points the warp moves.
   */
  async 'depth.preview'(input, ctx) {
    const { doc } = input;
    // A source view of a sparse-view project (its own photo, depth and intrinsics), else the photo.
    const view = input.view === undefined ? null : doc.sources.find((v) => v.id === input.view);
    if (view === undefined) throw new CamtrackError('not-found', `The project has no source view "${input.view}".`);
    const image = view ? view.image : doc.image;
    if (!image) throw new CamtrackError('bad-input', 'Import a photo before its depth can be shown.');
    const raw = await readDepthAsset(projectDir(ctx, input.project), doc, view?.depth, image);
    const size = previewSize(image.width, image.height, input.maxSide);
    const placement = stretchPlacement(image.width, image.height, size.width, size.height);
    const { depth, report } = depthForRender(raw, (view?.depth ?? doc.depth!).mapping, placement);
    const z = depth.z;
    for (let i = 0; i < z.length; i++) if (!(z[i] > 0)) z[i] = NaN;
    // The histogram of the grid shown (the report's counts and medians are of the whole depth).
    const k = placeIntrinsics(photoIntrinsics(image), placement);
    return {
      width: size.width,
      height: size.height,
      depth: z,
      fx: k.fx,
      fy: k.fy,
      cx: k.cx,
      cy: k.cy,
      report: depthReportView(report, z),
    };
  },
};
