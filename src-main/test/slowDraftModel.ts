import { buildDraftComponents, buildDraftUnet } from '../engine/models/draftGraphs';
import { draftManifestMeta, writeModelFolder } from '../engine/models/draftModel';
import type { ModelManifest } from '../engine/models/manifest';

/**
 * The draft model with a UNet that takes longer per step and gives the same output (extra
 * convolutions whose sum is multiplied by zero), for tests that must act while a render runs:
 * kill the engine, reload the page, cancel. `busyConvs` sets the cost: about 1 ms per convolution
 * per step at 320x192 with 14 frames on one core.
 */
export function writeSlowDraftModel(dir: string, busyConvs: number): Promise<ModelManifest> {
  return writeModelFolder(
    dir,
    { ...draftManifestMeta('float32'), name: 'Camtrack draft model (slow test variant)' },
    { ...buildDraftComponents('float32'), unet: buildDraftUnet('float32', { busyConvs }) },
  );
}
