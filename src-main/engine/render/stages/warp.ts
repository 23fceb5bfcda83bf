import { availableParallelism } from 'node:os';
import type { FrameCamera } from '../../geometry/conventions';
import type { RgbImage } from '../../image/types';
import { fillWarpedFrame } from '../../preview';
import type { Fidelity } from '../../project/schema';
import { prepareSources, warpFused } from '../../sources/fuse';
import { warpTrackFromViews } from '../../sources/track';
import { CamtrackError } from '../../util/errors';
import { warpTrackFromVideo, type VideoSourceLoader } from '../../video-input';
import type { WarpedFrame, WarpSource } from '../../warp/forward';
import {
  prepareWarp,
  previewWarpOptions,
  warpPrepared,
  type PrepareWarpOptions,
  type WarpMethod,
} from '../../warp/method';
import { hiddenLayerFor } from '../../preview/layer';
import { createWarpPool, WARP_IN_THREAD_BELOW } from '../../warp/pool';
import { referenceWarpFrame } from '../../warp/reference';
import type { FrameWindow } from '../../windows';
import { filledDepth } from '../../windows/depth';
import { referenceTwoViewFrame } from '../referenceWarp';

/** What a track is warped from: the photo, and the project's further source views or its video. */
export type WarpScene =
  | { kind: 'photo'; photo: WarpSource }
  | { kind: 'views'; photo: WarpSource; views: readonly WarpSource[] }
  | { kind: 'video'; photo: WarpSource; video: VideoSourceLoader };

/** Where a later window of a long track starts: what the window before it made. */
export interface WindowStart {
  /** The frame the previous window made at this window's first frame (its camera). */
  image: RgbImage;
  /** The source the previous window was warped from besides the photo; null when it was the photo alone. */
  previous: WarpSource | null;
  /** The previous window's own view at this camera: when it carries depth (a preview's does), that depth is used, not warped again. */
  view?: WarpedFrame;
}

export interface WarpTrackOptions {
  scene: WarpScene;
  /** The whole track's cameras; the frames of `window` are warped. */
  cameras: readonly FrameCamera[];
  window: FrameWindow;
  /** Set for a later window of a long track (window 2 onwards). */
  start?: WindowStart;
  /** Fill each frame's holes as well (the preview render); the frames then carry their depth. */
  fill: boolean;
  /**
   * 'reference': the NVS-Solver reference's warp and masks, by the reference pipeline the scene
   * calls for (referencePipelineFor); a model render's setting, never a preview's (which fills).
   * Default 'studio'.
   */
  fidelity?: Fidelity;
  /**
   * How one frame is warped by the studio's routes (render.warp, engine/warp/method.ts): every one
   * passes it to its per-frame warps. A mesh preview of the photo alone also draws the photo's
   * hidden layer (preview/layer.ts) behind it, built for the whole track's cameras, so a window's
   * frames are the frames of the track in one piece. Reference
   * fidelity ignores it: its routes are the reference's splatting.
   */
  method: WarpMethod;
  onFrame?(): void;
  signal?: AbortSignal;
}

export interface WarpedTrack {
  /** One warped view per frame of the window. */
  frames: WarpedFrame[];
  /** Frames (of the window) at a source view's camera: they take their warped view whole. */
  anchors: number[];
  /** What this window was warped from besides the photo: the next window's `start.previous`. */
  source: WarpSource | null;
}

type FrameOptions = Pick<WarpTrackOptions, 'fill' | 'method' | 'onFrame' | 'signal'>;

/**
 * The ways a window's frames are warped, each with what it warps from besides the photo: the
 * studio's five, and the reference fidelity's three (one photo, two photos, a video).
 */
export type WarpRoute =
  | { kind: 'photo-in-thread' }
  | { kind: 'photo-pool' }
  | { kind: 'views'; views: readonly WarpSource[] }
  | { kind: 'video'; video: VideoSourceLoader }
  | { kind: 'later-window'; start: WindowStart }
  | { kind: 'reference-photo' }
  | { kind: 'reference-two-view'; view: WarpSource }
  | { kind: 'reference-video'; video: VideoSourceLoader };

/** The reference's pipelines: svd_interpolate_single_img, _two_img and _dyn_img. */
export type ReferencePipeline = 'single' | 'two-view' | 'video';

/**
 * The reference pipeline a scene calls for: a video's, the two-image one for one further view, the
 * single-image one for the photo alone. The reference has no pipeline for more photos, and its
 * two-image one needs a frame between the photos.
 */
export function referencePipelineFor(scene: WarpScene, frames: number): ReferencePipeline {
  if (scene.kind === 'video') return 'video';
  if (scene.kind === 'photo') return 'single';
  if (scene.views.length > 1)
    throw new CamtrackError(
      'bad-input',
      `Reference fidelity renders from one photo or from two (the reference's two-view mode); this project has ${scene.views.length + 1}. Turn views off or use Studio fidelity.`,
    );
  if (frames < 3)
    throw new CamtrackError('bad-input', `Reference fidelity with two photos needs at least 3 frames (got ${frames}).`);
  return 'two-view';
}

/**
 * The one place a route is chosen. Reference fidelity warps by the reference pipeline of the scene,
 * in one window. A video project warps every frame from its own video frame,
 * in every window (the scene goes on moving; a later window only takes its conditioning image from
 * the window before). A later window of a photo project warps from the frame the previous window
 * made and the photo. Sparse views fuse all sources in one z-buffer. A lone photo warps on this
 * thread when the window is small, else in the worker pool.
 */
export function chooseWarpRoute(
  o: Pick<WarpTrackOptions, 'scene' | 'window' | 'start'> & Partial<Pick<WarpTrackOptions, 'fill' | 'fidelity'>>,
): WarpRoute {
  const { scene } = o;
  if (o.fidelity === 'reference') {
    // The plan never asks for these (a preview has no fidelity; a reference render has one window).
    if (o.fill || o.start) throw new Error('A reference warp is of a model render in one window, never filled.');
    if (scene.kind === 'video') return { kind: 'reference-video', video: scene.video };
    // Refuses what the reference has no pipeline for (more than two photos, two photos and no frame between).
    referencePipelineFor(scene, o.window.end - o.window.start);
    return scene.kind === 'views' ? { kind: 'reference-two-view', view: scene.views[0] } : { kind: 'reference-photo' };
  }
  if (scene.kind === 'video') return { kind: 'video', video: scene.video };
  if (o.start) return { kind: 'later-window', start: o.start };
  if (scene.kind === 'views') return { kind: 'views', views: scene.views };
  const { width, height } = scene.photo.image;
  const pixels = (o.window.end - o.window.start) * width * height;
  return { kind: pixels < WARP_IN_THREAD_BELOW ? 'photo-in-thread' : 'photo-pool' };
}

/**
 * Stage 4, warp: every camera of one window warped into a view of the scene, with its holes
 * (where nothing landed) at pixel and latent resolution; for a preview, the holes filled. Every
 * render and every preview warps through here.
 */
export async function warpTrack(o: WarpTrackOptions): Promise<WarpedTrack> {
  const cameras = o.cameras.slice(o.window.start, o.window.end);
  const { photo } = o.scene;
  const each = { fill: o.fill, method: o.method, onFrame: o.onFrame, signal: o.signal };
  const plain = { anchors: [], source: null };
  const route = chooseWarpRoute(o);
  switch (route.kind) {
    case 'photo-in-thread':
      return { ...plain, frames: warpEach([photo], cameras, { ...each, behind: hiddenLayer(photo, o.cameras, each) }) };
    case 'photo-pool':
      return {
        ...plain,
        frames: await warpInPool(photo, cameras, { ...each, behind: hiddenLayer(photo, o.cameras, each) }),
      };
    case 'views':
      return { ...warpTrackFromViews(photo, route.views, cameras, each), source: null };
    case 'video': {
      const from = { sourcePose: photo.c2w, firstFrame: o.window.start };
      return { ...plain, frames: await warpTrackFromVideo(route.video, cameras, { ...each, ...from }) };
    }
    case 'later-window':
      return warpLaterWindow(photo, cameras, route.start, each);
    case 'reference-photo':
      return { ...plain, frames: eachFrame(cameras, each, (c) => referenceWarpFrame(photo, c, 'single')) };
    case 'reference-two-view': {
      const two = (c: FrameCamera, f: number) => referenceTwoViewFrame(photo, route.view, c, f, cameras.length);
      return { ...plain, frames: eachFrame(cameras, each, two) };
    }
    case 'reference-video': {
      const from = { sourcePose: photo.c2w, firstFrame: o.window.start };
      const warp = (s: WarpSource, c: FrameCamera) => referenceWarpFrame(s, c, 'video');
      return { ...plain, frames: await warpTrackFromVideo(route.video, cameras, { ...each, ...from, warp }) };
    }
  }
}

/**
 * A later window: its first frame as the previous window made it, placed at its camera with the
 * depth the previous window's sources have there (holes filled background first), and the photo,
 * warped with one z-buffer: surfaces lean on the nearer camera, so the photo comes back as the
 * camera does (a 360° orbit closes on it).
 */
function warpLaterWindow(
  photo: WarpSource,
  cameras: readonly FrameCamera[],
  start: WindowStart,
  o: FrameOptions,
): WarpedTrack {
  const first = cameras[0];
  const before = start.previous ? [photo, start.previous] : [photo];
  const atFirst = start.view?.depth
    ? start.view
    : warpEach(before, [first], { fill: false, method: o.method, withDepth: true })[0];
  const source: WarpSource = {
    image: start.image,
    depth: filledDepth(atFirst),
    intrinsics: first.intrinsics,
    c2w: first.c2w,
  };
  return { frames: warpEach([photo, source], cameras, o), anchors: [], source };
}

/** The photo's hidden layer for a mesh preview of a track of `cameras`; none for anything else. */
function hiddenLayer(photo: WarpSource, cameras: readonly FrameCamera[], o: FrameOptions): Behind | undefined {
  return o.fill && o.method === 'mesh' ? hiddenLayerFor(photo, cameras) : undefined;
}

type Behind = PrepareWarpOptions['behind'];

/** Frames warped on this thread from one source (with its hidden layer, if any), or from several with one z-buffer. */
function warpEach(
  sources: readonly WarpSource[],
  cameras: readonly FrameCamera[],
  o: FrameOptions & { withDepth?: boolean; behind?: Behind },
): WarpedFrame[] {
  const options = o.fill ? previewWarpOptions(o.method) : { withDepth: !!o.withDepth };
  const one = sources.length === 1 ? prepareWarp(sources[0], o.method, { behind: o.behind }) : null;
  const fused = one ? null : prepareSources(sources, o.method);
  return eachFrame(cameras, o, (c) => (one ? warpPrepared(one, c, options) : warpFused(fused!, c, options)));
}

/** Each camera warped on this thread by `warp` (given the camera's index in the window), with cancel, report and fill. */
function eachFrame(
  cameras: readonly FrameCamera[],
  o: FrameOptions,
  warp: (camera: FrameCamera, index: number) => WarpedFrame,
): WarpedFrame[] {
  return cameras.map((c, i) => {
    if (o.signal?.aborted) throw new CamtrackError('cancelled', 'The render was cancelled (warp).');
    const w = warp(c, i);
    o.onFrame?.();
    return o.fill ? fillWarpedFrame(w) : w;
  });
}

/** Frames warped from the photo in a pool of workers (each fills its frames too, for a preview). */
async function warpInPool(
  photo: WarpSource,
  cameras: FrameCamera[],
  o: FrameOptions & { behind?: Behind },
): Promise<WarpedFrame[]> {
  const pool = createWarpPool(Math.min(cameras.length, availableParallelism()));
  // A cancel stops the warp at once: the workers are terminated and the frames in flight dropped.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CamtrackError('cancelled', 'The render was cancelled (warp).'));
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const options = {
      ...(o.fill ? previewWarpOptions(o.method) : {}),
      fill: o.fill,
      method: o.method,
      behind: o.behind,
    };
    return (await Promise.race([pool.warpFrames(photo, cameras, options, () => o.onFrame?.()), aborted])).frames;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}
