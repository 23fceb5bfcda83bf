import { useMemo, useState } from 'react';
import { PRESET_KINDS, presetTrack, type PresetKind, type PresetSpec } from '../../../src-main/engine/camera/presets';
import { fovYFromFocal } from '../../../src-main/engine/camera/intrinsics';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { editTrack } from '../timeline/Timeline';
import { renderSourceIntrinsics, useSceneDepth } from '../viewport/sceneStore';

/**
 * Presets: each of the engine's camera moves with its parameters. Apply replaces the track's
 * keys with the preset's (one undo step); the keys are then ordinary keys to edit.
 */

type Param =
  | { name: string; label: string; kind: 'number'; def: (depth: number) => number; unit?: string }
  | { name: string; label: string; kind: 'choice'; options: readonly string[]; def: () => string }
  | { name: string; label: string; kind: 'bool'; def: () => boolean }
  | { name: string; label: string; kind: 'vec3'; def: (depth: number) => [number, number, number] };

const EASING = { name: 'easing', label: 'Easing', kind: 'choice', options: ['linear', 'easeIn', 'easeOut', 'easeInOut'], def: () => 'easeInOut' } as const;
const DIRECTION = { name: 'direction', label: 'Direction', kind: 'choice', options: ['ccw', 'cw'], def: () => 'ccw' } as const;
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
  dolly: { title: 'Dolly in (+) or out (−)', params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.3) }, EASING] },
  truck: { title: 'Truck right (+) or left (−)', params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.2) }, EASING] },
  pedestal: { title: 'Pedestal up (+) or down (−)', params: [{ name: 'distance', label: 'Distance', kind: 'number', def: (d) => r3(d * 0.1) }, EASING] },
  crane: {
    title: 'Crane up or down, keeping the target',
    params: [{ name: 'height', label: 'Height', kind: 'number', def: (d) => r3(d * 0.15) }, { name: 'keepTarget', label: 'Keep target centred', kind: 'bool', def: () => true }, EASING],
  },
  arc: { title: 'Arc to an end position, looking at the target', params: [{ name: 'end', label: 'End position', kind: 'vec3', def: (d) => [r3(d * 0.4), 0, r3(-d * 0.1)] }] },
  spiral: {
    title: 'Spiral: orbit while closing in',
    params: [
      { name: 'degreesPerFrame', label: 'Degrees / frame', kind: 'number', def: () => 1 },
      DIRECTION,
      { name: 'dolly', label: 'Dolly', kind: 'number', def: (d) => r3(d * 0.3) },
      { name: 'rise', label: 'Rise', kind: 'number', def: () => 0 },
    ],
  },
  zoom: { title: 'Zoom (focal change, camera still)', params: [{ name: 'factor', label: 'Focal × ', kind: 'number', def: () => 1.5 }, EASING] },
};

type Values = Record<string, string | boolean>;

function defaults(kind: PresetKind, depth: number): Values {
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
      if (String(v).trim() === '' || !Number.isFinite(n)) throw new Error(`${p.label.trim()}: "${String(v)}" is not a number.`);
      spec[p.name] = n;
    } else if (p.kind === 'vec3') {
      const parts = String(v).split(/[\s,]+/).filter(Boolean).map(Number);
      if (parts.length !== 3 || !parts.every(Number.isFinite)) throw new Error(`${p.label}: give three numbers x, y, z (got "${String(v)}").`);
      spec[p.name] = parts;
    } else {
      spec[p.name] = v;
    }
  }
  return spec as unknown as PresetSpec;
}

export function PresetsPanel() {
  const depth = useSceneDepth();
  const [kind, setKind] = useState<PresetKind>('orbit');
  const [edited, setEdited] = useState<Record<string, Values>>({});
  const base = useMemo(() => defaults(kind, depth), [kind, depth]);
  const values = { ...base, ...edited[kind] };
  const set = (name: string, v: string | boolean) => setEdited((e) => ({ ...e, [kind]: { ...e[kind], [name]: v } }));

  const apply = () => {
    const doc = useProject.getState().doc;
    if (!doc) return;
    let spec: PresetSpec;
    try {
      spec = specFromValues(kind, values);
    } catch (e) {
      useUi.getState().toast('error', (e as Error).message);
      return;
    }
    const k = renderSourceIntrinsics(doc);
    const ok = editTrack((t) => ({
      ...presetTrack(spec, { numFrames: t.numFrames, fps: t.fps, sourceFovY: fovYFromFocal(k.fy, k.height), targetDepth: depth }),
      rotationInterpolation: t.rotationInterpolation,
    }));
    if (ok) {
      useUi.getState().set({ selectedKeyId: null });
      useUi.getState().toast('success', `Applied ${kind}: ${useProject.getState().doc?.track.keyframes.length ?? 0} keys.`);
    }
  };

  return (
    <div className="insp-fields" data-testid="presets-panel">
      <div className="field">
        <span>Move</span>
        <select aria-label="Preset" data-testid="preset-kind" value={kind} onChange={(e) => setKind(e.target.value as PresetKind)}>
          {PRESET_KINDS.map((k) => (
            <option key={k} value={k}>{PRESET_PARAMS[k].title}</option>
          ))}
        </select>
      </div>
      {PRESET_PARAMS[kind].params.map((p) => (
        <div className="field" key={p.name}>
          <span>{p.label}</span>
          {p.kind === 'choice' ? (
            <select aria-label={p.label} value={String(values[p.name])} onChange={(e) => set(p.name, e.target.value)}>
              {p.options.map((o) => (
                <option key={o} value={o}>{o}</option>
              ))}
            </select>
          ) : p.kind === 'bool' ? (
            <input type="checkbox" aria-label={p.label} checked={values[p.name] === true} onChange={(e) => set(p.name, e.target.checked)} />
          ) : (
            <input type="text" aria-label={p.label} data-testid={`preset-${p.name}`} value={String(values[p.name])} onChange={(e) => set(p.name, e.target.value)} />
          )}
        </div>
      ))}
      <div className="insp-actions">
        <button className="primary" onClick={apply} data-testid="apply-preset">
          Apply (replaces keys)
        </button>
        <span className="muted">Scene depth {depth.toPrecision(3)}</span>
      </div>
    </div>
  );
}
