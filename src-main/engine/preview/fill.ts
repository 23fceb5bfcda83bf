import { fillKernel } from '../kernels/fillKernel';

/**
 * Hole filling for the preview render: a multi-scale push-pull fill (Gortler et al., "The
 * Lumigraph", 1996) that leans towards the background.
 *
 * Pull: an image pyramid where every coarser pixel averages its 2x2 children that carry colour,
 * weighted by their confidence and by a background weight (depth / farthest depth)^BACKGROUND_POWER,
 * so a disocclusion (which reveals what was behind the foreground) is filled from its far side and
 * the foreground does not bleed into it. Confidence is the clamped sum of the children's.
 * Push: from the coarsest level down, each level's colour is blended with the bilinear upsampling
 * of the level below it by (1 - alpha), alpha = confidence x min(1, own mass / coarser mass): a
 * patch that saw only foreground while the wider view also holds background gives way to the
 * wider, background-weighted colour, so the fill next to a foreground edge comes from the far
 * side. At full resolution only hole pixels are written.
 *
 * The loops run in a WebAssembly kernel (kernels/assembly/fill.ts), a level at a time.
 * Pure arithmetic on the given arrays in a fixed order: the same warped frame always gives the same
 * filled frame (no flicker), and pixels that are not holes are returned exactly as given.
 * OpenCV's Telea / Navier-Stokes inpainting (through the opencv.js WebAssembly build) was judged
 * and not used: a 10 MB module to load, a cost that grows with the hole radius, and no notion of
 * depth, so foreground colour smears into every disocclusion.
 */
export interface FillInput {
  width: number;
  height: number;
  /** RGB float32, width * height * 3; hole pixels are ignored. */
  image: Float32Array;
  /** 1 = hole, width * height. */
  holes: Uint8Array;
  /** Target-frame depth per pixel (0 = unknown): farther pixels weigh more. Without it, all weigh alike. */
  depth?: Float32Array;
}

/** 2^-8 per halving of depth: a surface twice as far outweighs the foreground 256 to 1 (in the kernel). */
export const BACKGROUND_POWER = 8;

/** The filled image: a new array; hole pixels filled, every other pixel copied exactly. */
export function pushPullFill(input: FillInput): Float32Array {
  const { width, height, image, holes, depth } = input;
  const n = width * height;
  if (image.length !== n * 3 || holes.length !== n)
    throw new Error(`fill: ${width}x${height} needs ${n * 3} colours and ${n} hole flags`);
  if (depth && depth.length !== n) throw new Error(`fill: ${width}x${height} needs ${n} depths`);
  return fillKernel().fill(width, height, image, holes, depth);
}
