import { engine } from '../../api/client';
import { run } from '../../actions';
import { useProject, projectDirOrThrow } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useScene } from '../viewport/sceneStore';

/**
 * A depth map whose aspect is not the photo's (DTU: 160x128 depth of a 1600x1200 photo) cannot
 * render. The photo stays in view as a flat plane, the Render button says why, and this offers
 * the two ways out: stretch the depth over the photo, or crop the photo to the depth (centre crop
 * and scale, the camera's intrinsics following). Either is one undo step.
 */
export function DepthMismatch() {
  const code = useScene((s) => s.errorCode);
  const hasBoth = useProject((s) => !!s.doc?.image && !!s.doc?.depth);
  if (code !== 'shape-mismatch' || !hasBoth) return null;

  const fitDepth = () =>
    void run('Fitting depth to the photo', async () => {
      const doc = useProject.getState().doc!;
      const r = await engine.call('depth.fitToPhoto', { project: projectDirOrThrow(), doc });
      useProject.getState().update((d) => ({ ...d, depth: r.depth }));
      useUi.getState().toast('success', `Depth stretched to the photo's ${r.report.width}x${r.report.height}.`);
    });
  const cropPhoto = () =>
    void run('Cropping the photo to the depth', async () => {
      const doc = useProject.getState().doc!;
      const r = await engine.call('image.cropToDepth', { project: projectDirOrThrow(), doc });
      useProject.getState().update((d) => ({ ...d, image: r.image }));
      useUi.getState().toast('success', `Photo ${r.notes.join('. ')}.`);
    });

  return (
    <div className="insp-hint depth-mismatch" data-testid="depth-mismatch">
      <p>The depth and the photo have different shapes, so they cannot render together yet.</p>
      <div className="insp-actions insp-actions--wrap">
        <button
          onClick={fitDepth}
          data-testid="fit-depth"
          title="Stretch the depth map over the whole photo (keeps every photo pixel; the depth is distorted by the aspect difference)"
        >
          Fit depth to photo
        </button>
        <button
          onClick={cropPhoto}
          data-testid="crop-photo"
          title="Centre-crop the photo to the depth's aspect and scale it; the camera's intrinsics follow the crop"
        >
          Crop photo to depth
        </button>
      </div>
    </div>
  );
}
