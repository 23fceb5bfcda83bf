/**
 * Depth grids. A RawDepth holds a file's (or a model's) values as they are, before any mapping;
 * a DepthMap holds metric z-depth along the optical axis (OpenCV z) where 0 marks a pixel with no
 * depth: such pixels do not splat in the warp, so they become holes. Rows run top to bottom.
 */
export interface RawDepth {
  width: number;
  height: number;
  values: Float32Array | Float64Array;
  /** Where the values came from, for messages and reports ('npy <f4', 'pfm', 'png 16-bit', ...). */
  origin: string;
  /**
   * How the values were stored: 'float' (npy, PFM, float TIFF, a model's output, a baked shape),
   * 'uint16' or 'uint8' (PNG and TIFF). The default mapping of a depth file follows it
   * (depth/defaults.ts).
   */
  encoding: DepthEncoding;
}

export type DepthEncoding = 'float' | 'uint16' | 'uint8';

export interface DepthMap {
  width: number;
  height: number;
  /** z-depth per pixel, > 0; 0 = no depth. */
  z: Float32Array;
}
