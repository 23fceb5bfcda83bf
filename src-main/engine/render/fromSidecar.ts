import { existsSync } from 'node:fs';
import path from 'node:path';
import { readManifest } from '../models/modelFolder';
import { isPreviewModel } from '../preview/kind';
import { ASSETS_DIR } from '../project/layout';
import { depthAsset, PROJECT_SCHEMA_VERSION, type ProjectDoc } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { modelDirFor, renderProject, type RenderOptions, type RenderResult } from './render';
import { readSidecar, readSidecarLambda, type RenderSidecar } from './sidecar';

/**
 * Renders again what a sidecar describes: the same photo and depth (found by name and checked by
 * sha256), track, schedule, lambda table, seed, settings and model. With the same model files on
 * the same kind of provider the frames come out identical.
 *
 * The assets are looked for in `assetsDir` when given, else in the recorded project folder, else
 * in the project folder the sidecar sits in (renders/ inside NAME.camtrack/).
 */
export interface RenderFromSidecarOptions extends Omit<
  RenderOptions,
  'projectDir' | 'doc' | 'overrides' | 'sigmas' | 'assetsDir'
> {
  assetsDir?: string;
  /** Another model folder than the recorded one ('draft' or a path); its files must hash the same. */
  model?: string;
  /** Run on another execution provider than the recorded one (the frames may then differ slightly). */
  executionProvider?: RenderSidecar['settings']['executionProvider'];
}

/** The project document a sidecar describes. */
export function docFromSidecar(sidecar: RenderSidecar, lambdaValues: ArrayLike<number>): ProjectDoc {
  return {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: `re-render of ${sidecar.output.file}`,
    createdAt: sidecar.createdAt,
    modifiedAt: sidecar.createdAt,
    image: sidecar.source,
    depth: sidecar.depth,
    sources: sidecar.sources ?? [],
    ...(sidecar.video && { video: sidecar.video }),
    track: sidecar.camera.track,
    lambda: {
      steps: sidecar.lambda.steps,
      frames: sidecar.lambda.frames,
      values: Array.from(lambdaValues),
      lambdaMin: sidecar.lambda.lambdaMin,
      preset: sidecar.lambda.preset,
    },
    // The conditioning and decode chunk the render used, so a model folder whose defaults
    // changed, or less free memory, cannot change the frames.
    render: {
      ...sidecar.settings,
      ...(sidecar.conditioning && {
        conditioningFps: sidecar.conditioning.fps,
        motionBucketId: sidecar.conditioning.motionBucketId,
        noiseAugStrength: sidecar.conditioning.noiseAugStrength,
      }),
      ...(sidecar.memory && {
        decodeChunk: sidecar.memory.decodeChunk,
        cfgMode: sidecar.memory.cfgTwoPass ? ('two-pass' as const) : ('batch' as const),
      }),
    },
  };
}

function findAssetsDir(sidecarPath: string, sidecar: RenderSidecar, given?: string): string {
  const candidates = [
    given,
    sidecar.projectDir && path.join(sidecar.projectDir, ASSETS_DIR),
    path.join(path.dirname(path.dirname(path.resolve(sidecarPath))), ASSETS_DIR),
    path.join(path.dirname(path.resolve(sidecarPath)), ASSETS_DIR),
  ].filter((c): c is string => !!c);
  // A depth shape is recorded in the sidecar itself: only the photo is looked for.
  const depth = depthAsset(sidecar.depth);
  const found = candidates.find(
    (dir) =>
      existsSync(path.join(dir, sidecar.source.asset.file)) && (!depth || existsSync(path.join(dir, depth.file))),
  );
  if (!found)
    throw new CamtrackError(
      'not-found',
      `The photo (${sidecar.source.asset.file})${depth ? ` and depth (${depth.file})` : ''} of ${sidecarPath} ${depth ? 'were' : 'was'} not found in ${candidates.join(', ')}. Give the folder that holds them.`,
    );
  return found;
}

/** Refuses a model whose files are not the recorded ones: the frames could not be the same. */
async function checkModel(sidecar: RenderSidecar, modelRef: string): Promise<void> {
  // A preview runs no model: nothing to compare.
  if (isPreviewModel(modelRef)) return;
  const manifest = await readManifest(modelDirFor(modelRef));
  const now = new Map<string, string | undefined>();
  for (const c of ['image_encoder', 'vae_encoder', 'unet', 'vae_decoder'] as const) {
    const comp = manifest.components[c];
    for (const e of [comp, ...comp.externalData]) now.set(e.file, e.sha256);
  }
  for (const f of sidecar.model.files) {
    const sha = now.get(f.file);
    if (sha !== undefined && sha !== f.sha256)
      throw new CamtrackError(
        'model',
        `The model "${modelRef}" is not the one that made ${sidecar.output.file}: its ${f.file} has sha256 ${sha}, the render used ${f.sha256}.`,
      );
    if (!now.has(f.file))
      throw new CamtrackError(
        'model',
        `The model "${modelRef}" has no ${f.file}, which the render of ${sidecar.output.file} used.`,
      );
  }
}

export async function renderFromSidecar(sidecarPath: string, opts: RenderFromSidecarOptions): Promise<RenderResult> {
  const sidecar = await readSidecar(sidecarPath);
  const lambda = await readSidecarLambda(sidecarPath, sidecar);
  const assetsDir = findAssetsDir(sidecarPath, sidecar, opts.assetsDir);
  const model = opts.model ?? sidecar.model.location;
  await checkModel(sidecar, model);
  const doc = docFromSidecar(sidecar, lambda.data);
  const { model: _m, executionProvider, assetsDir: _a, ...rest } = opts;
  return renderProject({
    ...rest,
    projectDir: path.dirname(assetsDir),
    assetsDir,
    doc,
    overrides: { model, ...(executionProvider && { executionProvider }) },
    sigmas: Float32Array.from(sidecar.schedule.sigmas),
    ...(sidecar.windows && { windowSeeds: sidecarWindowSeeds(sidecar) }),
  });
}

/** The seeds a windowed render used: recorded, or (older sidecars) the render seed for every window. */
export function sidecarWindowSeeds(sidecar: RenderSidecar): number[] | undefined {
  if (!sidecar.windows) return undefined;
  return sidecar.windows.seeds ?? sidecar.windows.list.map(() => sidecar.settings.seed);
}
