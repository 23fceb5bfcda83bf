import type { PresetKind, PresetSpec } from '../../../src-main/engine/camera/presets';

/** The presets panel's fields: each engine preset's parameters, their labels and scene-scaled defaults. */

type Param =
  | { name: string; label: string; kind: 'number'; def: (depth: number) => number; unit?: string }
  | { name: string; label: string; kind: 'choice'; options: readonly string[]; def: () => string }
  | { name: string; label: string; kind: 'bool'; def: () => boolean }
  | { name: string; label: string; kind: 'vec3'; def: (depth: number) => [number, number, number] };

const EASING = {
  name: 'easing',
  label: 'Easing',
  kind: 'choice',
  options: ['linear', 'easeIn', 'easeOut', 'easeInOut'],
  def: () => 'easeInOut',
} as const;
const DIRECTION = {
  name: 'direction',
  label: 'Direction',
  kind: 'choice',
  options: ['ccw', 'cw'],
  def: () => 'ccw',
} as const;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** Parameters of each preset, with defaults scaled to the scene (its median depth). */
export const PRESET_PARAMS: Record<PresetKind, { title: string; params: Param[] }> = {
  orbit: {
    title: 'Orbit / ellipse around the target',
    params: [
      { name: 'degreesPerFrame', label: 'Degrees / frame', kind: 'number', def: () => 1 },
      DIRECTION,
      { name: 'radiusX', label: 'Radius across', kind: 'number', def: (d) => r3(d) },
      { name: 'radiusZ', label: 'Radius in depth', kind: 'number', def: (d) => r3(d) },
    ],
  },
  orbit360: {
    title: 'Full orbit (360°), renders in windows',
    params: [
      { name: 'frames', label: 'Frames', kind: 'number', def: () => 96 },
      DIRECTION,
      { name: 'radiusX', label: 'Radius across', kind: 'number', def: (d) => r3(d) },
      { name: 'radiusZ', label: 'Radius in depth', kind: 'number', def: (d) => r3(d) },
    ],
  },
  dolly: {
    title: 'Dolly in (+) or out (−)',
    params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.3) }, EASING],
  },
  truck: {
    title: 'Truck right (+) or left (−)',
    params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.2) }, EASING],
  },
  pedestal: {
    title: 'Pedestal up (+) or down (−)',
    params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.1) }, EASING],
  },
  crane: {
    title: 'Crane up or down, keeping the target',
    params: [
      { name: 'height', label: 'Height', kind: 'number', def: (d) => r3(d * 0.15) },
      { name: 'keepTarget', label: 'Keep target centred', kind: 'bool', def: () => true },
      EASING,
    ],
  },
  arc: {
    title: 'Arc to an end position, looking at the target',
    params: [{ name: 'end', label: 'End position', kind: 'vec3', def: (d) => [r3(d * 0.4), 0, r3(-d * 0.1)] }],
  },
  spiral: {
    title: 'Spiral: orbit while closing in',
    params: [
      { name: 'degreesPerFrame', label: 'Degrees / frame', kind: 'number', def: () => 1 },
      DIRECTION,
      { name: 'dolly', label: 'Dolly', kind: 'number', def: (d) => r3(d * 0.3) },
      { name: 'rise', label: 'Rise', kind: 'number', def: () => 0 },
    ],
  },
  zoom: {
    title: 'Zoom (focal change, camera still)',
    params: [{ name: 'factor', label: 'Focal × ', kind: 'number', def: () => 1.5 }, EASING],
  },
};

export type Values = Record<string, string | boolean>;

export function defaults(kind: PresetKind, depth: number): Values {
  const out: Values = {};
  for (const p of PRESET_PARAMS[kind].params) {
    const d = p.def(depth);
    out[p.name] = typeof d === 'boolean' ? d : Array.isArray(d) ? d.join(', ') : String(d);
  }
  return out;
}

/** Parses the text fields into the engine's PresetSpec; throws a message naming the bad field. */
export function specFromValues(kind: PresetKind, values: Values): PresetSpec {
  const spec: Record<string, unknown> = { kind };
  for (const p of PRESET_PARAMS[kind].params) {
    const v = values[p.name];
    if (p.kind === 'number') {
      const n = Number(String(v).trim());
      if (String(v).trim() === '' || !Number.isFinite(n))
        throw new Error(`${p.label.trim()}: "${String(v)}" is not a number.`);
      spec[p.name] = n;
    } else if (p.kind === 'vec3') {
      const parts = String(v)
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      if (parts.length !== 3 || !parts.every(Number.isFinite))
        throw new Error(`${p.label}: give three numbers x, y, z (got "${String(v)}").`);
      spec[p.name] = parts;
    } else {
      spec[p.name] = v;
    }
  }
  return spec as unknown as PresetSpec;
}
