import { useEffect, useRef, useState } from 'react';
import { viridis } from './colormap';
import { AXIS_TOP } from './raster';

const FONT = '11px "DejaVu Sans Mono", "JetBrains Mono", ui-monospace, monospace';

/** The colour bar: 0 at the bottom, 1 at the top, ticks every 0.25, and the lambda_min floor. */
export function Legend({ lambdaMin }: { lambdaMin: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, setH] = useState(0);
  useEffect(() => {
    const c = ref.current!;
    const ro = new ResizeObserver(() => setH(Math.floor(c.parentElement!.getBoundingClientRect().height)));
    ro.observe(c.parentElement!);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const c = ref.current;
    if (!c || h < 40) return;
    const dpr = window.devicePixelRatio || 1;
    const w = 66;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    c.style.width = `${w}px`;
    c.style.height = `${h}px`;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const top = AXIS_TOP;
    const bottom = h - 4;
    const barX = 4;
    const barW = 14;
    const yOf = (v: number) => bottom - v * (bottom - top);
    for (let y = top; y < bottom; y++) {
      const [r, g, b] = viridis((bottom - y - 0.5) / (bottom - top));
      ctx.fillStyle = `rgb(${r * 255},${g * 255},${b * 255})`;
      ctx.fillRect(barX, y, barW, 1);
    }
    // Below the floor the sampler uses lambda_min instead: hatched as on the map.
    const floorY = yOf(lambdaMin);
    ctx.save();
    ctx.beginPath();
    ctx.rect(barX, floorY, barW, bottom - floorY);
    ctx.clip();
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.lineWidth = 2;
    for (let d = -barW; d < bottom - floorY + barW; d += 6) {
      ctx.beginPath();
      ctx.moveTo(barX, floorY + d + barW);
      ctx.lineTo(barX + barW, floorY + d);
      ctx.stroke();
    }
    ctx.restore();
    ctx.strokeStyle = '#3a404c';
    ctx.strokeRect(barX - 0.5, top - 0.5, barW + 1, bottom - top + 1);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    // Ticks every 0.25 when there is room for their labels, else at 0, 0.5 and 1 (or the ends).
    const span = bottom - top;
    const ticks = span >= 4 * 14 ? [0, 0.25, 0.5, 0.75, 1] : span >= 2 * 14 ? [0, 0.5, 1] : [0, 1];
    // The floor's label keeps clear of the bar's ends; tick labels keep clear of it.
    const floorLabelY = Math.min(bottom - 5, Math.max(top + 5, floorY));
    for (const v of ticks) {
      const y = Math.round(yOf(v)) + 0.5;
      ctx.fillStyle = '#8a93a3';
      ctx.fillRect(barX + barW, y - 0.5, 3, 1);
      if (Math.abs(y - floorLabelY) >= 11) {
        ctx.fillStyle = '#c9d0db';
        ctx.fillText(v === 0 ? '0' : v === 1 ? '1' : String(v).replace(/^0/, ''), barX + barW + 5, y);
      }
    }
    // The floor line, labelled on one line.
    ctx.fillStyle = '#f5a524';
    ctx.fillRect(barX - 3, Math.round(floorY) - 1, barW + 6, 2);
    ctx.fillText(`min${String(Math.round(lambdaMin * 100) / 100).replace(/^0\./, '.')}`, barX + barW + 4, floorLabelY);
    ctx.fillStyle = '#8a93a3';
    ctx.fillText('λ', barX + 2, top / 2);
  }, [h, lambdaMin]);
  return (
    <div
      className="lh-legend"
      aria-label={`Colour scale from 0 (dark purple) to 1 (yellow); values below λ min ${lambdaMin} are hatched: the sampler raises them to ${lambdaMin}`}
      role="img"
    >
      <canvas ref={ref} data-testid="lambda-legend" />
    </div>
  );
}
