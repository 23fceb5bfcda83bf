import { depthModelHint, depthModelStatus, modelsDir } from '../../engine/depth/models';
import { listModelFolders } from '../../engine/models/modelFolder';
import { PREVIEW_MODEL } from '../../engine/preview/kind';
import type { ModelsStatus } from '../../api/contract';

/**
 * What is installed in the models folder: the depth models (by size) and the SVD model folders.
 * A new project renders with the first SVD folder found, else as a preview (warp + fill, no model):
 * the built-in draft model is a pipeline check, not something to judge a camera move by.
 */
export async function modelsStatus(dir = modelsDir()): Promise<ModelsStatus> {
  const depth = await depthModelStatus(dir);
  const svd = (await listModelFolders(dir))
    .filter((f) => f.manifest && f.manifest.family !== 'draft')
    .map((f) => ({ dir: f.dir, name: f.manifest!.name }));
  return {
    dir,
    depth: depth.map(({ size, installed, file }) => ({ size, installed, file })),
    depthHint: depth.some((d) => d.installed) ? null : depthModelHint('small'),
    svd,
    defaultRenderModel: svd[0]?.dir ?? PREVIEW_MODEL,
  };
}

/** The render model a new or sample project starts with (see modelsStatus). */
export async function defaultRenderModel(): Promise<string> {
  return (await modelsStatus()).defaultRenderModel;
}
