import { useMemo, useRef, useState, useEffect } from 'react';
import { TransformControls } from '@react-three/drei';
import type { ThreeEvent } from '@react-three/fiber';
import * as THREE from 'three';
import type { TrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import type { Keyframe } from '../../../src-main/engine/project/schema';
import { useProject, beginGesture, endGesture } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { updateKey } from '../../../src-main/engine/camera/edit';
import { frustumsAt, frustumSegments, trackCurve, trackFrustums } from './sceneMath';
import { Polyline, Segments } from './SceneObjects';

/** What the gizmo moves: the selected key's position, its look-at target, or its rotation (quaternion keys). */
export type GizmoMode = 'move' | 'target' | 'rotate';

const KEY_COLOUR = '#f5a524';
const SELECTED_COLOUR = '#ffffff';
const TARGET_COLOUR = '#3ecf8e';

/** The track: its curve, small frustums at the keys (or at every frame), the current frame's frustum highlighted, and key handles. */
/** `throughCamera`: the view looks through the current frame's camera, so its own frustum and the per-frame frustums (lines across the picture) are left out. */
export function TrackView({
  ev,
  size,
  gizmo,
  throughCamera = false,
}: {
  ev: TrackEvaluator;
  size: number;
  gizmo: GizmoMode;
  throughCamera?: boolean;
}) {
  const frame = useUi((s) => s.frame);
  const selected = useUi((s) => s.selectedKeyId);
  const keys = useProject((s) => s.doc?.track.keyframes ?? []);
  const curve = useMemo(() => trackCurve(ev), [ev]);
  const which = useUi((s) => s.frustums);
  // Small frustums at the keys by default, so the path reads clearly; every frame on request (at
  // most about 60, so long tracks stay readable and cheap).
  const frustums = useMemo(
    () =>
      which === 'keys'
        ? frustumsAt(
            ev,
            ev.keys.map((k) => k.frame),
            size * 0.35,
          )
        : trackFrustums(ev, size * 0.35, Math.max(1, Math.ceil(ev.numFrames / 60))),
    [ev, size, which],
  );
  const current = useMemo(
    () => Float32Array.from(frustumSegments(ev.at(Math.min(frame, ev.numFrames - 1)), size * 0.6)),
    [ev, frame, size],
  );
  const targets = useMemo(() => {
    const out: number[] = [];
    for (const k of ev.keys) if (k.lookAt && k.frame > 0) out.push(...k.position, ...k.lookAt.target);
    return Float32Array.from(out);
  }, [ev]);
  const selectedKey = keys.find((k) => k.id === selected) ?? null;
  const handle = size * 0.035;

  const pick = (id: string | null, f: number) => (e: ThreeEvent<MouseEvent>) => {
    e.stopPropagation();
    useUi.getState().set({ selectedKeyId: id, frame: f });
  };

  return (
    <group name="track">
      <Polyline points={curve} color={KEY_COLOUR} name="track-curve" />
      {!throughCamera && <Segments points={frustums} color="#7d8799" opacity={0.55} name="track-frustums" />}
      {!throughCamera && <Segments points={current} color="#4c9aff" name="current-frustum" />}
      {targets.length > 0 && <Segments points={targets} color={TARGET_COLOUR} opacity={0.5} name="target-lines" />}
      {ev.keys.map((k) => (
        <mesh
          key={`${k.id ?? 'source'}-${k.frame}`}
          position={k.position}
          onClick={pick(k.id, k.frame)}
          renderOrder={4}
        >
          <sphereGeometry args={[handle, 16, 12]} />
          <meshBasicMaterial
            color={k.id && k.id === selected ? SELECTED_COLOUR : KEY_COLOUR}
            depthTest={false}
            transparent
          />
        </mesh>
      ))}
      {ev.keys.map((k) =>
        k.lookAt && k.frame > 0 ? (
          <mesh key={`t-${k.id}`} position={k.lookAt.target} onClick={pick(k.id, k.frame)} renderOrder={4}>
            <octahedronGeometry args={[handle * 1.2]} />
            <meshBasicMaterial color={TARGET_COLOUR} depthTest={false} transparent wireframe={k.id !== selected} />
          </mesh>
        ) : null,
      )}
      {selectedKey && selectedKey.frame > 0 && <KeyGizmo keyframe={selectedKey} mode={gizmo} size={size} />}
    </group>
  );
}

/**
 * The gizmo on the selected key. Each drag is one undo step: the document changes live while
 * dragging (so the curve and the look-through follow), and endGesture folds it into one entry.
 */
function KeyGizmo({ keyframe, mode, size }: { keyframe: Keyframe; mode: GizmoMode; size: number }) {
  const obj = useRef<THREE.Mesh>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const o = keyframe.orientation;
  const effective: GizmoMode =
    mode === 'target' && o.kind !== 'lookAt' ? 'move' : mode === 'rotate' && o.kind !== 'quaternion' ? 'move' : mode;
  const position = effective === 'target' && o.kind === 'lookAt' ? o.target : keyframe.position;
  const quaternion = o.kind === 'quaternion' ? o.q : ([0, 0, 0, 1] as const);

  const onChange = () => {
    const m = obj.current;
    if (!m) return;
    const id = keyframe.id;
    useProject.getState().update((d) => {
      const key = d.track.keyframes.find((k) => k.id === id);
      if (!key) return d;
      try {
        if (effective === 'move')
          return { ...d, track: updateKey(d.track, id, { position: [m.position.x, m.position.y, m.position.z] }) };
        if (effective === 'target' && key.orientation.kind === 'lookAt') {
          return {
            ...d,
            track: updateKey(d.track, id, {
              orientation: { ...key.orientation, target: [m.position.x, m.position.y, m.position.z] },
            }),
          };
        }
        if (effective === 'rotate') {
          const q = m.quaternion;
          return {
            ...d,
            track: updateKey(d.track, id, { orientation: { kind: 'quaternion', q: [q.x, q.y, q.z, q.w] } }),
          };
        }
      } catch {
        // A pose the engine refuses (target on the camera): keep the last valid one while dragging.
      }
      return d;
    });
  };

  return (
    <>
      <mesh
        ref={obj}
        position={position as [number, number, number]}
        quaternion={quaternion as unknown as THREE.Quaternion}
        visible={false}
      >
        <boxGeometry args={[size * 0.01, size * 0.01, size * 0.01]} />
      </mesh>
      {ready && obj.current && (
        <TransformControls
          object={obj.current}
          mode={effective === 'rotate' ? 'rotate' : 'translate'}
          space={effective === 'rotate' ? 'local' : 'world'}
          size={0.8}
          onMouseDown={() => beginGesture()}
          onMouseUp={() => endGesture()}
          onObjectChange={onChange}
        />
      )}
    </>
  );
}
