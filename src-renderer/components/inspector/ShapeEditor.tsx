import { useRef, type PointerEvent as ReactPointerEvent } from 'react';
import type { RoomShape } from '../../../src-main/engine/project/schema';
import { shapeDepth } from '../../../src-main/engine/depth/shapes';
import { useAssetUrl } from '../../hooks/useAssetUrl';
import { beginGesture, endGesture, useProject } from '../../state/projectStore';
import {
  dragCorner,
  dragVanishingPoint,
  moveWall,
  roomRegions,
  wallCorners,
  type CornerName,
  type Pt,
} from './roomEditor';

/** Drawing units across the photo (the SVG's viewBox); y runs to 1000 / aspect. */
const UNITS = 1000;
const CORNERS: CornerName[] = ['tl', 'tr', 'br', 'bl'];
const REGION_FILL: Record<string, string> = {
  ceiling: 'rgba(120, 170, 255, 0.16)',
  floor: 'rgba(255, 190, 90, 0.2)',
  'left wall': 'rgba(140, 220, 160, 0.14)',
  'right wall': 'rgba(140, 220, 160, 0.14)',
};

type Drag = { kind: 'vp' } | { kind: 'corner'; corner: CornerName } | { kind: 'wall'; from: Pt; start: RoomShape };

/**
 * The room editor over the photo ("Tour Into the Picture"): drag the vanishing point (the dot) and
 * the back wall's corners, or the wall itself; the lines from the vanishing point through the
 * wall's corners show where floor, ceiling and walls meet. Each drag is one undo step; the scene's
 * scale is the wall's distance, set beside it.
 */
export function ShapeEditor({ room }: { room: RoomShape }) {
  const image = useProject((s) => s.doc?.image ?? null);
  const url = useAssetUrl(image ? `assets/${(image.working ?? image.asset).file}` : null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<Drag | null>(null);
  if (!image) return null;
  const h = (UNITS * image.height) / image.width;
  const X = (x: number) => x * UNITS;
  const Y = (y: number) => y * h;
  const pts = (p: Pt[]) => p.map((q) => `${X(q.x)},${Y(q.y)}`).join(' ');

  const fraction = (e: ReactPointerEvent): Pt => {
    const r = svg.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height };
  };
  const set = (next: RoomShape) =>
    useProject.getState().update((d) => (d.depth?.source.type === 'shape' ? { ...d, depth: shapeDepth(next) } : d));
  const current = (): RoomShape | null => {
    const s = useProject.getState().doc?.depth?.source;
    return s?.type === 'shape' && s.shape.kind === 'room' ? s.shape : null;
  };
  const start = (d: Drag) => (e: ReactPointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    svg.current!.setPointerCapture(e.pointerId);
    drag.current = d;
    beginGesture();
  };
  const onMove = (e: ReactPointerEvent) => {
    const d = drag.current;
    const r = current();
    if (!d || !r) return;
    const p = fraction(e);
    if (d.kind === 'vp') set(dragVanishingPoint(r, p));
    else if (d.kind === 'corner') set(dragCorner(r, d.corner, p));
    else set(moveWall(d.start, p.x - d.from.x, p.y - d.from.y));
  };
  const onUp = (e: ReactPointerEvent) => {
    if (!drag.current) return;
    drag.current = null;
    svg.current?.releasePointerCapture(e.pointerId);
    endGesture();
  };

  const v = room.vanishingPoint;
  const w = room.backWall;
  const corners = wallCorners(w);
  const regions = roomRegions(room);
  return (
    <div className="shape-editor" data-testid="shape-editor">
      <svg
        ref={svg}
        viewBox={`0 0 ${UNITS} ${h}`}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
        role="application"
        aria-label="Room editor: drag the vanishing point and the back wall's corners"
      >
        {url && <image href={url} x={0} y={0} width={UNITS} height={h} preserveAspectRatio="none" />}
        {regions.map((r) => (
          <polygon key={r.name} points={pts(r.points)} fill={REGION_FILL[r.name]} className="shape-editor__region">
            <title>{r.name}</title>
          </polygon>
        ))}
        {regions.map((r) => (
          <line
            key={`l-${r.name}`}
            x1={X(r.points[0].x)}
            y1={Y(r.points[0].y)}
            x2={X(v.x)}
            y2={Y(v.y)}
            className="shape-editor__ray"
          />
        ))}
        <rect
          x={X(w.left)}
          y={Y(w.top)}
          width={X(w.right - w.left)}
          height={Y(w.bottom - w.top)}
          className="shape-editor__wall"
          data-testid="shape-wall"
          onPointerDown={(e) => {
            const r = current();
            if (r) start({ kind: 'wall', from: fraction(e), start: r })(e);
          }}
        >
          <title>back wall: drag to move it with its vanishing point</title>
        </rect>
        {CORNERS.map((c, i) => (
          <rect
            key={c}
            x={X(corners[i].x) - 11}
            y={Y(corners[i].y) - 11}
            width={22}
            height={22}
            className="shape-editor__corner"
            data-testid={`shape-corner-${c}`}
            onPointerDown={start({ kind: 'corner', corner: c })}
          />
        ))}
        <circle
          cx={X(v.x)}
          cy={Y(v.y)}
          r={16}
          className="shape-editor__vp"
          data-testid="shape-vp"
          onPointerDown={start({ kind: 'vp' })}
        >
          <title>vanishing point</title>
        </circle>
      </svg>
      <p className="muted shape-editor__readout" data-testid="shape-readout">
        Vanishing point {v.x.toFixed(2)}, {v.y.toFixed(2)} · back wall {w.left.toFixed(2)}–{w.right.toFixed(2)} ×{' '}
        {w.top.toFixed(2)}–{w.bottom.toFixed(2)}
      </p>
    </div>
  );
}
