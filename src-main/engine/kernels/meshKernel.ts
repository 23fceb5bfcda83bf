import type { Intrinsics } from '../geometry/conventions';
import { WASM_BASE64 } from './mesh.wasm';
import {
  align16 as align,
  frameArrays,
  growTo,
  instantiateKernel,
  writeTransformAndRays,
  type KernelExports,
} from './wasm';

/**
 * The mesh warp's kernel (assembly/mesh.ts) and its memory, one per thread (each warp pool worker
 * loads its own). From the heap base:
 *   zbuf, frag, bary  per target pixel: nearest 1/z (0 = empty), fragment code, two barycentric weights
 *   image, raw, holes, z  the resolved frame: colours (float32 RGB), raw and dilated holes, depth
 *   T     the 3x4 source-to-target transform (float64 x 12), then room for a square's 4 vertices
 *   rayX  (u + 0.5 - cx) / fx per source column (float64)
 *   verts x, y, 1/z per source pixel (float32 x 3), reused by each layer in turn
 *   layers  up to two resident sources: colours, depth and links each, kept while the next frame
 *           uses the same arrays, so a worker warping a track copies its photo in once.
 * Views of the memory are made anew after every call that may grow it.
 */
interface MeshExports extends KernelExports {
  computeLinks(depth: number, sw: number, sh: number, tau: number, sharper: number, links: number): void;
  projectVertices(
    depth: number,
    sw: number,
    sh: number,
    sfy: number,
    cy: number,
    T: number,
    rayX: number,
    fx: number,
    fy: number,
    tcx: number,
    tcy: number,
    verts: number,
  ): void;
  rasterise(
    verts: number,
    links: number,
    depth: number,
    sw: number,
    sh: number,
    layer: number,
    tw: number,
    th: number,
    maxExtent: number,
    zbuf: number,
    frag: number,
    bary: number,
  ): void;
  resolve(
    n: number,
    zbuf: number,
    frag: number,
    bary: number,
    sw: number,
    rgb0: number,
    rgb1: number,
    image: number,
    raw: number,
    zOut: number,
  ): void;
  drawSquares(
    depth: number,
    links: number,
    sw: number,
    sh: number,
    sfx: number,
    sfy: number,
    scx: number,
    scy: number,
    T: number,
    fx: number,
    fy: number,
    tcx: number,
    tcy: number,
    layer: number,
    tw: number,
    th: number,
    maxExtent: number,
    zbuf: number,
    frag: number,
    bary: number,
    scratch: number,
  ): void;
  applyHoles(image: number, holes: number, n: number, zOut: number): number;
}

/** One layer of a mesh source: colours, z-depth (0 = no point) and the joining threshold. */
export interface MeshLayer {
  rgb: Float32Array;
  depth: Float32Array;
  threshold: number;
  /** How much sharper than the surface on either side a jump must be to tear (0: the threshold alone). */
  sharper: number;
}

interface Resident {
  layer: MeshLayer;
  rgbPtr: number;
  depthPtr: number;
  linksPtr: number;
}

/** The transform (12 float64) and a square's four vertices (x, y, 1/z as float32). */
const T_AND_SCRATCH = 96 + 48;

/** Triangles wider or taller than this many target sizes are dropped: they cross the camera plane. */
const MAX_EXTENT_TARGETS = 2;

class MeshMemory {
  private readonly k: MeshExports;
  private pixels = 0;
  private zbufPtr = 0;
  private fragPtr = 0;
  private baryPtr = 0;
  private imagePtr = 0;
  private rawPtr = 0;
  private holesPtr = 0;
  private zPtr = 0;
  private tPtr = 0;
  /** Source region: capacity in pixels and columns. */
  private srcPixels = 0;
  private srcColumns = 0;
  private rayPtr = 0;
  private vertsPtr = 0;
  private slots: (Resident | null)[] = [null, null];
  private width = 0;
  private height = 0;
  /** The source width of the layers drawn since begin() (the resolve decodes corners with it). */
  private drawnWidth = 0;

  constructor() {
    this.k = instantiateKernel<MeshExports>('mesh', WASM_BASE64);
    this.layout(0);
  }

  /** Clears the z-buffer for a width x height target (laying the memory out anew for a new size). */
  begin(width: number, height: number): void {
    const pixels = width * height;
    this.layout(pixels);
    this.width = width;
    this.height = height;
    this.drawnWidth = 0;
    new Float32Array(this.k.memory.buffer, this.zbufPtr, pixels).fill(0);
  }

  /**
   * Which neighbours each pixel of a depth map is joined to, as the mesh joins them: bits right 1,
   * down 2, down-right 4, down-left 8, and 16 on an edge pixel (kernels/assembly/mesh.ts).
   */
  links(depth: Float32Array, width: number, height: number, threshold: number, sharper: number): Uint8Array {
    this.reserveSource(width, height);
    // In slot 0's room (its depth and links), without its colours: the slot holds no layer afterwards.
    this.slots[0] = null;
    const depthPtr = this.slotBase(0) + align(this.srcPixels * 12);
    const linksPtr = depthPtr + align(this.srcPixels * 4);
    new Float32Array(this.k.memory.buffer, depthPtr, width * height).set(depth);
    this.k.computeLinks(depthPtr, width, height, threshold, sharper, linksPtr);
    return new Uint8Array(this.k.memory.buffer, linksPtr, width * height).slice();
  }

  /** Lays the target's arrays out for `pixels` pixels (the sources after them are dropped when it changes). */
  private layout(pixels: number): void {
    if (pixels !== this.pixels || this.tPtr === 0) {
      this.pixels = pixels;
      this.zbufPtr = align(this.k.heapBase());
      this.fragPtr = align(this.zbufPtr + pixels * 4);
      this.baryPtr = align(this.fragPtr + pixels * 4);
      this.imagePtr = align(this.baryPtr + pixels * 8);
      this.rawPtr = align(this.imagePtr + pixels * 12);
      this.holesPtr = align(this.rawPtr + pixels);
      this.zPtr = align(this.holesPtr + pixels);
      this.tPtr = align(this.zPtr + pixels * 4);
      this.srcPixels = 0;
      this.srcColumns = 0;
      this.slots = [null, null];
      growTo(this.k.memory, this.tPtr + T_AND_SCRATCH);
    }
  }

  /** Room for a source of sw x sh pixels after the target's arrays (what was resident goes when it grows). */
  private reserveSource(sw: number, sh: number): void {
    const sn = sw * sh;
    if (sn > this.srcPixels || sw > this.srcColumns) {
      this.srcPixels = Math.max(sn, this.srcPixels);
      this.srcColumns = Math.max(sw, this.srcColumns);
      this.rayPtr = align(this.tPtr + T_AND_SCRATCH);
      this.vertsPtr = align(this.rayPtr + this.srcColumns * 8);
      this.slots = [null, null];
      growTo(this.k.memory, this.slotBase(2));
    }
  }

  /**
   * Draws layer `slot` (0: the photo, 1: the layer behind it) of a source seen through `sk` into
   * the target camera `tk`, `T` the 3x4 source-to-target transform (OpenCV axes).
   */
  draw(layer: MeshLayer, slot: 0 | 1, sk: Intrinsics, T: ArrayLike<number>, tk: Intrinsics): void {
    const sw = sk.width,
      sh = sk.height,
      sn = sw * sh;
    if (layer.rgb.length !== sn * 3 || layer.depth.length !== sn)
      throw new Error(`mesh kernel: a ${sw}x${sh} source needs ${sn} depths and 3 colours each`);
    if (tk.width !== this.width || tk.height !== this.height)
      throw new Error('mesh kernel: begin() was for another target size');
    if (this.drawnWidth !== 0 && this.drawnWidth !== sw)
      throw new Error('mesh kernel: the layers of one frame must be the same size');
    this.drawnWidth = sw;
    this.reserveSource(sw, sh);
    const resident = this.resident(layer, slot, sw, sh);
    writeTransformAndRays(this.k.memory, this.tPtr, this.rayPtr, T, sk);
    // Target pixel-index coordinates: the centre of pixel i is at i + 0.5 in K's coordinates.
    this.k.projectVertices(
      resident.depthPtr,
      sw,
      sh,
      sk.fy,
      sk.cy,
      this.tPtr,
      this.rayPtr,
      tk.fx,
      tk.fy,
      tk.cx - 0.5,
      tk.cy - 0.5,
      this.vertsPtr,
    );
    const maxExtent = MAX_EXTENT_TARGETS * Math.max(tk.width, tk.height);
    this.k.rasterise(
      this.vertsPtr,
      resident.linksPtr,
      resident.depthPtr,
      sw,
      sh,
      slot,
      tk.width,
      tk.height,
      maxExtent,
      this.zbufPtr,
      this.fragPtr,
      this.baryPtr,
    );
    this.k.drawSquares(
      resident.depthPtr,
      resident.linksPtr,
      sw,
      sh,
      sk.fx,
      sk.fy,
      sk.cx,
      sk.cy,
      this.tPtr,
      tk.fx,
      tk.fy,
      tk.cx - 0.5,
      tk.cy - 0.5,
      slot,
      tk.width,
      tk.height,
      maxExtent,
      this.zbufPtr,
      this.fragPtr,
      this.baryPtr,
      this.tPtr + 96,
    );
  }

  /** The frame's colours, its raw holes (no triangle) and, with `withDepth`, its z: views of the kernel's memory until the next call. */
  resolve(withDepth: boolean): Uint8Array {
    const rgb = (slot: 0 | 1) => this.slots[slot]?.rgbPtr ?? 0;
    this.k.resolve(
      this.pixels,
      this.zbufPtr,
      this.fragPtr,
      this.baryPtr,
      this.drawnWidth,
      rgb(0),
      rgb(1),
      this.imagePtr,
      this.rawPtr,
      withDepth ? this.zPtr : 0,
    );
    return new Uint8Array(this.k.memory.buffer, this.rawPtr, this.pixels);
  }

  /** The colours with `holes` (the dilated mask) zeroed, the hole count and, with depth, each pixel's z: arrays of their own. */
  applyHoles(holes: Uint8Array, withDepth: boolean): { image: Float32Array; holeCount: number; depth?: Float32Array } {
    const buf = this.k.memory.buffer;
    new Uint8Array(buf, this.holesPtr, this.pixels).set(holes);
    const holeCount = this.k.applyHoles(this.imagePtr, this.holesPtr, this.pixels, withDepth ? this.zPtr : 0);
    return frameArrays(this.k.memory, this.imagePtr, this.zPtr, this.pixels, holeCount, withDepth);
  }

  /** Where slot k's arrays start (after the shared vertices), for the current source capacity. */
  private slotBase(slot: number): number {
    const slotBytes = align(this.srcPixels * 12) + align(this.srcPixels * 4) + align(this.srcPixels);
    return align(this.vertsPtr + this.srcPixels * 12) + slot * slotBytes;
  }

  /** The layer's arrays in its slot, copied in (and its links computed) only when the slot held other arrays. */
  private resident(layer: MeshLayer, slot: 0 | 1, sw: number, sh: number): Resident {
    const held = this.slots[slot];
    if (
      held &&
      held.layer.rgb === layer.rgb &&
      held.layer.depth === layer.depth &&
      held.layer.threshold === layer.threshold &&
      held.layer.sharper === layer.sharper
    )
      return held;
    const rgbPtr = this.slotBase(slot);
    const depthPtr = rgbPtr + align(this.srcPixels * 12);
    const linksPtr = depthPtr + align(this.srcPixels * 4);
    const buf = this.k.memory.buffer;
    new Float32Array(buf, rgbPtr, sw * sh * 3).set(layer.rgb);
    new Float32Array(buf, depthPtr, sw * sh).set(layer.depth);
    this.k.computeLinks(depthPtr, sw, sh, layer.threshold, layer.sharper, linksPtr);
    const r: Resident = { layer, rgbPtr, depthPtr, linksPtr };
    this.slots[slot] = r;
    return r;
  }
}

let shared: MeshMemory | null = null;

/** This thread's mesh kernel (made on first use). */
export function meshKernel(): MeshMemory {
  shared ??= new MeshMemory();
  return shared;
}
