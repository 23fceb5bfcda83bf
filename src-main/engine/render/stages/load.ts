import type { ProjectDoc } from '../../project/schema';
import { loadSourceViews } from '../../sources/inputs';
import { CamtrackError } from '../../util/errors';
import { videoSourceLoader } from '../../video-input';
import { loadRenderInputs, type RenderInputs } from '../inputs';
import type { WarpScene } from './warp';

/**
 * Stage 2, load: the photo and its depth on the render grid, the track's cameras, and what else
 * the frames are warped from: the enabled source views (sparse views), or the source video
 * (a dynamic scene). A project has one or the other, never both.
 */
export async function loadScene(
  projectDir: string,
  doc: ProjectDoc,
  assetsDir: string | null,
): Promise<{ inputs: RenderInputs; scene: WarpScene }> {
  const inputs = await loadRenderInputs(projectDir, doc, assetsDir);
  const photo = { image: inputs.image, depth: inputs.depth, intrinsics: inputs.intrinsics, c2w: inputs.cameras[0].c2w };
  const views = await loadSourceViews(projectDir, doc, assetsDir);
  const video = videoSourceLoader(projectDir, doc, assetsDir);
  if (video && views.length > 0)
    throw new CamtrackError(
      'bad-input',
      'A video project renders from its video; this one also has further source views. Turn the views off.',
    );
  const scene: WarpScene = video
    ? { kind: 'video', photo, video }
    : views.length > 0
      ? { kind: 'views', photo, views: views.map((v) => v.source) }
      : { kind: 'photo', photo };
  return { inputs, scene };
}
