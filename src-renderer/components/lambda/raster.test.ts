import { describe, expect, it } from 'vitest';
import { computeLayout, formatSigma, hitTest, labelStride, rasterCells, rectPx, AXIS_LEFT, AXIS_TOP } from './raster';
import { lutIndex, viridisLut } from './colormap';

describe('layout and hit testing', () => {
  const l = computeLayout(AXIS_LEFT + 4 + 400, AXIS_TOP + 4 + 200, 2, 25, 100); // 4 x 2 CSS px per cell

  it('places cells on device pixels and finds them again', () => {
    expect(l.devW).toBe(800);
    expect(l.devH).toBe(400);
    expect(l.xEdges[1]).toBe(8);
    expect(l.yEdges[25]).toBe(400);
    expect(hitTest(l, AXIS_LEFT + 4 * 7 + 1, AXIS_TOP + 8 * 3 + 1)).toMatchObject({ kind: 'cell', row: 3, col: 7 });
    expect(hitTest(l, 10, AXIS_TOP + 8 * 24 + 7)).toEqual({ kind: 'row', row: 24 });
    expect(hitTest(l, AXIS_LEFT + 4 * 99 + 3, 5)).toEqual({ kind: 'col', col: 99 });
    expect(hitTest(l, 5, 5)).toEqual({ kind: 'none' });
    expect(rectPx(l, { r0: 1, r1: 2, c0: 10, c1: 19 })).toEqual({ x: AXIS_LEFT + 40, y: AXIS_TOP + 8, w: 40, h: 16 });
  });

  it('fits a table with more frames than pixels into the canvas, every pixel column showing one cell', () => {
    // 1000 frames on a 700 px map (the lambda panel at 1600 px): before, the map was 1000 px wide and clipped at frame ~700.
    const wide = computeLayout(AXIS_LEFT + 4 + 700, AXIS_TOP + 4 + 200, 1, 25, 1000);
    expect(wide.mapW).toBe(700);
    expect(wide.devW).toBe(700);
    expect(wide.xEdges[1000]).toBe(700);
    expect(
      rectPx(wide, { r0: 0, r1: 24, c0: 999, c1: 999 }).x + rectPx(wide, { r0: 0, r1: 24, c0: 999, c1: 999 }).w,
    ).toBe(AXIS_LEFT + 700);
    expect(hitTest(wide, AXIS_LEFT + 699.5, AXIS_TOP + 1)).toMatchObject({ kind: 'cell', col: 999 });
    // Every device column lies in exactly one cell's [x0, x1), so painting all cells covers the map once.
    const owners = new Int32Array(700);
    for (let f = 0; f < 1000; f++) for (let x = wide.xEdges[f]; x < wide.xEdges[f + 1]; x++) owners[x]++;
    expect(owners.every((n) => n === 1)).toBe(true);
    const px = new Uint8ClampedArray(wide.devW * wide.devH * 4);
    const values = new Float32Array(25 * 1000).fill(0.5);
    rasterCells(px, wide, values, { r0: 0, r1: 24, c0: 0, c1: 999 }, { lut: viridisLut(), lambdaMin: 0 });
    let unpainted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] === 0) unpainted++;
    expect(unpainted).toBe(0);
    // Labels for 1000 frames: a stride that leaves room for "999" (about 24 px) at 0.7 px a frame.
    expect(labelStride(1000, 700, 34)).toBe(50);
  });

  it('picks nice label strides with room between labels', () => {
    expect(labelStride(25, 250, 14)).toBe(2); // 10 px a row
    expect(labelStride(100, 200, 14)).toBe(10); // 2 px a row
    expect(labelStride(14, 700, 22)).toBe(1);
  });

  it('formats sigmas compactly', () => {
    expect([700, 545.72925, 42.123, 3.2145, 0.0248026, 0.002].map(formatSigma)).toEqual([
      '700',
      '546',
      '42.1',
      '3.21',
      '0.0248',
      '0.002',
    ]);
  });
});

describe('rasterCells', () => {
  it('writes only the dirty cells, in viridis, hatching cells below lambdaMin and the source column', () => {
    const l = computeLayout(AXIS_LEFT + 4 + 30, AXIS_TOP + 4 + 20, 1, 2, 3); // 10 x 10 px cells
    const px = new Uint8ClampedArray(l.devW * l.devH * 4);
    const lut = viridisLut();
    const values = [1, 0.1, 0.9, 1, 0.5, 0.7];
    const box = rasterCells(px, l, values, { r0: 0, r1: 0, c0: 1, c1: 2 }, { lut, lambdaMin: 0.3 });
    expect(box).toEqual({ x: 10, y: 0, w: 20, h: 10 });
    const rgb = (x: number, y: number) => Array.from(px.subarray((y * l.devW + x) * 4, (y * l.devW + x) * 4 + 3));
    const colour = (v: number) => Array.from(lut.subarray(lutIndex(v) * 3, lutIndex(v) * 3 + 3));
    expect(rgb(22, 3)).toEqual(colour(0.9)); // 0.9 >= lambdaMin: plain colour everywhere
    expect(rgb(23, 3)).toEqual(colour(0.9));
    // 0.1 < lambdaMin: a dark hatch where (x + y) % 6 < 2, plain elsewhere.
    expect(rgb(15, 3)).toEqual(colour(0.1).map((c) => c >> 2));
    expect(rgb(13, 3)).toEqual(colour(0.1));
    // Row 1 was not dirty: untouched (transparent).
    expect(px[(15 * l.devW + 15) * 4 + 3]).toBe(0);
  });
});
