import type { ModelInfo } from '../../../src-main/api/contract';
import type { ProjectDoc, RenderSettings } from '../../../src-main/engine/project/schema';

/**
 * Render settings logic for the panel: size presets, the checks a value must pass before it
 * reaches the document, and the reasons a render cannot start. Pure: the panel and its tests
 * share it.
 */

export interface SizePreset {
  id: string;
  label: string;
  width: number;
  height: number;
}

export const SIZE_PRESETS: readonly SizePreset[] = [
  { id: 'svd', label: '1024 × 576 · SVD native', width: 1024, height: 576 },
  { id: 'half', label: '512 × 288', width: 512, height: 288 },
  { id: 'draft', label: '256 × 128 · draft, fast', width: 256, height: 128 },
];

/** The preset a size matches, or 'custom'. */
export function presetOf(width: number, height: number): string {
  return SIZE_PRESETS.find((p) => p.width === width && p.height === height)?.id ?? 'custom';
}

export const SIZE_MULTIPLE = 64;
export const MAX_SIDE = 4096;

/** Why a render width or height is refused, or null. SVD's latent grid needs multiples of 64; a preview any even size. */
export function sizeError(axis: 'Width' | 'Height', v: number, preview = false): string | null {
  if (!Number.isInteger(v) || v <= 0) return `${axis} must be a positive whole number of pixels.`;
  if (preview && v % 2 !== 0) return `${axis} must be even (the video's colour planes are half size).`;
  if (!preview && v % SIZE_MULTIPLE !== 0) {
    const lo = Math.max(SIZE_MULTIPLE, Math.floor(v / SIZE_MULTIPLE) * SIZE_MULTIPLE);
    const hi = Math.ceil(v / SIZE_MULTIPLE) * SIZE_MULTIPLE;
    return `${axis} must be a multiple of ${SIZE_MULTIPLE} (try ${lo === hi ? lo : `${lo} or ${hi}`}).`;
  }
  if (v > MAX_SIDE) return `${axis} must be at most ${MAX_SIDE} pixels.`;
  return null;
}

/** An integer range check with a message naming the field. */
export function intError(label: string, v: number, min: number, max: number): string | null {
  if (!Number.isInteger(v)) return `${label} must be a whole number.`;
  if (v < min || v > max) return `${label} must be between ${min} and ${max}.`;
  return null;
}

export const MAX_SEED = 2 ** 32 - 1;

/** A fresh seed from the browser's CRNG (the dice button). */
export function randomSeed(
  random: () => number = () => crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32,
): number {
  return Math.floor(random() * (MAX_SEED + 1)) % (MAX_SEED + 1);
}

/** Seeds for "queue variants": the current seed, then the next ones (wrapping at 2^32), so they are reproducible. */
export function variantSeeds(seed: number, count: number): number[] {
  const n = Math.max(1, Math.min(64, Math.trunc(count)));
  return Array.from({ length: n }, (_, i) => (seed + i) % (MAX_SEED + 1));
}

/** H.264 and VP9 take a CRF (H.264 0..51, VP9 0..63); GIF and PNG are lossless here. */
export function crfRange(format: RenderSettings['format']): { min: number; max: number } | null {
  if (format === 'mp4') return { min: 0, max: 51 };
  if (format === 'webm') return { min: 0, max: 63 };
  return null;
}

/** Whether a model renders this many frames natively, and if not, what to do instead. */
export function frameCountIssue(info: ModelInfo, frames: number): string | null {
  if (info.frameCounts === 'any' || info.frameCounts.includes(frames)) return null;
  const counts = [...info.frameCounts].sort((a, b) => a - b);
  const nearest = counts.reduce((best, c) => (Math.abs(c - frames) < Math.abs(best - frames) ? c : best), counts[0]);
  return `${info.name} renders ${counts.join(' or ')} frames natively; the track has ${frames}. Set the track's length to ${nearest} frames (timeline) or use a model trained for ${frames}.`;
}

export type ModelState =
  { status: 'loading' } | { status: 'ok'; info: ModelInfo } | { status: 'error'; message: string };

/**
 * Every reason the Render button is disabled right now (empty: it can render). `depthIssue` is
 * why the engine could not read the depth against the photo (a depth of another aspect, a missing
 * file): such inputs would fail after the render starts, so it does not start.
 */
export function renderBlockers(
  doc: ProjectDoc | null,
  model: ModelState,
  depthIssue: { code: string | null; message: string } | null = null,
): string[] {
  if (!doc) return ['No project is open.'];
  const out: string[] = [];
  if (!doc.image) out.push('Import a photo first (File > Import Image).');
  if (!doc.depth) out.push('Give the photo depth first (Inspector > Depth): a shape, a depth file or an estimate.');
  else if (doc.image && depthIssue)
    out.push(
      depthIssue.code === 'shape-mismatch'
        ? `${depthIssue.message.replace(/ Use the depth map made for this photo\.$/, '')} Fit the depth to the photo or crop the photo to the depth (Inspector > Depth).`
        : `The depth cannot be used: ${depthIssue.message}`,
    );
  if (model.status === 'loading') out.push('Checking the model…');
  else if (model.status === 'error') out.push(`The model cannot be used: ${model.message}`);
  else {
    const issue = frameCountIssue(model.info, doc.track.numFrames);
    if (issue) out.push(issue);
  }
  const { render } = doc;
  const preview = model.status === 'ok' && model.info.isPreview;
  const w = sizeError('Width', render.width, preview);
  const h = sizeError('Height', render.height, preview);
  if (w) out.push(w);
  if (h) out.push(h);
  if (render.guidanceMin > render.guidanceMax)
    out.push(`Guidance min (${render.guidanceMin}) is above guidance max (${render.guidanceMax}).`);
  if (doc.lambda.steps !== render.steps || doc.lambda.frames !== doc.track.numFrames)
    out.push(
      `The lambda table is ${doc.lambda.steps} steps × ${doc.lambda.frames} frames but the render needs ${render.steps} × ${doc.track.numFrames}.`,
    );
  return out;
}

/** The document with one render setting changed (one undo step through useProject.update). */
export function withRender(doc: ProjectDoc, patch: Partial<RenderSettings>): ProjectDoc {
  return { ...doc, render: { ...doc.render, ...patch } };
}
