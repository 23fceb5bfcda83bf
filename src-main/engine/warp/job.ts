import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { FrameCamera } from '../geometry/conventions';
import type { DepthReport } from '../depth/mapping';
import { depthWarnings, resolveDepthMapping } from '../depth/defaults';
import { depthForRender } from '../depth/prepare';
import { estimateDepth, loadDepthModel } from '../depth/estimate';
import { readDepthFile } from '../depth/read';
import type { RawDepth } from '../depth/types';
import { encodeMaskPng, encodePng } from '../image/encode';
import { computeFit, type FitMode, type Placement } from '../image/fit';
import { loadImageFile, type LoadedImage } from '../image/load';
import { resampleImage } from '../image/resample';
import type { RgbImage } from '../image/types';
import type { DepthMapping, DepthShape, WarpMethod } from '../project/schema';
import { bakeShapeForPhoto, SHAPE_MAPPING } from '../depth/shapes';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError } from '../util/errors';
import { prepareWarp, warpPrepared } from './method';
import { createWarpPool, WARP_IN_THREAD_BELOW, type WarpResult } from './pool';

/**
 * A whole warp job from files to files (edge module): the photo placed on the render grid (crop or
 * pad), its depth mapped and placed the same way, every camera of the track warped in the worker
 * pool, and frame_NNNN.png / mask_NNNN.png (white = hole) / warp.json written into `outDir`.
 * The first camera took the photo; its intrinsics are the photo's at the render size.
 */
export interface WarpJob {
  imagePath: string;
  /** A depth file, an ONNX depth model (Depth Anything V2 contract) to estimate it with, or a depth shape. */
  depth: { kind: 'file'; path: string } | { kind: 'model'; path: string } | { kind: 'shape'; shape: DepthShape };
  /** The mapping; what is left out takes the defaults of depth/defaults.ts (a model's output is disparity). A shape is in scene units: no mapping. */
  mapping?: Partial<DepthMapping>;
  /** 'mesh' (the default, as in new projects) or 'splat' (the NVS-Solver reference's splatting). */
  method?: WarpMethod;
  cameras: FrameCamera[];
  fit: FitMode;
  outDir: string;
  onProgress?: (done: number, total: number) => void;
}

export interface WarpSummary {
  width: number;
  height: number;
  latentWidth: number;
  latentHeight: number;
  fit: FitMode;
  method: WarpMethod;
  frames: number;
  image: {
    file: string;
    format: LoadedImage['format'];
    width: number;
    height: number;
    bitDepth: number;
    hadAlpha: boolean;
    exifOrientation: number;
  };
  placement: Placement;
  depth: DepthReport;
  /** Where the mapping makes an implausible scene (depth/defaults.ts: depthWarnings); empty when it looks right. */
  depthWarnings: string[];
  holeFraction: number[];
  latentHoleFraction: number[];
  files: { frames: string[]; masks: string[] };
  /** workers: 0 when the frames were warped on the calling thread. */
  timings: {
    loadMs: number;
    depthMs: number;
    warpMs: number;
    frameMs: number[];
    writeMs: number;
    totalMs: number;
    workers: number;
  };
}

export async function runWarpJob(job: WarpJob): Promise<WarpSummary> {
  const t0 = performance.now();
  if (job.cameras.length === 0) throw new CamtrackError('bad-input', 'The camera path has no cameras.');
  const { width, height } = job.cameras[0].intrinsics;
  for (const [i, c] of job.cameras.entries()) {
    if (c.intrinsics.width !== width || c.intrinsics.height !== height) {
      throw new CamtrackError(
        'bad-input',
        `Camera ${i} renders ${c.intrinsics.width}x${c.intrinsics.height} but camera 0 renders ${width}x${height}; a track has one size.`,
      );
    }
  }
  const loaded = await loadImageFile(job.imagePath);
  const method = job.method ?? 'mesh';
  let raw: RawDepth;
  let mapping: DepthMapping;
  if (job.depth.kind === 'shape') {
    raw = bakeShapeForPhoto(job.depth.shape, loaded.image.width, loaded.image.height);
    mapping = { ...SHAPE_MAPPING };
  } else {
    raw =
      job.depth.kind === 'file'
        ? await readDepthFile(job.depth.path)
        : await estimateWith(job.depth.path, loaded.image);
    // The same default as `project new` and the studio: by how the values are stored, a model's output as disparity.
    mapping = resolveDepthMapping(raw, definedOnly(job.mapping ?? {}), job.depth.kind);
  }
  const placement = computeFit(loaded.image.width, loaded.image.height, width, height, job.fit);
  const image = resampleImage(loaded.image, placement);
  const t1 = performance.now();
  const { depth, report } = depthForRender(raw, mapping, placement);
  const t2 = performance.now();

  const source = { image, depth: depth.z, intrinsics: job.cameras[0].intrinsics, c2w: job.cameras[0].c2w };
  let done = 0;
  const progress = () => job.onProgress?.(++done, job.cameras.length);
  let result: WarpResult;
  let workers = 0;
  if (job.cameras.length * width * height < WARP_IN_THREAD_BELOW) {
    // Small jobs: starting workers would cost more than it saves.
    const prepared = prepareWarp(source, method);
    const frameMs: number[] = [];
    const frames = job.cameras.map((c) => {
      const s = performance.now();
      const f = warpPrepared(prepared, c);
      frameMs.push(performance.now() - s);
      progress();
      return f;
    });
    result = { frames, frameMs };
  } else {
    const pool = createWarpPool(Math.min(job.cameras.length, availableParallelism()));
    workers = pool.size;
    try {
      result = await pool.warpFrames(source, job.cameras, { method }, progress);
    } finally {
      await pool.close();
    }
  }
  const t3 = performance.now();

  await mkdir(job.outDir, { recursive: true });
  const names = result.frames.map((_, i) => String(i).padStart(4, '0'));
  const frames = names.map((id) => `frame_${id}.png`);
  const masks = names.map((id) => `mask_${id}.png`);
  // PNG encoding runs on sharp's thread pool: a few frames at a time keep it busy.
  const frameList = result.frames;
  let nextWrite = 0;
  const writer = async () => {
    for (let i = nextWrite++; i < frameList.length; i = nextWrite++) {
      const f = frameList[i];
      await writeFileAtomic(
        path.join(job.outDir, frames[i]),
        await encodePng({ width: f.width, height: f.height, data: f.image }),
      );
      await writeFileAtomic(path.join(job.outDir, masks[i]), await encodeMaskPng(f.holes, f.width, f.height));
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  const first = result.frames[0];
  const summary: WarpSummary = {
    width,
    height,
    latentWidth: first.latentWidth,
    latentHeight: first.latentHeight,
    fit: job.fit,
    method,
    frames: result.frames.length,
    image: {
      file: job.imagePath,
      format: loaded.format,
      width: loaded.image.width,
      height: loaded.image.height,
      bitDepth: loaded.bitDepth,
      hadAlpha: loaded.hadAlpha,
      exifOrientation: loaded.exifOrientation,
    },
    placement,
    depth: report,
    depthWarnings: depthWarnings(report),
    holeFraction: result.frames.map((f) => f.holeFraction),
    latentHoleFraction: result.frames.map((f) => f.latentHoles.reduce((a, b) => a + b, 0) / f.latentHoles.length),
    files: { frames, masks },
    timings: {
      loadMs: t1 - t0,
      depthMs: t2 - t1,
      warpMs: t3 - t2,
      frameMs: result.frameMs,
      writeMs: 0,
      totalMs: 0,
      workers,
    },
  };
  summary.timings.writeMs = performance.now() - t3;
  summary.timings.totalMs = performance.now() - t0;
  await writeFileAtomic(
    path.join(job.outDir, 'warp.json'),
    `${JSON.stringify(summary, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  return summary;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function estimateWith(modelPath: string, image: RgbImage): Promise<RawDepth> {
  const model = await loadDepthModel(modelPath);
  try {
    return await estimateDepth(model, image);
  } finally {
    await model.session.release();
  }
}
