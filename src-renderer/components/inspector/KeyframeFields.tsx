import type { Easing, Keyframe, Orientation } from '../../../src-main/engine/project/schema';
import { lookAtRotation } from '../../../src-main/engine/camera/pose';
import { add, quatToMat3, type Vec3 } from '../../../src-main/engine/camera/math';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { deleteSelectedKey, editTrack, EASINGS } from '../timeline/Timeline';
import { moveKey, updateKey, withSourceFovY, type KeyPatch } from '../../../src-main/engine/camera/edit';
import { sourceFovY } from '../../../src-main/engine/camera/intrinsics';
import { useSceneDepth } from '../viewport/sceneStore';
import { NumberField } from '../ui/NumberField';
import { focalMmFromFovY, fovYFromFocalMm } from '../../../src-main/engine/camera/lens';

/** The selected keyframe's fields. Every typed edit is one undo step; the engine refuses invalid keys with its message. */
export function KeyframeFields() {
  const id = useUi((s) => s.selectedKeyId);
  const key = useProject((s) => s.doc?.track.keyframes.find((k) => k.id === id) ?? null);
  const depth = useSceneDepth();
  // Frame 0's field of view is the photo's camera (stored once, in the photo): shown and set through it.
  const sourceFov = useProject((s) => (s.doc?.image ? sourceFovY(s.doc) : null));
  // The frame the track renders into: its aspect turns fovY into a 35 mm focal length.
  const aspect = useProject((s) => (s.doc ? s.doc.render.width / s.doc.render.height : 16 / 9));
  if (!key) {
    return (
      <p className="muted insp-hint">
        Select a keyframe in the timeline or the view; K inserts one at the current frame.
      </p>
    );
  }
  const edit = (patch: KeyPatch) => editTrack((t) => updateKey(t, key.id, patch));
  const o = key.orientation;
  const vec = (v: readonly number[], i: number, x: number): [number, number, number] =>
    v.map((c, j) => (j === i ? x : c)) as [number, number, number];
  const source = key.frame === 0;
  const fovY = source && sourceFov !== null ? sourceFov : key.fovY;
  const setFovY = (v: number) => {
    if (!source) return edit({ fovY: v });
    try {
      useProject.getState().update((d) => withSourceFovY(d, v));
    } catch (e) {
      useUi.getState().toast('error', (e as Error).message);
    }
  };

  return (
    <div className="insp-fields" data-testid="keyframe-fields">
      {source && (
        <p className="muted insp-hint">
          Frame 0 is the source camera: its pose stays the photo's and its field of view is the photo's camera (set
          here, by --fov or by an imported path); this key also sets the first segment's easing.
        </p>
      )}
      <div className="field">
        <span>Frame</span>
        <NumberField
          value={key.frame}
          integer
          label="Key frame"
          testId="key-frame"
          onCommit={(f) => editTrack((t) => moveKey(t, key.id, f))}
        />
      </div>
      <div className="field">
        <span>Position</span>
        <div className="xyz">
          {(['x', 'y', 'z'] as const).map((a, i) => (
            <NumberField
              key={a}
              value={key.position[i]}
              label={`Position ${a}`}
              testId={`key-pos-${a}`}
              onCommit={(v) => edit({ position: vec(key.position, i, v) })}
            />
          ))}
        </div>
      </div>
      <div className="field">
        <span>Orientation</span>
        <select
          aria-label="Orientation kind"
          value={o.kind}
          onChange={(e) => edit({ orientation: convertOrientation(key, e.target.value as Orientation['kind'], depth) })}
        >
          <option value="lookAt">look at a target</option>
          <option value="quaternion">rotation (quaternion)</option>
        </select>
      </div>
      {o.kind === 'lookAt' ? (
        <div className="field">
          <span>Target</span>
          <div className="xyz">
            {(['x', 'y', 'z'] as const).map((a, i) => (
              <NumberField
                key={a}
                value={o.target[i]}
                label={`Target ${a}`}
                testId={`key-target-${a}`}
                onCommit={(v) => edit({ orientation: { ...o, target: vec(o.target, i, v) } })}
              />
            ))}
          </div>
        </div>
      ) : (
        <div className="field">
          <span>Quaternion</span>
          <div className="xyz xyz--4">
            {(['x', 'y', 'z', 'w'] as const).map((a, i) => (
              <NumberField
                key={a}
                value={o.q[i]}
                label={`Quaternion ${a}`}
                onCommit={(v) =>
                  edit({
                    orientation: {
                      kind: 'quaternion',
                      q: o.q.map((c, j) => (j === i ? v : c)) as [number, number, number, number],
                    },
                  })
                }
              />
            ))}
          </div>
        </div>
      )}
      <div className="field">
        <span>fovY (deg)</span>
        <NumberField
          value={Math.round(fovY * 1e4) / 1e4}
          label="Vertical field of view"
          testId="key-fov"
          onCommit={setFovY}
        />
      </div>
      <div
        className="field"
        title="Focal length as Blender shows it: a 36 mm (full-frame) sensor across the frame's longer side. Either field sets the other."
      >
        <span>Focal (mm)</span>
        <NumberField
          value={Math.round(focalMmFromFovY(fovY, aspect) * 100) / 100}
          label="Focal length in mm (36 mm sensor)"
          testId="key-focal-mm"
          check={(mm) => (mm > 0 ? null : 'The focal length must be above 0 mm.')}
          onCommit={(mm) => setFovY(Math.round(fovYFromFocalMm(mm, aspect) * 1e4) / 1e4)}
        />
      </div>
      <div className="field">
        <span>Easing</span>
        <select aria-label="Key easing" value={key.easing} onChange={(e) => edit({ easing: e.target.value as Easing })}>
          {EASINGS.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </div>
      <div className="insp-actions">
        <button onClick={deleteSelectedKey}>Delete key</button>
      </div>
    </div>
  );
}

/**
 * Switching a key between a look-at target and a quaternion keeps the pose it has now: the
 * target's rotation becomes the quaternion, or a quaternion's view axis gets a target at the
 * scene's depth straight ahead of the camera.
 */
function convertOrientation(key: Keyframe, kind: Orientation['kind'], depth: number): Orientation {
  const o = key.orientation;
  if (o.kind === kind) return o;
  if (o.kind === 'lookAt')
    return {
      kind: 'quaternion',
      q: lookAtRotation(key.position as Vec3, o.target as Vec3, (o.up ?? [0, 1, 0]) as Vec3),
    };
  const r = quatToMat3(o.q);
  const forward: Vec3 = [-r[2] * depth, -r[5] * depth, -r[8] * depth];
  return { kind: 'lookAt', target: add(key.position as Vec3, forward) };
}
