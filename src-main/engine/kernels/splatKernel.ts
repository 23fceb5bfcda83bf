import type { Intrinsics } from '../geometry/conventions';
import { WASM_BASE64 } from './splat.wasm';
import {
  align16 as align,
  frameArrays,
  growTo,
  instantiateKernel,
  writeTransformAndRays,
  type KernelExports,
} from './wasm';

/**
 * The forward warp's splatting kernel (assembly/splat.ts) and its memory, one per thread (the warp
 * pool's workers each load their own). The memory holds, from its heap base:
 *   acc   r, g, b, weight, coverage per target pixel (float64 x 5)   - the frame being made
 *   zacc  weighted target z per target pixel (float64)
 *   image, raw, holes, z  the resolved frame: colours (float32 RGB), raw and dilated hole masks, depth
 *   T     the 3x4 source-to-target transform (float64 x 12)
 *   rayX  (u + 0.5 - cx) / fx per source column (float64)
 *   zt, zw  each source pixel's target depth and soft z-buffer weight (float64)
 *   rgb, depth  the source being splatted (float32), kept while the next splat uses the same one,
 *               so a worker warping a track copies its photo in once.
 * The accumulators come first so that a larger source, which grows the memory, leaves them where
 * they are. Views of the memory are made anew after every call that may grow it.
 */
interface SplatExports extends KernelExports {
  targetDepths(
    depth: number,
    sw: number,
    sh: number,
    sfy: number,
    cy: number,
    T: number,
    rayX: number,
    zt: number,
  ): number;
  softZWeights(zt: number, zw: number, n: number, maxLog: number): void;
  splatPoints(
    rgb: number,
    depth: number,
    sw: number,
    sh: number,
    sfy: number,
    cy: number,
    T: number,
    rayX: number,
    zt: number,
    zw: number,
    tw: number,
    th: number,
    fx: number,
    fy: number,
    tcx: number,
    tcy: number,
    blend: number,
    acc: number,
    zacc: number,
  ): void;
  resolveColours(acc: number, n: number, threshold: number, image: number, raw: number): void;
  applyHoles(image: number, holes: number, n: number, acc: number, zacc: number, zOut: number): number;
}

class SplatMemory {
  private readonly k: SplatExports;
  private pixels = 0;
  private accPtr = 0;
  private zaccPtr = 0;
  private imagePtr = 0;
  private rawPtr = 0;
  private holesPtr = 0;
  private zPtr = 0;
  private tPtr = 0;
  /** Source region: capacity in pixels and columns, and where its arrays start. */
  private srcPixels = 0;
  private srcColumns = 0;
  private rayPtr = 0;
  private ztPtr = 0;
  private zwPtr = 0;
  private rgbPtr = 0;
  private depthPtr = 0;
  private resident: { rgb: Float32Array; depth: Float32Array } | null = null;

  constructor() {
    this.k = instantiateKernel<SplatExports>('splat', WASM_BASE64);
  }

  /** Zeroes the accumulators for a target of `pixels` pixels (laying the memory out anew for a new size). */
  begin(pixels: number, withDepth: boolean): void {
    if (pixels !== this.pixels) {
      this.pixels = pixels;
      this.accPtr = align(this.k.heapBase());
      this.zaccPtr = align(this.accPtr + pixels * 40);
      this.imagePtr = align(this.zaccPtr + pixels * 8);
      this.rawPtr = align(this.imagePtr + pixels * 12);
      this.holesPtr = align(this.rawPtr + pixels);
      this.zPtr = align(this.holesPtr + pixels);
      this.tPtr = align(this.zPtr + pixels * 4);
      this.srcPixels = 0;
      this.srcColumns = 0;
      this.resident = null;
      growTo(this.k.memory, this.tPtr + 96);
    }
    new Float64Array(this.k.memory.buffer, this.accPtr, pixels * 5).fill(0);
    if (withDepth) new Float64Array(this.k.memory.buffer, this.zaccPtr, pixels).fill(0);
  }

  /**
   * Splats the photo `rgb` with z-depth `depth` seen through `sk` into the target camera `tk`,
   * `T` the 3x4 source-to-target transform (OpenCV axes), into the accumulators (see forward.ts).
   * `scale` gives the soft z-buffer's scale from the farthest point in front of the target.
   */
  splat(
    rgb: Float32Array,
    depth: Float32Array,
    sk: Intrinsics,
    T: ArrayLike<number>,
    tk: Intrinsics,
    blend: number,
    scale: (maxZ: number) => number,
    withDepth: boolean,
  ): void {
    if (rgb.length !== sk.width * sk.height * 3 || depth.length !== sk.width * sk.height)
      throw new Error(
        `splat kernel: a ${sk.width}x${sk.height} source needs ${sk.width * sk.height} depths and 3 colours each`,
      );
    if (tk.width * tk.height !== this.pixels) throw new Error('splat kernel: begin() was for another target size');
    const sw = sk.width,
      sh = sk.height,
      sn = sw * sh;
    if (sn > this.srcPixels || sw > this.srcColumns) {
      this.srcPixels = Math.max(sn, this.srcPixels);
      this.srcColumns = Math.max(sw, this.srcColumns);
      this.rayPtr = align(this.tPtr + 96);
      this.ztPtr = align(this.rayPtr + this.srcColumns * 8);
      this.zwPtr = align(this.ztPtr + this.srcPixels * 8);
      this.rgbPtr = align(this.zwPtr + this.srcPixels * 8);
      this.depthPtr = align(this.rgbPtr + this.srcPixels * 12);
      growTo(this.k.memory, this.depthPtr + this.srcPixels * 4);
      this.resident = null;
    }
    const buf = this.k.memory.buffer;
    if (!this.resident || this.resident.rgb !== rgb || this.resident.depth !== depth) {
      new Float32Array(buf, this.rgbPtr, sn * 3).set(rgb);
      new Float32Array(buf, this.depthPtr, sn).set(depth);
      this.resident = { rgb, depth };
    }
    writeTransformAndRays(this.k.memory, this.tPtr, this.rayPtr, T, sk);
    const maxZ = this.k.targetDepths(this.depthPtr, sw, sh, sk.fy, sk.cy, this.tPtr, this.rayPtr, this.ztPtr);
    this.k.softZWeights(this.ztPtr, this.zwPtr, sn, scale(maxZ));
    this.k.splatPoints(
      this.rgbPtr,
      this.depthPtr,
      sw,
      sh,
      sk.fy,
      sk.cy,
      this.tPtr,
      this.rayPtr,
      this.ztPtr,
      this.zwPtr,
      // Target pixel-index coordinates: the centre of pixel i is at i + 0.5 in K's coordinates.
      tk.width,
      tk.height,
      tk.fx,
      tk.fy,
      tk.cx - 0.5,
      tk.cy - 0.5,
      blend,
      this.accPtr,
      withDepth ? this.zaccPtr : 0,
    );
  }

  /**
   * The frame's colours from the sums and its raw hole mask (coverage below `threshold`, or no
   * weight): a view of the kernel's memory, valid until the next call.
   */
  resolveColours(threshold: number): Uint8Array {
    this.k.resolveColours(this.accPtr, this.pixels, threshold, this.imagePtr, this.rawPtr);
    return new Uint8Array(this.k.memory.buffer, this.rawPtr, this.pixels);
  }

  /** The colours with `holes` (the dilated mask) zeroed, the hole count and, with depth, each pixel's z: arrays of their own. */
  applyHoles(holes: Uint8Array, withDepth: boolean): { image: Float32Array; holeCount: number; depth?: Float32Array } {
    const buf = this.k.memory.buffer;
    new Uint8Array(buf, this.holesPtr, this.pixels).set(holes);
    const holeCount = this.k.applyHoles(
      this.imagePtr,
      this.holesPtr,
      this.pixels,
      this.accPtr,
      withDepth ? this.zaccPtr : 0,
      this.zPtr,
    );
    return frameArrays(this.k.memory, this.imagePtr, this.zPtr, this.pixels, holeCount, withDepth);
  }
}

let shared: SplatMemory | null = null;

/** This thread's splat kernel (made on first use). */
export function splatKernel(): SplatMemory {
  shared ??= new SplatMemory();
  return shared;
}
