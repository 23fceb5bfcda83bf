import { useMemo, useState } from 'react';
import { PRESET_KINDS, presetTrack, type PresetKind, type PresetSpec } from '../../../src-main/engine/camera/presets';
import { defaults, PRESET_PARAMS, specFromValues, type Values } from './presetParams';
import { beginGesture, endGesture, useProject } from '../../state/projectStore';
import { isPreviewModel } from '../../../src-main/engine/preview/kind';
import { SVD_FRAME_COUNTS } from '../../../src-main/engine/camera/frame-count';
import { useUi } from '../../state/uiStore';
import { editTrack } from '../timeline/Timeline';
import { useSceneDepth } from '../viewport/sceneStore';
import { fovYFromFocal, renderIntrinsics } from '../../../src-main/engine/camera/intrinsics';

/**
 * Presets: each of the engine's camera moves with its parameters. Apply replaces the track's
 * keys with the preset's (one undo step); the keys are then ordinary keys to edit.
 */

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
    const k = renderIntrinsics(doc).intrinsics;
    // One undo step, the track and (for the 360° showcase) the window setting together.
    beginGesture();
    const ok = editTrack((t) => ({
      ...presetTrack(spec, {
        numFrames: t.numFrames,
        fps: t.fps,
        sourceFovY: fovYFromFocal(k.fy, k.height),
        targetDepth: depth,
      }),
      rotationInterpolation: t.rotationInterpolation,
    }));
    // The 360° showcase renders in windows: the preview and the draft model (any frame count)
    // get SVD-XT's 25-frame windows unless the settings name a size, so they render as the model will.
    const d = useProject.getState().doc;
    if (
      ok &&
      spec.kind === 'orbit360' &&
      d &&
      d.render.windowFrames === undefined &&
      (isPreviewModel(d.render.model) || d.render.model === 'draft')
    ) {
      useProject
        .getState()
        .update((x) => ({ ...x, render: { ...x.render, windowFrames: SVD_FRAME_COUNTS['svd-xt'] } }));
    }
    endGesture();
    if (ok) {
      useUi.getState().set({ selectedKeyId: null });
      useUi
        .getState()
        .toast('success', `Applied ${kind}: ${useProject.getState().doc?.track.keyframes.length ?? 0} keys.`);
    }
  };

  return (
    <div className="insp-fields" data-testid="presets-panel">
      <div className="field">
        <span>Move</span>
        <select
          aria-label="Preset"
          data-testid="preset-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as PresetKind)}
        >
          {PRESET_KINDS.map((k) => (
            <option key={k} value={k}>
              {PRESET_PARAMS[k].title}
            </option>
          ))}
        </select>
      </div>
      {PRESET_PARAMS[kind].params.map((p) => (
        <div className="field" key={p.name}>
          <span>{p.label}</span>
          {p.kind === 'choice' ? (
            <select aria-label={p.label} value={String(values[p.name])} onChange={(e) => set(p.name, e.target.value)}>
              {p.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          ) : p.kind === 'bool' ? (
            <input
              type="checkbox"
              aria-label={p.label}
              checked={values[p.name] === true}
              onChange={(e) => set(p.name, e.target.checked)}
            />
          ) : (
            <input
              type="text"
              aria-label={p.label}
              data-testid={`preset-${p.name}`}
              value={String(values[p.name])}
              onChange={(e) => set(p.name, e.target.value)}
            />
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
