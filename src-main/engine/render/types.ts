import type { ProjectDoc } from '../project/schema';
import type { RenderOverrides } from './overrides';
import type { RenderSidecar } from './sidecar';

/** The stages a render reports (progress) and times; a preview has no model, encode, denoise or decode. */
export type RenderStage = 'load' | 'warp' | 'model' | 'encode' | 'denoise' | 'decode' | 'export' | 'sidecar';

export interface RenderProgress {
  stage: RenderStage;
  /** Denoising step just finished (1-based) and the step count, in the 'denoise' stage. */
  step?: number;
  steps?: number;
  /** 0..1 over the whole render. */
  fraction: number;
  /** A track rendered in windows (engine/windows): the window being made (1-based) and their count. */
  window?: number;
  windows?: number;
}

/** A live preview: one small RGB24 image per frame, the cheap latent projection of the current x0 estimate. */
export interface RenderPreview {
  step: number;
  steps: number;
  width: number;
  height: number;
  frames: Uint8Array[];
}

export interface RenderOptions {
  /** The project's working folder (its assets/ hold the photo and depth). */
  projectDir: string;
  doc: ProjectDoc;
  overrides?: RenderOverrides;
  /** The video file (mp4/webm/gif) or, for png, the folder of frames. */
  out: string;
  signal?: AbortSignal;
  onProgress?(p: RenderProgress): void;
  onPreview?(p: RenderPreview): void;
  /** Minimum time between previews (the last step always gets one); default 0. */
  previewIntervalMs?: number;
  /** Longest side of a preview frame: latent pixels are averaged in blocks to fit (default: one pixel per latent pixel). */
  previewMaxSide?: number;
  /** Also write a thumbnail (the middle frame) beside the output: `<out>.thumb.jpg`. */
  thumbnail?: boolean;
  /** Where the assets are when not in projectDir/assets (re-rendering from a sidecar). */
  assetsDir?: string;
  /** The sigma schedule, when not the Karras schedule of the step count (re-rendering from a sidecar). */
  sigmas?: Float32Array;
  /** Each window's seed (re-rendering from a sidecar); default windowSeeds(seed, windows). */
  windowSeeds?: readonly number[];
}

export interface StageTiming {
  stage: RenderStage;
  ms: number;
}

export interface RenderResult {
  out: string;
  sidecarPath: string;
  thumbnail: string | null;
  sidecar: RenderSidecar;
  /** What overrides changed beyond the plain values (a lambda table remade for other steps...). */
  notes: string[];
  timings: StageTiming[];
  /** The RGB24 frames as exported (frame-major), e.g. for comparisons. */
  frames: Uint8Array[];
}
