import type { Fidelity, ProjectDoc } from '../project/schema';

/**
 * What makes two renders of a project differ, in a few short fields a person can compare: the
 * lambda table and the track as a kind plus a short content hash (two painted tables that differ
 * get different hashes), and the settings that change the picture. Pure (no node:crypto), so the
 * studio computes differences with the same code the host used to fill them in.
 */
export interface RenderFingerprint {
  seed: number;
  steps: number;
  frames: number;
  /** 'draft', 'preview' or the model folder's name. */
  model: string;
  size: string;
  fps: number;
  guidance: string;
  /** 'studio' or 'reference' (the NVS-Solver reference step for step). */
  fidelity: Fidelity;
  /** e.g. "default #1a2b3c4d" or "painted #…", with the floor when set. */
  lambda: string;
  /** e.g. "3 keys #…". */
  track: string;
  /** The depth map and its mapping (kind, short hash of file and mapping), or "none". */
  depth: string;
  /** The photo's content hash (short), or "none". */
  photo: string;
}

/** FNV-1a over a string, as 8 hex digits: enough to tell edits apart at a glance, not a security hash. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function renderFingerprint(doc: ProjectDoc): RenderFingerprint {
  const r = doc.render;
  const lambdaKind = doc.lambda.preset.kind === 'custom' ? 'painted' : doc.lambda.preset.kind;
  const floor = doc.lambda.lambdaMin > 0 ? `, floor ${doc.lambda.lambdaMin}` : '';
  const keys = doc.track.keyframes.length;
  const model = r.model.split(/[\\/]/).filter(Boolean).pop() ?? r.model;
  return {
    seed: r.seed,
    steps: r.steps,
    frames: doc.track.numFrames,
    model,
    size: `${r.width}x${r.height}`,
    fps: doc.track.fps,
    guidance: `${r.guidanceMin}-${r.guidanceMax}`,
    fidelity: r.fidelity,
    lambda: `${lambdaKind} #${shortHash(JSON.stringify([doc.lambda.steps, doc.lambda.frames, doc.lambda.values, doc.lambda.lambdaMin]))}${floor}`,
    track: `${keys} key${keys === 1 ? '' : 's'} #${shortHash(JSON.stringify(doc.track))}`,
    depth: doc.depth ? `${doc.depth.mapping.kind} #${shortHash(JSON.stringify(doc.depth))}` : 'none',
    photo: doc.image ? doc.image.asset.sha256.slice(0, 8) : 'none',
  };
}

const LABELS: Record<keyof RenderFingerprint, string> = {
  seed: 'seed',
  steps: 'steps',
  frames: 'frames',
  model: 'model',
  size: 'size',
  fps: 'fps',
  guidance: 'guidance',
  fidelity: 'fidelity',
  lambda: 'λ table',
  track: 'track',
  depth: 'depth',
  photo: 'photo',
};

/** "λ table: default #… → painted #…" for each field that differs, in a fixed order; [] when none does. */
export function renderDifferences(a: RenderFingerprint, b: RenderFingerprint): string[] {
  return differingFields(a, b).map((k) => describe(k, a, b));
}

function differingFields(a: RenderFingerprint, b: RenderFingerprint): (keyof RenderFingerprint)[] {
  return (Object.keys(LABELS) as (keyof RenderFingerprint)[]).filter((k) => a[k] !== b[k]);
}

function describe(k: keyof RenderFingerprint, a: RenderFingerprint, b: RenderFingerprint): string {
  return `${LABELS[k]}: ${a[k]} → ${b[k]}`;
}

/**
 * What a preview render does not read: it runs no model, so the seed, the denoising steps, the
 * classifier-free guidance, the fidelity and the λ table leave its frames exactly as they are.
 */
export const PREVIEW_IGNORES: ReadonlySet<keyof RenderFingerprint> = new Set([
  'seed',
  'steps',
  'guidance',
  'fidelity',
  'lambda',
]);

/**
 * The differences between two renders split by whether they can show in the picture: between two
 * previews, a difference in what a preview ignores had no effect (two previews whose λ tables
 * differ are the same video). A model render reads every field.
 */
export function compareRenders(
  a: RenderFingerprint,
  b: RenderFingerprint,
  kinds: { aPreview: boolean; bPreview: boolean },
): { changes: string[]; noEffect: string[] } {
  const bothPreviews = kinds.aPreview && kinds.bPreview;
  const changes: string[] = [];
  const noEffect: string[] = [];
  for (const k of differingFields(a, b))
    (bothPreviews && PREVIEW_IGNORES.has(k) ? noEffect : changes).push(describe(k, a, b));
  return { changes, noEffect };
}
