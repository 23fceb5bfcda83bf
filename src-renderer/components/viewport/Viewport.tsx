import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Vector3 } from 'three';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { OrbitControls, Grid, GizmoHelper, GizmoViewport } from '@react-three/drei';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useAssetUrl } from '../../hooks/useAssetUrl';
import { useDepthPreviewSync, useScene, useSceneDepth, useTrackEvaluator } from './sceneStore';
import { DepthMesh, DepthPoints, PhotoPlane, SourceFrustum, SourceViews } from './SceneObjects';
import { TrackView, type GizmoMode } from './TrackView';
import { LookThrough } from './LookThrough';
import { FrameCameraView } from './FrameCameraView';
import { SOFTWARE_GL } from './gpu';
import { Welcome, useWelcomeWanted } from '../welcome/Welcome';
import { Hint } from '../welcome/Hint';
import { framePoints } from './sceneMath';
import type { TrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import { Maximize, PictureInPicture2, Video } from 'lucide-react';
import { ICON } from '../ui/icons';
import './viewport.css';

/**
 * The 3D view: the photo lifted by its depth (mesh or points), the source camera, the track with
 * a frustum per frame and its key handles, a gizmo on the selected key, and the look-through
 * inset. Everything is drawn from the engine's own evaluation of the track.
 */
export function Viewport() {
  useDepthPreviewSync();
  const image = useProject((s) => s.doc?.image ?? null);
  const hasDepth = useProject((s) => !!s.doc?.depth);
  // Further source views (sparse views): a frustum and a depth mesh each, at the pose the project records.
  const sourceViews = useProject((s) => s.doc?.sources);
  // A large photo is shown from its working copy (the render reads the original).
  const url = useAssetUrl(image ? `assets/${(image.working ?? image.asset).file}` : null);
  const sceneMode = useUi((s) => s.sceneMode);
  const lookThrough = useUi((s) => s.lookThrough);
  const { geometry, preview, loading, error: depthError } = useScene();
  const { ev, error: trackError, source } = useTrackEvaluator();
  const depth = useSceneDepth();
  const [gizmo, setGizmo] = useState<GizmoMode>('move');
  const [cameraView, setCameraView] = useState(false);
  const frame = useUi((s) => s.frame);
  const welcome = useWelcomeWanted();
  const dir = useProject((s) => s.dir);
  const [welcomeDismissed, setWelcomeDismissed] = useState(false);
  useEffect(() => setWelcomeDismissed(false), [dir]);
  const frustums = useUi((s) => s.frustums);
  const projectPath = useProject((s) => s.path);

  // The gizmo keys of three.js editors: W move, E rotate, T target.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (
        e.ctrlKey ||
        e.metaKey ||
        e.altKey ||
        (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA'))
      )
        return;
      const key = e.key.toLowerCase();
      const m = ({ w: 'move', e: 'rotate', t: 'target' } as const)[key as 'w' | 'e' | 't'];
      const own = !!(t && t.closest('[data-own-keys]'));
      // Blender's keys as well: Numpad 0 toggles the camera view, Numpad . frames.
      if (m) setGizmo(m);
      else if ((key === 'c' || e.code === 'Numpad0') && !own) setCameraView((v) => !v);
      else if ((key === 'f' || e.code === 'NumpadDecimal') && !own) {
        setCameraView(false);
        window.dispatchEvent(new Event('camtrack:frame-scene'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className="panel viewport" aria-label="3D viewport" data-testid="viewport">
      <Canvas
        camera={{ position: [3, 2, 3], fov: 50, near: 0.01, far: 5000 }}
        gl={{ preserveDrawingBuffer: true, antialias: !SOFTWARE_GL }}
        dpr={[1, 2]}
        frameloop="demand"
        onPointerMissed={() => useUi.getState().set({ selectedKeyId: null })}
      >
        <color attach="background" args={['#15171c']} />
        {!cameraView && (
          <Grid
            infiniteGrid
            cellSize={depth / 10}
            sectionSize={depth}
            cellColor="#2a2f3a"
            sectionColor="#3b4252"
            fadeDistance={depth * 12}
            position={[0, -depth * 0.3, 0]}
          />
        )}
        <axesHelper args={[depth * 0.1]} />
        <Suspense fallback={null}>
          {url && geometry && preview && sceneMode === 'mesh' && <DepthMesh geometry={geometry} url={url} />}
          {url && geometry && preview && sceneMode === 'points' && (
            <DepthPoints geometry={geometry} grid={preview} url={url} />
          )}
          {/* Without usable depth (none yet, or one the engine cannot use) the photo still shows, as a flat plane. */}
          {url && (!hasDepth || (!!depthError && !geometry)) && source && (
            <PhotoPlane url={url} intrinsics={source} distance={depth} />
          )}
        </Suspense>
        {source && <SourceFrustum intrinsics={source} size={depth * 0.25} />}
        {sourceViews && sourceViews.length > 0 && (
          <SourceViews views={sourceViews} size={depth * 0.25} mode={sceneMode} />
        )}
        {ev && <TrackView ev={ev} size={depth * 0.25} gizmo={gizmo} throughCamera={cameraView} />}
        {ev && cameraView && <FrameCameraView ev={ev} frame={frame} depth={depth} />}
        {!cameraView && <OrbitControls makeDefault enableDamping={false} />}
        {!cameraView && <FrameScene depth={depth} ev={ev} reframeKey={projectPath ?? ''} />}
        <ViewProbe />
        {!cameraView && (
          <GizmoHelper alignment="bottom-right" margin={[64, 64]}>
            <GizmoViewport labelColor="white" axisHeadScale={0.9} />
          </GizmoHelper>
        )}
      </Canvas>
      <div className="viewport__toolbar" role="toolbar" aria-label="View options">
        <div className="seg" role="group" aria-label="Photo as">
          <button
            aria-pressed={sceneMode === 'mesh'}
            onClick={() => useUi.getState().set({ sceneMode: 'mesh' })}
            disabled={!hasDepth}
          >
            Mesh
          </button>
          <button
            aria-pressed={sceneMode === 'points'}
            onClick={() => useUi.getState().set({ sceneMode: 'points' })}
            disabled={!hasDepth}
          >
            Points
          </button>
        </div>
        <div className="seg" role="group" aria-label="Gizmo">
          <button aria-pressed={gizmo === 'move'} onClick={() => setGizmo('move')} title="Move the selected key (W)">
            Move
          </button>
          <button
            aria-pressed={gizmo === 'target'}
            onClick={() => setGizmo('target')}
            title="Move its look-at target (T)"
          >
            Target
          </button>
          <button
            aria-pressed={gizmo === 'rotate'}
            onClick={() => setGizmo('rotate')}
            title="Rotate a quaternion key (E)"
          >
            Rotate
          </button>
        </div>
        <div className="seg" role="group" aria-label="Frustums">
          <button
            aria-pressed={frustums === 'keys'}
            onClick={() => useUi.getState().set({ frustums: 'keys' })}
            title="Draw a camera frustum at each key only"
            data-testid="frustums-keys"
          >
            Keys
          </button>
          <button
            aria-pressed={frustums === 'all'}
            onClick={() => useUi.getState().set({ frustums: 'all' })}
            title="Draw a camera frustum at every frame"
            data-testid="frustums-all"
          >
            All frames
          </button>
        </div>
        {/* Named as in Blender: "Camera view" looks through the camera (Numpad 0); the inset is a separate preview. */}
        <button
          aria-pressed={cameraView}
          onClick={() => setCameraView(!cameraView)}
          disabled={!ev}
          data-testid="toggle-camera-view"
          title="Look through the current frame's camera, as Blender's camera view (Numpad 0 or C)"
        >
          <Video {...ICON} /> Camera view
        </button>
        <button
          aria-pressed={lookThrough}
          onClick={() => useUi.getState().set({ lookThrough: !lookThrough })}
          data-testid="toggle-lookthrough"
          title="Show an inset with the photo warped into the current frame's camera: what the model is guided by"
        >
          <PictureInPicture2 {...ICON} /> Warp preview
        </button>
        <button
          onClick={() => (setCameraView(false), window.dispatchEvent(new Event('camtrack:frame-scene')))}
          title="Back to the free view, framing the camera path and the photo (F or Numpad .), as Blender's Frame All"
          data-testid="frame-all"
        >
          <Maximize {...ICON} /> Frame All
        </button>
      </div>
      {(loading || depthError || trackError) && (
        <div className="viewport__notes">
          {loading && <span className="muted">Loading depth…</span>}
          {depthError && (
            <span className="error" data-testid="depth-error">
              {depthError}
            </span>
          )}
          {trackError && <span className="error">{trackError}</span>}
        </div>
      )}
      {lookThrough && <LookThrough />}
      {image && (
        <Hint id="viewport" className="hint--float">
          Drag to orbit, scroll to zoom. Click a camera to select its key; W move, T target, E rotate. C (Numpad 0)
          looks through the camera, F (Numpad .) frames all.
        </Hint>
      )}
      {!image && welcome && !welcomeDismissed && <Welcome onDismiss={() => setWelcomeDismissed(true)} />}
      {!image && !(welcome && !welcomeDismissed) && (
        <div className="viewport__empty">Drop a photo here, or File › Import Image</div>
      )}
    </section>
  );
}

declare global {
  interface Window {
    /** Where a world point appears in the viewport (page pixels) and how fast the view draws: for automation (end-to-end tests, benchmarks). */
    camtrackView?: {
      toPage(p: [number, number, number]): [number, number];
      frames(): number;
      renderMs(n: number): number;
      /** Vertices in the named scene object's geometry (0 when absent), e.g. 'track-frustums'. */
      vertices(name: string): number;
    };
  }
}

/** Publishes window.camtrackView: world -> page pixels through the view camera, and a count of drawn frames. */
function ViewProbe() {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const count = useRef(0);
  useFrame(() => {
    count.current++;
  });
  useEffect(() => {
    window.camtrackView = {
      toPage([x, y, z]) {
        const v = new Vector3(x, y, z).project(camera);
        const r = gl.domElement.getBoundingClientRect();
        return [r.left + ((v.x + 1) / 2) * r.width, r.top + ((1 - v.y) / 2) * r.height];
      },
      frames: () => count.current,
      vertices(name) {
        const o = scene.getObjectByName(name) as
          { geometry?: { getAttribute(n: string): { count: number } | undefined } } | undefined;
        return o?.geometry?.getAttribute('position')?.count ?? 0;
      },
      renderMs(n) {
        // Synchronous renders, each waited for with a 1-pixel read-back so the GPU's time counts.
        const px = new Uint8Array(4);
        const ctx = gl.getContext();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          gl.render(scene, camera);
          ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, px);
        }
        return (performance.now() - t0) / n;
      },
    };
    return () => {
      delete window.camtrackView;
    };
  }, [camera, gl, scene]);
  return null;
}

/**
 * Frames the camera path and the photo's centre from above and to the side, when a project opens,
 * when the scene's scale changes, and on request (F). Editing the track does not move the view: it
 * reads the latest track through a ref.
 */
function FrameScene({ depth, ev, reframeKey }: { depth: number; ev: TrackEvaluator | null; reframeKey: string }) {
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const evRef = useRef(ev);
  evRef.current = ev;
  const hasTrack = !!ev;
  const frame = useMemo(
    () => () => {
      const track = evRef.current;
      // The path and the photo's middle distance, so the path is seen against what it films.
      const pts: number[] = [0, 0, 0, 0, 0, -depth];
      if (track) {
        for (let f = 0; f < track.numFrames; f += Math.max(1, Math.floor(track.numFrames / 200))) {
          const m = track.at(f).c2w;
          pts.push(m[3], m[7], m[11]);
        }
      }
      const fov = 'fov' in camera ? (camera as { fov: number }).fov : 50;
      const view = framePoints(pts, fov, [0.55, 0.5, 0.75], depth * 0.35);
      camera.position.set(...view.position);
      camera.near = depth / 1000;
      camera.far = depth * 200;
      camera.updateProjectionMatrix();
      if (controls) {
        controls.target.set(...view.target);
        controls.update();
      } else {
        camera.lookAt(...view.target);
      }
    },
    [camera, controls, depth],
  );
  useEffect(frame, [frame, reframeKey, hasTrack]);
  useEffect(() => {
    window.addEventListener('camtrack:frame-scene', frame);
    return () => window.removeEventListener('camtrack:frame-scene', frame);
  }, [frame]);
  return null;
}
