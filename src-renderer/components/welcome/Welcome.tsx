import { useEffect, useState } from 'react';
import { engine, isElectron } from '../../api/client';
import { openProject, openSample, pickFile, importImageFile, showDialog } from '../../actions';
import { useProject } from '../../state/projectStore';
import { useModels } from '../../state/modelsStatus';
import { isPreviewModel } from '../../../src-main/engine/preview/kind';
import './welcome.css';

/**
 * The first thing an artist sees while nothing is loaded (an empty, never-saved project): open the
 * sample, import a photo, a recent project, and what is installed (render model, depth model) with
 * the command that installs what is missing. It lives in the 3D view's place, so the other panels
 * stay usable; importing anything (or "Start empty") puts the 3D view back.
 */
export function Welcome({ onDismiss }: { onDismiss: () => void }) {
  const [recent, setRecent] = useState<{ path: string; name: string }[] | null>(null);
  const { status, error, refresh } = useModels();
  const renderModel = useProject((s) => s.doc?.render.model ?? 'draft');
  useEffect(() => {
    engine.call('project.recent', {}).then(
      (r) => setRecent(r.projects),
      () => setRecent([]),
    );
  }, []);

  const importPhoto = async () => {
    const f = await pickFile('image/png,image/jpeg,image/webp');
    if (f) await importImageFile(f);
  };
  const depthInstalled = status?.depth.filter((d) => d.installed) ?? [];

  return (
    <div className="welcome" data-testid="welcome">
      <div className="welcome__inner">
        <h1>Camtrack Studio</h1>
        <p className="muted welcome__lead">
          One photo, its depth, a camera path: a video where the camera really moves.
        </p>
        <div className="welcome__actions">
          <button className="primary" onClick={() => void openSample()} data-testid="welcome-sample">
            Open the sample project
          </button>
          <button
            onClick={() => void importPhoto()}
            data-testid="welcome-import"
            title="Any photo, no depth needed: it starts as a flat card, and the Depth panel gives it a room, a depth file or an estimate"
          >
            Import a photo…
          </button>
          <button
            onClick={() => showDialog('newFromViews')}
            data-testid="welcome-views"
            title="Several photos with known cameras and depth: a nerfstudio transforms.json or an MVSNet / DTU folder"
          >
            New project from views…
          </button>
          <button
            onClick={() => showDialog('importVideo')}
            data-testid="welcome-import-video"
            title="A moving scene: a video and one depth file per frame"
          >
            New project from a video…
          </button>
          {/* Electron opens projects through its native File › Open dialog; browser mode through the workspace list. */}
          {!isElectron && (
            <button onClick={() => showDialog('open')} data-testid="welcome-open">
              Open a project…
            </button>
          )}
        </div>

        <p className="muted welcome__note" data-testid="welcome-photo-note">
          A photo alone is enough: it starts as a flat card at 4 units, so the camera moves at once. In the Depth panel,
          make it a room (drag its vanishing point over the photo), import a depth file, or estimate depth.
        </p>
        <div className="welcome__cols">
          <section>
            <h2>Recent projects</h2>
            {recent === null ? (
              <p className="muted">…</p>
            ) : recent.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ul className="welcome__recent" data-testid="welcome-recent">
                {recent.slice(0, 6).map((r) => (
                  <li key={r.path}>
                    {/* Links, not buttons: the Open dialog lists the same names as buttons. */}
                    <a
                      href="#"
                      title={r.path}
                      onClick={(e) => {
                        e.preventDefault();
                        void openProject(r.path);
                      }}
                    >
                      {r.name}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section data-testid="welcome-models">
            <h2>Models</h2>
            {error && <p className="error">{error}</p>}
            {status && (
              <>
                <div className="welcome__model">
                  <span className={`welcome__dot${status.svd.length ? ' is-ok' : ''}`} />
                  <div>
                    <strong>Video model</strong>:{' '}
                    {status.svd.length ? (
                      <span data-testid="welcome-svd">{status.svd.map((m) => m.name).join(', ')}</span>
                    ) : (
                      <span data-testid="welcome-svd">
                        none installed. Renders are previews (the photo warped along the track, holes filled), which
                        show the move in seconds.
                      </span>
                    )}
                    {!status.svd.length && (
                      <p className="muted">
                        For Stable Video Diffusion renders, put an SVD model folder in {status.dir} (docs/models.md;{' '}
                        <code>npx camtrack models download URL --dir DIR</code>).
                      </p>
                    )}
                    {isPreviewModel(renderModel) && status.svd.length > 0 && (
                      <p className="muted">This project renders previews; choose the model in Render › Settings.</p>
                    )}
                  </div>
                </div>
                <div className="welcome__model">
                  <span className={`welcome__dot${depthInstalled.length ? ' is-ok' : ''}`} />
                  <div>
                    <strong>Depth model</strong>:{' '}
                    {depthInstalled.length ? (
                      <span data-testid="welcome-depth">
                        Depth Anything V2 {depthInstalled.map((d) => d.size).join(', ')}: Estimate depth in the Depth
                        panel.
                      </span>
                    ) : (
                      <span data-testid="welcome-depth">
                        none installed. To estimate depth from a photo:{' '}
                        <code>npx camtrack depth download --size small</code> (about 100 MB), or{' '}
                        <code>npx camtrack depth install model.onnx</code>. Depth files (.npy, 16-bit PNG, .pfm) and
                        depth shapes (plane, room) work without one.
                      </span>
                    )}
                  </div>
                </div>
                <button className="link" onClick={() => void refresh()}>
                  Check again
                </button>
              </>
            )}
          </section>
        </div>
        <button className="link welcome__skip" onClick={onDismiss} data-testid="welcome-dismiss">
          Start with an empty project
        </button>
      </div>
    </div>
  );
}

/** Whether the welcome view belongs in the 3D view's place: an empty, never-saved project. */
export function useWelcomeWanted(): boolean {
  return useProject((s) => !!s.doc && !s.doc.image && !s.doc.depth && !s.path && !s.recovery);
}
