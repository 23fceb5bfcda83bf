import { useEffect, useRef, useState } from 'react';
import { useUi } from '../../state/uiStore';
import { cssColour } from './colormap';
import { drawProfile, FIRST_EDITABLE_COL, profileOf, type ProfileAxis } from './edit';
import { useLambdaEditor } from './editorStore';
import { formatSigma } from './raster';
import { working } from './working';

const FONT = '10px "DejaVu Sans Mono", "JetBrains Mono", ui-monospace, monospace';
const PAD = { l: 26, r: 8, t: 8, b: 16 };

/**
 * The cursor's row (one step across the frames) or column (one frame across the steps) as a
 * curve: drag across it to draw the profile; the whole drag is one undo step.
 */
/** The plot area of a profile of `size` and its cell centres: n points along x, values 0..1 up y. */
function plotGeometry(size: { w: number; h: number }, axis: ProfileAxis) {
  const g = working.grid;
  const n = g ? (axis === 'row' ? g.frames : g.steps) : 1;
  const w = size.w - PAD.l - PAD.r;
  const h = size.h - PAD.t - PAD.b;
  return { n, w, h, x: (p: number) => PAD.l + ((p + 0.5) / n) * w, y: (v: number) => PAD.t + (1 - v) * h };
}

export function Profile({ sigmas, lambdaMin }: { sigmas: ArrayLike<number>; lambdaMin: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const axis = useLambdaEditor((s) => s.profileAxis);
  const cursor = useLambdaEditor((s) => s.cursor);
  const frame = useUi((s) => s.frame);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [version, setVersion] = useState(0);
  const lastRef = useRef<{ pos: number; value: number } | null>(null);
  const index = axis === 'row' ? cursor.row : cursor.col;

  useEffect(() => {
    const el = ref.current!.parentElement!;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      setSize({ w: Math.floor(r.width), h: Math.floor(r.height) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    let raf = 0;
    const off = working.subscribe(() => {
      if (!raf)
        raf = requestAnimationFrame(() => {
          raf = 0;
          setVersion((v) => v + 1);
        });
    });
    return () => {
      off();
      cancelAnimationFrame(raf);
    };
  }, []);

  useEffect(() => {
    const c = ref.current;
    const g = working.grid;
    if (!c || !g || size.w < 60 || size.h < 40) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.w * dpr);
    c.height = Math.round(size.h * dpr);
    c.style.width = `${size.w}px`;
    c.style.height = `${size.h}px`;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    const idx = Math.min(index, (axis === 'row' ? g.steps : g.frames) - 1);
    const values = profileOf(g, axis, idx);
    const { n, w, h, x, y } = plotGeometry(size, axis);
    ctx.fillStyle = '#12151a';
    ctx.fillRect(PAD.l, PAD.t, w, h);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (const v of [0, 0.5, 1]) {
      ctx.fillStyle = '#262b34';
      ctx.fillRect(PAD.l, Math.round(y(v)), w, 1);
      ctx.fillStyle = '#8a93a3';
      ctx.fillText(String(v), PAD.l - 4, y(v));
    }
    // lambda_min floor.
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = '#f5a524';
    ctx.beginPath();
    ctx.moveTo(PAD.l, Math.round(y(lambdaMin)) + 0.5);
    ctx.lineTo(PAD.l + w, Math.round(y(lambdaMin)) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
    // The current frame (row profile) or the cursor's step (column profile).
    const mark = axis === 'row' ? frame : cursor.row;
    if (mark >= 0 && mark < n) {
      ctx.fillStyle = 'rgba(255,255,255,0.12)';
      ctx.fillRect(x(mark) - w / n / 2, PAD.t, Math.max(1, w / n), h);
    }
    const first = axis === 'row' ? FIRST_EDITABLE_COL : 0;
    ctx.strokeStyle = '#c9d0db';
    ctx.lineWidth = 1.25;
    ctx.beginPath();
    for (let p = first; p < n; p++) (p === first ? ctx.moveTo : ctx.lineTo).call(ctx, x(p), y(values[p]));
    ctx.stroke();
    const dot = Math.max(1.5, Math.min(3.5, w / n / 3));
    for (let p = first; p < n; p++) {
      ctx.fillStyle = cssColour(values[p]);
      ctx.beginPath();
      ctx.arc(x(p), y(values[p]), dot, 0, Math.PI * 2);
      ctx.fill();
    }
    // The axis: ends labelled (frames by index, steps by sigma).
    ctx.fillStyle = '#8a93a3';
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    ctx.fillText(axis === 'row' ? `f${first}` : `σ${formatSigma(sigmas[0])}`, PAD.l, size.h - 3);
    ctx.textAlign = 'right';
    ctx.fillText(axis === 'row' ? `f${n - 1}` : `σ${formatSigma(sigmas[n - 1])}`, PAD.l + w, size.h - 3);
  }, [size, axis, index, version, lambdaMin, frame, cursor.row, sigmas]);

  const at = (e: React.PointerEvent) => {
    const r = ref.current!.getBoundingClientRect();
    const { n, w, h } = plotGeometry(size, axis);
    const pos = Math.min(n - 1, Math.max(0, ((e.clientX - r.left - PAD.l) / w) * n - 0.5));
    const value = Math.min(1, Math.max(0, 1 - (e.clientY - r.top - PAD.t) / h));
    return { pos, value };
  };
  const edit = (a: { pos: number; value: number }, b: { pos: number; value: number }) => {
    const g = working.grid;
    if (!g) return;
    const idx = Math.min(index, (axis === 'row' ? g.steps : g.frames) - 1);
    working.edit((grid) => drawProfile(grid, axis, idx, a, b));
  };

  return (
    <canvas
      ref={ref}
      className="lh-profile__canvas"
      data-testid="lambda-profile"
      aria-label={`Profile of ${axis === 'row' ? `step ${cursor.row + 1} across the frames` : `frame ${cursor.col} across the steps`}; drag to draw it`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        ref.current!.setPointerCapture(e.pointerId);
        const p = at(e);
        lastRef.current = p;
        working.begin();
        edit(p, p);
      }}
      onPointerMove={(e) => {
        const last = lastRef.current;
        if (!last) return;
        const p = at(e);
        edit(last, p);
        lastRef.current = p;
      }}
      onPointerUp={() => {
        if (!lastRef.current) return;
        lastRef.current = null;
        working.end();
      }}
      onPointerCancel={() => {
        lastRef.current = null;
        working.end();
      }}
    />
  );
}

export function profileTitle(axis: ProfileAxis, row: number, col: number, sigmas: ArrayLike<number>): string {
  return axis === 'row' ? `step ${row + 1} · σ ${formatSigma(sigmas[row])}` : `frame ${col}`;
}
