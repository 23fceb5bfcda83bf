import { readRegularText } from '../../engine/util/readBytes';
import path from 'node:path';
import type { Command } from 'commander';
import { parseCameraPathFile } from '../../engine/camera/nerfstudio';
import { computeFit, placeIntrinsics } from '../../engine/image/fit';
import type { DepthMapping } from '../../engine/project/schema';
import { CamtrackError } from '../../engine/util/errors';
import { runWarpJob } from '../../engine/warp/job';
import { noteLine, printJson, progressLine, warnLine } from '../io';
import { addDepthShapeFlags, depthShapeFromFlags, type DepthShapeFlags } from '../depthShapeFlags';
import { shapeName } from '../../engine/depth/shapes';

interface WarpOptions extends DepthShapeFlags {
  image: string;
  depth?: string;
  depthModel?: string;
  depthKind?: string;
  depthScale?: string;
  near?: string;
  far?: string;
  cameraPath: string;
  out: string;
  width?: string;
  height?: string;
  fit: string;
  warp: string;
}

/**
 * `camtrack warp`: the warped view of every camera of a nerfstudio camera_path.json (its first
 * camera took the photo), with hole masks and a warp.json summary.
 */
export function registerWarp(program: Command): void {
  const warp = program
    .command('warp')
    .description(
      'warp a photo with its depth into every camera of a camera path: frame_NNNN.png, mask_NNNN.png (white = hole), warp.json',
    )
    .requiredOption('--image <file>', 'the photo (PNG, JPEG or WebP)')
    .option('--depth <file>', 'its depth: .npy (float), 16-bit PNG or PFM')
    .option(
      '--depth-model <path>',
      'or estimate it: a Depth Anything V2 ONNX model file or folder (onnx-community/depth-anything-v2-small)',
    )
    .option(
      '--depth-kind <kind>',
      "what the depth holds: depth (z along the optical axis) or disparity; default by the file: float .npy/.pfm/TIFF and 16-bit PNG depth, 8-bit PNG and a model's output disparity",
    )
    .option(
      '--depth-scale <s>',
      'depth: z = s * v (default 1, 0.001 for a 16-bit PNG: millimetres); disparity: z = s / v (default: the median pixel at 4 units)',
    )
    .option('--near <n>', 'clip z below this (default 1e-4 for depth, 0.05 for disparity)')
    .option('--far <f>', 'clip z above this (default 1e6 for depth, 1000 for disparity)')
    .requiredOption('--camera-path <file>', 'nerfstudio camera_path.json; its first camera took the photo')
    .requiredOption('--out <dir>', 'output folder')
    .option('--width <w>', 'render width (default: the camera path render_width)')
    .option('--height <h>', 'render height (default: the camera path render_height)')
    .option(
      '--fit <mode>',
      'how the photo fills the render: crop (cover, centred) or pad (contain, black bars)',
      'crop',
    )
    .option(
      '--warp <method>',
      "mesh (the photo as a surface torn at depth edges, the studio's default) or splat (the NVS-Solver reference's splatting)",
      'mesh',
    );
  addDepthShapeFlags(warp).action(async (opts: WarpOptions) => {
    if (opts.fit !== 'crop' && opts.fit !== 'pad')
      throw new CamtrackError('bad-input', `--fit must be crop or pad (got "${opts.fit}").`);
    if (opts.depth !== undefined && opts.depthModel !== undefined)
      throw new CamtrackError(
        'bad-input',
        'Give the depth either as a file (--depth FILE) or as a model to estimate it with (--depth-model PATH), not both.',
      );
    if (opts.warp !== 'mesh' && opts.warp !== 'splat')
      throw new CamtrackError('bad-input', `--warp must be mesh or splat (got "${opts.warp}").`);
    // No depth given: a shape, the default plane at 4 units unless --depth-shape says otherwise (as project new).
    const shape = depthShapeFromFlags(opts, {
      image: true,
      ownDepth: opts.depth !== undefined || opts.depthModel !== undefined,
      sources: '--depth, --depth-model',
    });
    if (shape && [opts.depthKind, opts.depthScale, opts.near, opts.far].some((v) => v !== undefined))
      throw new CamtrackError(
        'bad-input',
        "--depth-kind, --depth-scale, --near and --far map a depth file's values; a depth shape is in scene units already.",
      );
    if (shape && opts.depthShape === undefined)
      noteLine(
        'No depth given: the photo is a plane at 4 units, a shape (the camera moves, the photo stays flat). For real depth give --depth FILE or --depth-model PATH; for a box with parallax, --depth-shape room.',
      );
    if (opts.depthKind !== undefined && opts.depthKind !== 'depth' && opts.depthKind !== 'disparity')
      throw new CamtrackError('bad-input', `--depth-kind must be depth or disparity (got "${opts.depthKind}").`);
    let text: string;
    try {
      text = await readRegularText(opts.cameraPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new CamtrackError('not-found', `Camera path not found: ${opts.cameraPath}`, { cause: e });
      throw e;
    }
    let cameras = parseCameraPathFile(text);
    const w0 = cameras[0].intrinsics.width;
    const h0 = cameras[0].intrinsics.height;
    const width = opts.width !== undefined ? positiveInt('--width', opts.width) : w0;
    const height = opts.height !== undefined ? positiveInt('--height', opts.height) : h0;
    if (width !== w0 || height !== h0) {
      // Another render size: the path's view, centre-cropped to the new aspect and scaled.
      const p = computeFit(w0, h0, width, height, 'crop');
      cameras = cameras.map((c) => ({ c2w: c.c2w, intrinsics: placeIntrinsics(c.intrinsics, p) }));
    }
    const mapping: Partial<DepthMapping> = {
      kind: opts.depthKind as DepthMapping['kind'] | undefined,
      scale: optionalNumber('--depth-scale', opts.depthScale),
      near: optionalNumber('--near', opts.near),
      far: optionalNumber('--far', opts.far),
    };
    const summary = await runWarpJob({
      imagePath: opts.image,
      depth: shape
        ? { kind: 'shape', shape }
        : opts.depth !== undefined
          ? { kind: 'file', path: opts.depth }
          : { kind: 'model', path: opts.depthModel! },
      mapping,
      method: opts.warp,
      cameras,
      fit: opts.fit,
      outDir: opts.out,
      onProgress: (done, total) => progressLine(`warped ${done}/${total}`),
    });
    for (const w of summary.depthWarnings) warnLine(w);
    printJson({
      out: path.resolve(opts.out),
      frames: summary.frames,
      width: summary.width,
      height: summary.height,
      depthInvalid: summary.depth.total - summary.depth.valid,
      depthMapping: summary.depth.mapping,
      ...(shape && { depthShape: shapeName(shape) }),
      warp: summary.method,
      meanHoleFraction: summary.holeFraction.reduce((a, b) => a + b, 0) / summary.frames,
      warpMs: Math.round(summary.timings.warpMs),
      totalMs: Math.round(summary.timings.totalMs),
    });
  });
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CamtrackError('bad-input', `${name} must be a positive integer (got "${v}").`);
  return n;
}

function optionalNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CamtrackError('bad-input', `${name} must be a number (got "${v}").`);
  return n;
}
