import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LambdaDoc } from '../../../src-main/engine/project/schema';
import { useUi } from '../../state/uiStore';
import { viridisLut } from './colormap';
import { rectOf, unionRect, type CellRect } from './edit';
import { Stroke } from './brush';
import {
  AXIS_LEFT,
  AXIS_TOP,
  cellAt,
  computeLayout,
  formatSigma,
  hitTest,
  labelStride,
  rasterCells,
  rectPx,
  WINDOW_BAND,
  type MapLayout,
} from './raster';
import { mirrorColumns, type FrameWindow } from '../../../src-main/engine/windows';
import { useLambdaEditor } from './editorStore';
import { working } from './working';

const FONT = '11px "DejaVu Sans Mono", "JetBrains Mono", ui-monospace, monospace';
const TEXT = '#c9d0db';
const MUTED = '#7d8696';

type Drag =
  | { kind: 'paint'; stroke: Stroke }
  | { kind: 'select'; anchor: { row: number; col: number } }
  | { kind: 'rows'; anchor: number }
  | { kind: 'cols'; anchor: number };

/**
 * The heatmap: a base canvas (axes and cells, cells rewritten only where they changed) under an
 * overlay canvas (current frame, selection, cursor, hover, brush outline) that is cheap to redraw.
 */
export function Heatmap({
  lambda,
  sigmas,
  windows = null,
}: {
  lambda: LambdaDoc;
  sigmas: ArrayLike<number>;
  windows?: FrameWindow[] | null;
}) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const overRef = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<MapLayout | null>(null);
  const imageRef = useRef<ImageData | null>(null);
  const dirtyRef = useRef<CellRect | 'all' | null>(null);
  const rafRef = useRef(0);
  const dragRef = useRef<Drag | null>(null);
  const lut = useMemo(viridisLut, []);
  const [size, setSize] = useState({ w: 0, h: 0, dpr: 1 });
  const lambdaMinRef = useRef(lambda.lambdaMin);
  lambdaMinRef.current = lambda.lambdaMin;
  const { steps, frames } = lambda;

  // Both read only refs and the colour table, so they are made once: effects subscribe them for good.
  const flush = useCallback(() => {
    rafRef.current = 0;
    const l = layoutRef.current;
    const img = imageRef.current;
    const g = working.grid;
    const ctx = baseRef.current?.getContext('2d');
    const dirty = dirtyRef.current;
    dirtyRef.current = null;
    if (!l || !img || !g || !ctx || !dirty || g.steps !== l.steps || g.frames !== l.frames) return;
    const rect = dirty === 'all' ? { r0: 0, r1: l.steps - 1, c0: 0, c1: l.frames - 1 } : dirty;
    const box = rasterCells(img.data, l, g.data, rect, { lut, lambdaMin: lambdaMinRef.current });
    ctx.putImageData(img, l.devX, l.devY, box.x, box.y, box.w, box.h);
  }, [lut]);
  const invalidate = useCallback(
    (rect: CellRect | 'all') => {
      const d = dirtyRef.current;
      dirtyRef.current = rect === 'all' || d === 'all' ? 'all' : unionRect(d, rect);
      if (!rafRef.current) rafRef.current = requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(() => {
    const el = wrapRef.current!;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      setSize({ w: Math.floor(r.width), h: Math.floor(r.height), dpr: window.devicePixelRatio || 1 });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => working.subscribe(invalidate), [invalidate]);
  useEffect(() => () => cancelAnimationFrame(rafRef.current), []);

  // Layout, axes and a full raster whenever the size or the table's shape changes.
  useLayoutEffect(() => {
    const base = baseRef.current!;
    const over = overRef.current!;
    if (size.w < AXIS_LEFT + 20 || size.h < AXIS_TOP + 10) return;
    const l = computeLayout(size.w, size.h, size.dpr, steps, frames, windows ? WINDOW_BAND : 0);
    layoutRef.current = l;
    for (const c of [base, over]) {
      c.width = Math.round(size.w * size.dpr);
      c.height = Math.round(size.h * size.dpr);
      c.style.width = `${size.w}px`;
      c.style.height = `${size.h}px`;
    }
    const ctx = base.getContext('2d')!;
    imageRef.current = ctx.createImageData(l.devW, l.devH);
    drawAxes(ctx, l, sigmas);
    if (windows) drawWindowBand(ctx, l, windows);
    invalidate('all');
    flush();
  }, [size, steps, frames, sigmas, windows, flush, invalidate]);

  useEffect(() => invalidate('all'), [lambda.lambdaMin, invalidate]);

  // Overlay: redrawn on any view-state change.
  const ed = useLambdaEditor();
  const frame = useUi((s) => s.frame);
  useEffect(() => {
    const l = layoutRef.current;
    const c = overRef.current;
    if (!l || !c) return;
    drawOverlay(c.getContext('2d')!, l, {
      frame,
      selection: ed.selection,
      cursor: ed.cursor,
      hover: ed.hover,
      tool: ed.tool,
      brushSize: ed.brush.size,
      windows: windows && windows[windows.length - 1].end === l.frames ? windows : null,
      together: ed.windowEdit === 'together',
    });
  }, [size, steps, frames, frame, ed.selection, ed.cursor, ed.hover, ed.tool, ed.brush.size, windows, ed.windowEdit]);

  const local = (e: React.PointerEvent) => {
    const r = overRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const setFrame = (col: number) => useUi.getState().set({ frame: Math.min(col, frames - 1) });

  const onPointerDown = (e: React.PointerEvent) => {
    const l = layoutRef.current;
    if (!l || e.button !== 0) return;
    wrapRef.current?.closest<HTMLElement>('[data-own-keys]')?.focus();
    const { x, y } = local(e);
    const hit = hitTest(l, x, y);
    const st = useLambdaEditor.getState();
    if (hit.kind === 'none') return;
    overRef.current!.setPointerCapture(e.pointerId);
    if (hit.kind === 'row') {
      const anchor = e.shiftKey && st.selection ? (st.anchor?.row ?? hit.row) : hit.row;
      st.set({
        selection: { r0: Math.min(anchor, hit.row), r1: Math.max(anchor, hit.row), c0: 0, c1: frames - 1 },
        anchor: { row: anchor, col: 0 },
        cursor: { row: hit.row, col: st.cursor.col },
      });
      dragRef.current = { kind: 'rows', anchor };
      return;
    }
    if (hit.kind === 'col') {
      const anchor = e.shiftKey && st.selection ? (st.anchor?.col ?? hit.col) : hit.col;
      st.set({
        selection: { r0: 0, r1: steps - 1, c0: Math.min(anchor, hit.col), c1: Math.max(anchor, hit.col) },
        anchor: { row: 0, col: anchor },
        cursor: { row: st.cursor.row, col: hit.col },
      });
      setFrame(hit.col);
      dragRef.current = { kind: 'cols', anchor };
      return;
    }
    const cell = { row: hit.row, col: hit.col };
    if (e.altKey && working.grid) {
      // Eyedropper: the brush takes the value under the pointer.
      st.setBrush({ mode: 'set', amount: Math.round(working.grid.data[hit.row * frames + hit.col] * 1000) / 1000 });
      return;
    }
    setFrame(hit.col);
    if (st.tool === 'brush' && working.grid) {
      const stroke = new Stroke(working.grid, st.brush);
      st.set({ cursor: cell });
      working.begin();
      working.edit(() => stroke.moveTo(hit.fr, hit.fc));
      dragRef.current = { kind: 'paint', stroke };
    } else {
      const anchor = e.shiftKey && st.anchor ? st.anchor : cell;
      st.set({ cursor: cell, anchor, selection: e.shiftKey ? rectOf(anchor, cell) : null });
      dragRef.current = { kind: 'select', anchor };
    }
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const l = layoutRef.current;
    if (!l) return;
    const { x, y } = local(e);
    const st = useLambdaEditor.getState();
    const drag = dragRef.current;
    if (!drag) {
      const hit = hitTest(l, x, y);
      const hover =
        hit.kind === 'cell'
          ? { row: hit.row, col: hit.col, fr: hit.fr, fc: hit.fc }
          : hit.kind === 'row'
            ? { row: hit.row, col: -1 }
            : hit.kind === 'col'
              ? { row: -1, col: hit.col }
              : null;
      const h = st.hover;
      if (hover?.row !== h?.row || hover?.col !== h?.col || (st.tool === 'brush' && hover)) st.set({ hover });
      return;
    }
    const { fr, fc } = cellAt(l, x, y);
    const cell = { row: Math.floor(fr), col: Math.floor(fc) };
    if (drag.kind === 'paint') {
      working.edit(() => drag.stroke.moveTo(fr, fc));
      st.set({ hover: { row: cell.row, col: cell.col, fr, fc } });
    } else if (drag.kind === 'select') {
      if (cell.row !== st.cursor.row || cell.col !== st.cursor.col)
        st.set({ selection: rectOf(drag.anchor, cell), cursor: cell });
    } else if (drag.kind === 'rows') {
      st.set({
        selection: { r0: Math.min(drag.anchor, cell.row), r1: Math.max(drag.anchor, cell.row), c0: 0, c1: frames - 1 },
      });
    } else {
      st.set({
        selection: { r0: 0, r1: steps - 1, c0: Math.min(drag.anchor, cell.col), c1: Math.max(drag.anchor, cell.col) },
      });
    }
  };

  const onPointerUp = () => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (drag?.kind === 'paint') working.end();
  };

  return (
    <div className="lh-map" ref={wrapRef}>
      <canvas ref={baseRef} className="lh-map__base" aria-hidden="true" />
      <canvas
        ref={overRef}
        className={`lh-map__over lh-map__over--${ed.tool}`}
        data-testid="lambda-canvas"
        aria-hidden="true"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => !dragRef.current && useLambdaEditor.getState().set({ hover: null })}
      />
    </div>
  );
}

function drawAxes(ctx: CanvasRenderingContext2D, l: MapLayout, sigmas: ArrayLike<number>): void {
  ctx.setTransform(l.dpr, 0, 0, l.dpr, 0, 0);
  ctx.clearRect(0, 0, l.width, l.height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  // Step axis: the step number (muted, from 1 as the render counts them) and its sigma, every few rows.
  const rowStride = labelStride(l.steps, l.mapH, 12);
  const cellH = l.mapH / l.steps;
  for (let i = 0; i < l.steps; i += rowStride) {
    const y = l.mapY + (i + 0.5) * cellH;
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'left';
    ctx.fillText(String(i + 1), 4, y);
    ctx.fillStyle = TEXT;
    ctx.textAlign = 'right';
    ctx.fillText(formatSigma(sigmas[i]), l.mapX - 7, y);
    ctx.fillStyle = '#3a404c';
    ctx.fillRect(l.mapX - 4, Math.round(y), 3, 1);
  }
  // Header of the step axis.
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'left';
  ctx.fillText('step', 4, AXIS_TOP / 2);
  ctx.textAlign = 'right';
  ctx.fillText('σ', l.mapX - 7, AXIS_TOP / 2);
  // Frame axis: the frame index above its column.
  // Labels at least as far apart as the widest one (1000 frames: "999") plus a gap.
  const colStride = labelStride(l.frames, l.mapW, ctx.measureText(String(l.frames - 1)).width + 10);
  const cellW = l.mapW / l.frames;
  ctx.textAlign = 'center';
  ctx.fillStyle = TEXT;
  for (let f = 0; f < l.frames; f += colStride) ctx.fillText(String(f), l.mapX + (f + 0.5) * cellW, AXIS_TOP / 2);
}

/** Two alternating hues, so neighbouring windows (and where they overlap) read apart. */
const WINDOW_HUES = ['#5aa9ff', '#ffb347'] as const;

/**
 * The window strip between the frame axis and the map: each window a bar over its frames in one of
 * two lanes (odd windows above, even below), so an overlap is where the two bars sit over each other.
 */
function drawWindowBand(ctx: CanvasRenderingContext2D, l: MapLayout, windows: readonly FrameWindow[]): void {
  const lane = (WINDOW_BAND - 4) / 2;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.fillText('windows', l.mapX - 7, AXIS_TOP + WINDOW_BAND / 2);
  windows.forEach((w, k) => {
    if (w.end > l.frames) return;
    const x0 = l.mapX + l.xEdges[w.start] / l.dpr;
    const x1 = l.mapX + l.xEdges[w.end] / l.dpr;
    const y = AXIS_TOP + 1 + (k % 2) * (lane + 1);
    const hue = WINDOW_HUES[k % 2];
    ctx.fillStyle = hue + '55';
    ctx.fillRect(x0, y, x1 - x0, lane);
    ctx.fillStyle = hue;
    ctx.fillRect(x0, y, 2, lane);
    ctx.fillRect(x1 - 2, y, 2, lane);
    ctx.fillStyle = '#e8edf5';
    ctx.textAlign = 'left';
    const full = `W${k + 1}  ${w.start}–${w.end - 1}`;
    const label =
      ctx.measureText(full).width + 10 < x1 - x0
        ? full
        : ctx.measureText(`W${k + 1}`).width + 8 < x1 - x0
          ? `W${k + 1}`
          : '';
    if (label) ctx.fillText(label, x0 + 5, y + lane / 2 + 0.5);
  });
}

interface OverlayState {
  frame: number;
  selection: CellRect | null;
  cursor: { row: number; col: number };
  hover: { row: number; col: number; fr?: number; fc?: number } | null;
  tool: 'brush' | 'select';
  brushSize: number;
  /** The render's windows (engine/windows), null for a track in one piece. */
  windows: readonly FrameWindow[] | null;
  together: boolean;
}

function drawOverlay(ctx: CanvasRenderingContext2D, l: MapLayout, s: OverlayState): void {
  ctx.setTransform(l.dpr, 0, 0, l.dpr, 0, 0);
  ctx.clearRect(0, 0, l.width, l.height);
  const cellW = l.mapW / l.frames;
  const cellH = l.mapH / l.steps;
  if (s.windows) drawWindowMarks(ctx, l, s.windows);
  // Editing together: the hovered frame's copies in the other windows, outlined.
  const hv = s.hover;
  if (s.windows && s.together && hv && hv.row >= 0 && hv.col >= 1) {
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.lineWidth = 1;
    for (const m of mirrorColumns(s.windows, hv.col)) {
      if (m === hv.col) continue;
      const r = rectPx(l, { r0: 0, r1: l.steps - 1, c0: m, c1: m });
      ctx.strokeRect(r.x + 0.5, r.y + 0.5, Math.max(1, r.w - 1), r.h - 1);
    }
    ctx.setLineDash([]);
  }
  // The timeline's current frame: a light band over its column and a marker on the axis.
  if (s.frame >= 0 && s.frame < l.frames) {
    const r = rectPx(l, { r0: 0, r1: l.steps - 1, c0: s.frame, c1: s.frame });
    ctx.fillStyle = 'rgba(255,255,255,0.13)';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 1;
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, Math.max(1, r.w - 1), r.h - 1);
    ctx.fillStyle = '#f5a524';
    ctx.fillRect(r.x, l.mapY - 4, r.w, 3);
    ctx.font = FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const label = String(s.frame);
    const tw = ctx.measureText(label).width + 6;
    const cx = Math.min(l.width - tw / 2, Math.max(l.mapX + tw / 2, r.x + r.w / 2));
    ctx.fillStyle = '#f5a524';
    ctx.fillRect(cx - tw / 2, 1, tw, AXIS_TOP - 6);
    ctx.fillStyle = '#111318';
    ctx.fillText(label, cx, (AXIS_TOP - 4) / 2);
  }
  // Selection, with its rows and columns marked on the axes.
  if (s.selection) {
    const r = rectPx(l, s.selection);
    ctx.fillStyle = 'rgba(76,154,255,0.16)';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.fillRect(0, r.y, l.mapX - 2, r.h);
    ctx.fillRect(r.x, 0, r.w, AXIS_TOP - 5);
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#8cc0ff';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(r.x + 0.75, r.y + 0.75, r.w - 1.5, r.h - 1.5);
    ctx.setLineDash([]);
  }
  // Hover: the cell (or the brush's footprint) under the pointer.
  const h = s.hover;
  if (h && h.row >= 0 && h.col >= 0) {
    if (s.tool === 'brush' && h.fr !== undefined && h.fc !== undefined) {
      const radius = Math.max(0.5, s.brushSize / 2);
      ctx.beginPath();
      ctx.ellipse(l.mapX + h.fc * cellW, l.mapY + h.fr * cellH, radius * cellW, radius * cellH, 0, 0, Math.PI * 2);
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.lineWidth = 3;
      ctx.stroke();
      ctx.strokeStyle = 'rgba(255,255,255,0.95)';
      ctx.lineWidth = 1.25;
      ctx.stroke();
    } else {
      const r = rectPx(l, { r0: h.row, r1: h.row, c0: h.col, c1: h.col });
      ctx.strokeStyle = 'rgba(255,255,255,0.7)';
      ctx.lineWidth = 1;
      ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    }
  }
  // Cursor: the keyboard's cell, drawn last so it is always visible.
  const c = rectPx(l, { r0: s.cursor.row, r1: s.cursor.row, c0: s.cursor.col, c1: s.cursor.col });
  ctx.strokeStyle = 'rgba(0,0,0,0.8)';
  ctx.lineWidth = 3;
  ctx.strokeRect(c.x - 0.5, c.y - 0.5, c.w + 1, c.h + 1);
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(c.x - 0.5, c.y - 0.5, c.w + 1, c.h + 1);
}

/**
 * Window boundaries over the map: every overlap (frames two windows share, one column used by
 * both) lightly hatched, a later window's first frame marked by a dashed line in its hue and an
 * earlier window's end by a solid one, each with a dark edge so it reads on any colour.
 */
function drawWindowMarks(ctx: CanvasRenderingContext2D, l: MapLayout, windows: readonly FrameWindow[]): void {
  const top = l.mapY,
    h = l.mapH;
  const xOf = (f: number) => l.mapX + l.xEdges[f] / l.dpr;
  ctx.save();
  ctx.beginPath();
  ctx.rect(l.mapX, top, l.mapW, h);
  ctx.clip();
  for (let k = 0; k + 1 < windows.length; k++) {
    const a = xOf(windows[k + 1].start),
      b = xOf(windows[k].end);
    ctx.fillStyle = 'rgba(255,255,255,0.10)';
    ctx.fillRect(a, top, b - a, h);
    ctx.strokeStyle = 'rgba(255,255,255,0.22)';
    ctx.lineWidth = 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(a, top, b - a, h);
    ctx.clip();
    ctx.beginPath();
    for (let d = -h; d < b - a; d += 7) {
      ctx.moveTo(a + d, top + h);
      ctx.lineTo(a + d + h, top);
    }
    ctx.stroke();
    ctx.restore();
  }
  const line = (x: number, hue: string, dashed: boolean) => {
    ctx.setLineDash([]);
    ctx.strokeStyle = 'rgba(0,0,0,0.75)';
    ctx.lineWidth = 4;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + h);
    ctx.stroke();
    ctx.setLineDash(dashed ? [6, 4] : []);
    ctx.strokeStyle = hue;
    ctx.lineWidth = 2;
    ctx.stroke();
  };
  windows.forEach((w, k) => {
    const hue = WINDOW_HUES[k % 2];
    if (k > 0) line(xOf(w.start), hue, true);
    if (k + 1 < windows.length) line(xOf(w.end), hue, false);
  });
  ctx.setLineDash([]);
  ctx.restore();
}
