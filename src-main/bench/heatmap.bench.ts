import { Stroke, type BrushSettings } from '../../src-renderer/components/lambda/brush';
import { makeGrid } from '../../src-renderer/components/lambda/edit';
import { viridis, viridisLut } from '../../src-renderer/components/lambda/colormap';
import { computeLayout, rasterCells } from '../../src-renderer/components/lambda/raster';
import { timeMs, type Benchmark, type BenchFigure } from './harness';

/**
 * The lambda heatmap editor's paint loop on a 100 x 100 table drawn at 8 x 5 device pixels per
 * cell (an 800 x 500 map, about what a 1600-pixel-wide window gives it): a stroke of 60 pointer
 * events (one per display frame at 60 fps), each applying the brush and redrawing into the
 * offscreen pixel buffer. The studio rewrites only the cells the event changed, with a colour
 * lookup table; the baseline redraws every cell, computing its colour, after every event.
 * (The browser's putImageData of the dirty box comes on top and is not measured here.)
 */
const STEPS = 100;
const FRAMES = 100;
const EVENTS = 60;
const BRUSH: BrushSettings = { mode: 'add', size: 7, strength: 0.8, falloff: 0.5, amount: 0.1 };

function setup() {
  const grid = makeGrid(
    STEPS,
    FRAMES,
    Array.from({ length: STEPS * FRAMES }, (_, k) => (k % FRAMES === 0 ? 1 : ((k * 7919) % 1000) / 1000)),
  );
  const layout = computeLayout(86 + 4 + 800, 20 + 4 + 500, 1, STEPS, FRAMES);
  const pixels = new Uint8ClampedArray(layout.devW * layout.devH * 4);
  return { grid, layout, pixels };
}

/** A diagonal stroke across the table, one point per event. */
const point = (e: number) => ({ row: 10 + (e / EVENTS) * 80, col: 5 + (e / EVENTS) * 90 });

function strokeDirty(lut: Uint8Array): number {
  const { grid, layout, pixels } = setup();
  const stroke = new Stroke(grid, BRUSH);
  let touched = 0;
  for (let e = 0; e < EVENTS; e++) {
    const p = point(e);
    const rect = stroke.moveTo(p.row, p.col);
    if (rect) touched += rasterCells(pixels, layout, grid.data, rect, { lut, lambdaMin: 0.3 }).w;
  }
  return touched;
}

/** Naive: after every event, every cell is coloured (viridis computed) and filled pixel by pixel. */
function strokeFullRedraw(): number {
  const { grid, layout, pixels } = setup();
  const stroke = new Stroke(grid, BRUSH);
  let sum = 0;
  for (let e = 0; e < EVENTS; e++) {
    const p = point(e);
    stroke.moveTo(p.row, p.col);
    for (let i = 0; i < STEPS; i++) {
      for (let f = 0; f < FRAMES; f++) {
        const [r, g, b] = viridis(grid.data[i * FRAMES + f]);
        for (let y = layout.yEdges[i]; y < layout.yEdges[i + 1]; y++) {
          for (let x = layout.xEdges[f]; x < layout.xEdges[f + 1]; x++) {
            const q = (y * layout.devW + x) * 4;
            pixels[q] = r * 255;
            pixels[q + 1] = g * 255;
            pixels[q + 2] = b * 255;
            pixels[q + 3] = 255;
          }
        }
      }
    }
    sum += pixels[0];
  }
  return sum;
}

export const heatmapBenchmark: Benchmark = {
  name: 'heatmap',
  description:
    'lambda heatmap painting: a 60-event brush stroke on a 100 x 100 table with redraw into an 800 x 500 offscreen buffer',
  async run(): Promise<BenchFigure[]> {
    const lut = viridisLut();
    const stroke = await timeMs(() => strokeDirty(lut), 15, 3);
    const naive = await timeMs(() => strokeFullRedraw(), 3, 1);
    return [
      {
        label: 'heatmap: brush event + dirty-cell redraw, 100 x 100 table (mean per event)',
        value: stroke / EVENTS,
        unit: 'ms',
        baseline: { label: 'every cell recoloured and refilled after each event', value: naive / EVENTS },
        // A 60 fps frame is 16.7 ms; the event's share must leave room for the browser's work.
        target: { max: 4 },
      },
      {
        label: 'heatmap: whole 60-event stroke, dirty-cell redraw',
        value: stroke,
        unit: 'ms',
        baseline: { label: 'every cell recoloured and refilled after each event', value: naive },
      },
    ];
  },
};
