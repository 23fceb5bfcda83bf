import { useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import type { DepthPreview, DepthReportView } from '../../../src-main/api/contract';
import type { Intrinsics } from '../../../src-main/engine/geometry/conventions';
import { createTrackEvaluator, type TrackEvaluator } from '../../../src-main/engine/camera/evaluate';
import type { ProjectDoc, SourceView, Track } from '../../../src-main/engine/project/schema';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import { buildDepthGeometry, type DepthGeometry } from './sceneMath';
import { renderIntrinsics } from '../../../src-main/engine/camera/intrinsics';

/**
 * What the 3D view, the inspector and the timeline share beyond the document: the depth at
 * display resolution (fetched from the engine with the document's mapping) and the geometry
 * built from it once per change, never per frame.
 */

/** Long side of the depth grid of the 3D view: 256 px keeps the mesh light (about 37k vertices for 16:9). */
export const DEPTH_PREVIEW_SIDE = 256;
/** Distance of the photo plane when there is no depth, and the default target depth of presets. */
export const NOMINAL_DEPTH = 5;

export interface SceneState {
  /** Identity of the depth shown: project folder, image, depth asset and mapping. */
  key: string | null;
  preview: DepthPreview | null;
  geometry: DepthGeometry | null;
  report: DepthReportView | null;
  loading: boolean;
  error: string | null;
  /** The engine's code for `error` ('shape-mismatch': a depth of another aspect than the photo). */
  errorCode: string | null;
}

export const useScene = create<SceneState>()(() => ({
  key: null,
  preview: null,
  geometry: null,
  report: null,
  loading: false,
  error: null,
  errorCode: null,
}));

function depthKey(dir: string | null, doc: ProjectDoc | null): string | null {
  if (!dir || !doc?.image || !doc.depth) return null;
  // The photo's camera too: the mesh is the depth unprojected through it (it changes with --fov, a path, the source key).
  return JSON.stringify([dir, doc.image.asset.sha256, doc.image.intrinsics, doc.depth.source, doc.depth.mapping]);
}

/** Keeps useScene in step with the document: mount once (the viewport does). Mapping edits are debounced. */
export function useDepthPreviewSync(): void {
  const dir = useProject((s) => s.dir);
  const doc = useProject((s) => s.doc);
  const key = depthKey(dir, doc);
  useEffect(() => {
    if (key === useScene.getState().key) return;
    if (!key) {
      useScene.setState({
        key: null,
        preview: null,
        geometry: null,
        report: null,
        loading: false,
        error: null,
        errorCode: null,
      });
      return;
    }
    useScene.setState({ loading: true });
    let stale = false;
    const timer = setTimeout(() => {
      const current = useProject.getState();
      if (!current.doc || !current.dir) return;
      engine.call('depth.preview', { project: current.dir, doc: current.doc, maxSide: DEPTH_PREVIEW_SIDE }).then(
        (preview) => {
          if (stale) return;
          useScene.setState({
            key,
            preview,
            geometry: buildDepthGeometry(preview),
            report: preview.report ?? null,
            loading: false,
            error: null,
            errorCode: null,
          });
        },
        (e: Error & { code?: string }) => {
          if (stale) return;
          useScene.setState({
            key,
            preview: null,
            geometry: null,
            report: null,
            loading: false,
            error: e.message,
            errorCode: e.code ?? null,
          });
        },
      );
    }, 120);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key]);
}

export function useRenderSource(): Intrinsics | null {
  const image = useProject((s) => s.doc?.image ?? null);
  const render = useProject((s) => s.doc?.render ?? null);
  return useMemo(() => (render ? renderIntrinsics({ image, render }).intrinsics : null), [image, render]);
}

/** The engine's evaluator of the current track (memoised on the track), or the reason it cannot be evaluated. */
export function useTrackEvaluator(): {
  ev: TrackEvaluator | null;
  error: string | null;
  track: Track | null;
  source: Intrinsics | null;
} {
  const track = useProject((s) => s.doc?.track ?? null);
  const source = useRenderSource();
  return useMemo(() => {
    if (!track || !source) return { ev: null, error: null, track, source };
    try {
      return { ev: createTrackEvaluator(track, source), error: null, track, source };
    } catch (e) {
      return { ev: null, error: (e as Error).message, track, source };
    }
  }, [track, source]);
}

/** Scene scale: the median depth of the photo, or the nominal distance without depth. */
export function useSceneDepth(): number {
  const median = useScene((s) => s.geometry?.medianDepth ?? NaN);
  return Number.isFinite(median) && median > 0 ? median : NOMINAL_DEPTH;
}

/** Depth grids of source views, by project folder, view and depth identity (toggling a view off and on does not fetch again). */
const viewDepthCache = new Map<string, Promise<{ preview: DepthPreview; geometry: DepthGeometry }>>();

/**
 * A source view's depth at display resolution and the mesh built from it (sparse views), in the
 * view's own camera frame: the caller places it by the view's camera-to-world.
 */
export function useSourceViewGeometry(view: SourceView): { preview: DepthPreview; geometry: DepthGeometry } | null {
  const dir = useProject((s) => s.dir);
  const key = dir
    ? JSON.stringify([dir, view.id, view.image.asset.sha256, view.depth.source, view.depth.mapping])
    : null;
  const [state, setState] = useState<{ key: string; value: { preview: DepthPreview; geometry: DepthGeometry } } | null>(
    null,
  );
  useEffect(() => {
    if (!key || !dir) return;
    let stale = false;
    let pending = viewDepthCache.get(key);
    if (!pending) {
      const doc = useProject.getState().doc;
      if (!doc) return;
      pending = engine
        .call('depth.preview', { project: dir, doc, maxSide: DEPTH_PREVIEW_SIDE, view: view.id })
        .then((preview) => ({ preview, geometry: buildDepthGeometry(preview) }));
      viewDepthCache.set(key, pending);
      pending.catch(() => viewDepthCache.delete(key!));
    }
    pending.then(
      (value) => !stale && setState({ key, value }),
      () => !stale && setState(null),
    );
    return () => {
      stale = true;
    };
  }, [key, dir, view.id]);
  return state && state.key === key ? state.value : null;
}
