import { lutIndex } from './colormap';
import type { CellRect } from './edit';

/**
 * Geometry and pixels of the heatmap. The canvas holds the step axis on the left, the frame axis
 * on top (with the window strip under it when the track renders in windows: `band`) and the map; the map is drawn into an ImageData at device resolution, and only the cells
 * that changed are rewritten and put back (one putImageData of their bounding box per frame).
 */
export interface MapLayout {
  /** Canvas size in CSS pixels and the device pixel ratio. */
  width: number;
  height: number;
  dpr: number;
  steps: number;
  frames: number;
  /** The map's rectangle in CSS pixels. */
  mapX: number;
  mapY: number;
  mapW: number;
  mapH: number;
  /** The map in device pixels (what the ImageData covers) and its origin on the canvas. */
  devX: number;
  devY: number;
  devW: number;
  devH: number;
  /** Device-pixel boundaries of the cells: column f spans xEdges[f]..xEdges[f+1], relative to devX. */
  xEdges: Int32Array;
  yEdges: Int32Array;
}

/** Room for the step axis (step index and sigma) and the frame axis. */
export const AXIS_LEFT = 86;
export const AXIS_TOP = 20;
/** Height of the window strip under the frame axis, for a track rendered in windows (two lanes, so overlaps show). */
export const WINDOW_BAND = 30;
const PAD_RIGHT = 4;
const PAD_BOTTOM = 4;
/** The smallest map drawn (CSS px), when the panel is squeezed. */
const MIN_MAP = 16;

function edges(n: number, px: number): Int32Array {
  const e = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) e[i] = Math.round((i * px) / n);
  return e;
}

/**
 * The map always fits the canvas: with more frames (or steps) than device pixels, cells are
 * narrower than a pixel and each pixel column shows the one cell whose edge range holds it (the
 * others have no pixels of their own), so a 1000-frame table is seen whole, not clipped.
 */
export function computeLayout(
  width: number,
  height: number,
  dpr: number,
  steps: number,
  frames: number,
  band = 0,
): MapLayout {
  const mapX = AXIS_LEFT;
  const mapY = AXIS_TOP + band;
  const mapW = Math.max(MIN_MAP, width - AXIS_LEFT - PAD_RIGHT);
  const mapH = Math.max(MIN_MAP, height - mapY - PAD_BOTTOM);
  const devX = Math.round(mapX * dpr);
  const devY = Math.round(mapY * dpr);
  const devW = Math.max(1, Math.round(mapW * dpr));
  const devH = Math.max(1, Math.round(mapH * dpr));
  return {
    width,
    height,
    dpr,
    steps,
    frames,
    mapX,
    mapY,
    mapW,
    mapH,
    devX,
    devY,
    devW,
    devH,
    xEdges: edges(frames, devW),
    yEdges: edges(steps, devH),
  };
}

/** The CSS-pixel rectangle of a cell range (for overlays). */
export function rectPx(l: MapLayout, r: CellRect): { x: number; y: number; w: number; h: number } {
  const x0 = l.mapX + l.xEdges[r.c0] / l.dpr;
  const x1 = l.mapX + l.xEdges[r.c1 + 1] / l.dpr;
  const y0 = l.mapY + l.yEdges[r.r0] / l.dpr;
  const y1 = l.mapY + l.yEdges[r.r1 + 1] / l.dpr;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export type Hit =
  | {
      kind: 'cell';
      row: number;
      col: number;
      /** Position in cell units (cell (i, f) spans [i, i+1) x [f, f+1)). */ fr: number;
      fc: number;
    }
  | { kind: 'row'; row: number }
  | { kind: 'col'; col: number }
  | { kind: 'none' };

/** What is under a CSS-pixel point of the canvas: a cell, a step label, a frame label or nothing. */
export function hitTest(l: MapLayout, x: number, y: number): Hit {
  const fc = ((x - l.mapX) / l.mapW) * l.frames;
  const fr = ((y - l.mapY) / l.mapH) * l.steps;
  const inCols = fc >= 0 && fc < l.frames;
  const inRows = fr >= 0 && fr < l.steps;
  if (inCols && inRows) return { kind: 'cell', row: Math.floor(fr), col: Math.floor(fc), fr, fc };
  if (inRows && x < l.mapX) return { kind: 'row', row: Math.floor(fr) };
  if (inCols && y < l.mapY) return { kind: 'col', col: Math.floor(fc) };
  return { kind: 'none' };
}

/** Cell coordinates of any point, clamped to the map (for drags that leave it). */
export function cellAt(l: MapLayout, x: number, y: number): { fr: number; fc: number } {
  const fc = Math.min(l.frames - 1e-6, Math.max(0, ((x - l.mapX) / l.mapW) * l.frames));
  const fr = Math.min(l.steps - 1e-6, Math.max(0, ((y - l.mapY) / l.mapH) * l.steps));
  return { fr, fc };
}

/** The smallest "nice" label stride (1, 2, 5, 10, 20, 25, 50, 100...) that leaves `minPx` between labels. */
export function labelStride(count: number, spanPx: number, minPx: number): number {
  const per = spanPx / Math.max(1, count);
  for (const s of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) if (s * per >= minPx) return s;
  return count;
}

/** A sigma as a short label: 3 significant digits, no exponent for the schedule's range. */
export function formatSigma(s: number): string {
  if (s >= 100) return String(Math.round(s));
  if (s >= 0.01) return String(Number(s.toPrecision(3)));
  return s.toFixed(4).replace(/0+$/, '');
}

export interface RasterStyle {
  /** Viridis lookup table (colormap.viridisLut). */
  lut: Uint8Array;
  /** Cells below this are drawn with a dark diagonal hatch: the sampler raises them to it. */
  lambdaMin: number;
}

/** Colour of the source-frame column (never guided): neutral, so it does not read as a weight. */
const SOURCE_RGB = [46, 50, 58] as const;

/**
 * Writes the pixels of the cells in `rect` into `pixels` (RGBA, devW x devH, the map only) and
 * returns the device-pixel box written, for putImageData's dirty rectangle.
 */
export function rasterCells(
  pixels: Uint8ClampedArray,
  l: Pick<MapLayout, 'devW' | 'frames' | 'xEdges' | 'yEdges'>,
  values: ArrayLike<number>,
  rect: CellRect,
  style: RasterStyle,
): { x: number; y: number; w: number; h: number } {
  const { devW, frames, xEdges, yEdges } = l;
  const { lut, lambdaMin } = style;
  for (let i = rect.r0; i <= rect.r1; i++) {
    const y0 = yEdges[i];
    const y1 = yEdges[i + 1];
    for (let f = rect.c0; f <= rect.c1; f++) {
      const x0 = xEdges[f];
      const x1 = xEdges[f + 1];
      const v = values[i * frames + f];
      let r: number, g: number, b: number;
      const source = f === 0;
      if (source) {
        [r, g, b] = SOURCE_RGB;
      } else {
        const k = lutIndex(v) * 3;
        r = lut[k];
        g = lut[k + 1];
        b = lut[k + 2];
      }
      const hatch = source || v < lambdaMin;
      for (let y = y0; y < y1; y++) {
        let p = (y * devW + x0) * 4;
        for (let x = x0; x < x1; x++, p += 4) {
          // A diagonal hatch in absolute pixel coordinates, so it runs continuously across cells.
          const dark = hatch && (x + y) % 6 < 2;
          pixels[p] = dark ? r >> 2 : r;
          pixels[p + 1] = dark ? g >> 2 : g;
          pixels[p + 2] = dark ? b >> 2 : b;
          pixels[p + 3] = 255;
        }
      }
    }
  }
  const x = xEdges[rect.c0];
  const y = yEdges[rect.r0];
  return { x, y, w: xEdges[rect.c1 + 1] - x, h: yEdges[rect.r1 + 1] - y };
}
