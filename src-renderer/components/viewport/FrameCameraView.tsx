import { useEffect, useLayoutEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import * as THREE from 'three';
import type { TrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import { applyFrameCamera } from '../../../src-main/engine/camera/three-bridge';
import { computeFit, placeIntrinsics } from '../../../src-main/engine/image/fit';
import { frustumCorners } from './sceneMath';
import { Segments } from './SceneObjects';

/**
 * Looks at the 3D scene through the track's camera at `frame`, live (it follows drags at once,
 * unlike the warped preview). The engine's three-bridge sets the pose and the exact pinhole
 * projection; the render frame is fitted inside the canvas (padded, never stretched) and its
 * border drawn, so what lies inside the border is what that frame of the render frames.
 */
export function FrameCameraView({ ev, frame, depth }: { ev: TrackEvaluator; frame: number; depth: number }) {
  const set = useThree((s) => s.set);
  const get = useThree((s) => s.get);
  const size = useThree((s) => s.size);
  const invalidate = useThree((s) => s.invalidate);
  const camera = useMemo(() => {
    const c = new THREE.PerspectiveCamera();
    // R3F leaves a "manual" camera's projection alone on resize: ours comes from the intrinsics.
    (c as THREE.PerspectiveCamera & { manual?: boolean }).manual = true;
    return c;
  }, []);
  const cam = ev.at(Math.min(frame, ev.numFrames - 1));

  useLayoutEffect(() => {
    const previous = get().camera;
    set({ camera });
    return () => set({ camera: previous });
  }, [camera, get, set]);

  useLayoutEffect(() => {
    const k = cam.intrinsics;
    const fitted = placeIntrinsics(
      k,
      computeFit(k.width, k.height, Math.max(1, Math.round(size.width)), Math.max(1, Math.round(size.height)), 'pad'),
    );
    camera.near = depth / 1000;
    camera.far = depth * 200;
    applyFrameCamera(camera, { c2w: cam.c2w, intrinsics: fitted });
    invalidate();
  }, [camera, cam, size.width, size.height, depth, invalidate]);

  // The render frame's border: the image rectangle just in front of the camera projects onto it.
  const border = useMemo(() => {
    const c = frustumCorners(cam.intrinsics, cam.c2w, depth * 0.01);
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push(...c[i], ...c[(i + 1) % 4]);
    return Float32Array.from(out);
  }, [cam, depth]);
  useEffect(() => invalidate(), [border, invalidate]);
  return <Segments points={border} color="#4c9aff" name="frame-border" />;
}
