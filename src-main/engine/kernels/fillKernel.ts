import { WASM_BASE64 } from './fill.wasm';
import { align16, growTo, instantiateKernel, type KernelExports } from './wasm';

/**
 * The push-pull fill's kernel (assembly/fill.ts) and its memory, one per thread. The memory holds
 * the frame (colour, holes, depth) and, for each pyramid level, colour, confidence and mass; level
 * 0's colour is the frame's, so the holes pushed into it at the end leave the filled frame there.
 * It is laid out for one frame size and kept while the frames keep that size.
 */
interface FillExports extends KernelExports {
  baseLevel(n: number, holes: number, depth: number, conf: number, mass: number): number;
  pull(
    fw: number,
    fh: number,
    frgb: number,
    fconf: number,
    fmass: number,
    w: number,
    h: number,
    rgb: number,
    conf: number,
    mass: number,
  ): void;
  push(
    w: number,
    h: number,
    rgb: number,
    conf: number,
    mass: number,
    cw: number,
    ch: number,
    crgb: number,
    cmass: number,
  ): void;
  pushHoles(w: number, h: number, holes: number, rgb: number, cw: number, ch: number, crgb: number): void;
}

interface LevelPtrs {
  w: number;
  h: number;
  rgb: number;
  conf: number;
  mass: number;
}

interface Layout {
  width: number;
  height: number;
  holes: number;
  depth: number;
  levels: LevelPtrs[];
}

class FillMemory {
  private readonly k = instantiateKernel<FillExports>('fill', WASM_BASE64);
  private layout: Layout | null = null;

  /** The filled colours of a width x height frame (a new array); see preview/fill.ts. */
  fill(
    width: number,
    height: number,
    image: Float32Array,
    holes: Uint8Array,
    depth: Float32Array | undefined,
  ): Float32Array {
    const L = this.layoutFor(width, height);
    const n = width * height;
    const buf = this.k.memory.buffer;
    const [base, level1] = L.levels;
    new Float32Array(buf, base.rgb, n * 3).set(image);
    new Uint8Array(buf, L.holes, n).set(holes);
    if (depth) new Float32Array(buf, L.depth, n).set(depth);
    const holeCount = this.k.baseLevel(n, L.holes, depth ? L.depth : 0, base.conf, base.mass);
    if (holeCount === 0) return image.slice();
    if (holeCount === n) return new Float32Array(n * 3);
    for (let l = 1; l < L.levels.length; l++) {
      const f = L.levels[l - 1],
        c = L.levels[l];
      this.k.pull(f.w, f.h, f.rgb, f.conf, f.mass, c.w, c.h, c.rgb, c.conf, c.mass);
    }
    for (let l = L.levels.length - 2; l >= 1; l--) {
      const f = L.levels[l],
        c = L.levels[l + 1];
      this.k.push(f.w, f.h, f.rgb, f.conf, f.mass, c.w, c.h, c.rgb, c.mass);
    }
    this.k.pushHoles(width, height, L.holes, base.rgb, level1.w, level1.h, level1.rgb);
    return new Float32Array(this.k.memory.buffer, base.rgb, n * 3).slice();
  }

  private layoutFor(width: number, height: number): Layout {
    if (this.layout && this.layout.width === width && this.layout.height === height) return this.layout;
    let p = align16(this.k.heapBase());
    const take = (bytes: number) => {
      const at = p;
      p = align16(p + bytes);
      return at;
    };
    const n = width * height;
    const holes = take(n);
    const depth = take(n * 4);
    const levels: LevelPtrs[] = [];
    // Halve (rounding up) until one pixel is left.
    for (let w = width, h = height; ; w = (w + 1) >> 1, h = (h + 1) >> 1) {
      levels.push({ w, h, rgb: take(w * h * 12), conf: take(w * h * 4), mass: take(w * h * 8) });
      if (w === 1 && h === 1) break;
    }
    growTo(this.k.memory, p);
    this.layout = { width, height, holes, depth, levels };
    return this.layout;
  }
}

let shared: FillMemory | null = null;

/** This thread's fill kernel (made on first use). */
export function fillKernel(): FillMemory {
  shared ??= new FillMemory();
  return shared;
}
