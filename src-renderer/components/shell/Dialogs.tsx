import { useEffect, useState } from 'react';
import { ExportDialog } from './ExportDialog';
import { ViewsDialog } from '../views/ViewsDialog';
import { VideoImportDialog } from '../video/VideoImportDialog';
import { engine } from '../../api/client';
import {
  dialogListeners,
  newProject,
  openProject,
  saveProject,
  settleSaveAs,
  unsavedListeners,
  type DialogRequest,
  type UnsavedRequest,
} from '../../actions';
import { useProject } from '../../state/projectStore';
import type { AppInfo } from '../../../src-main/api/contract';
import { SHORTCUTS } from './shortcuts';
import { LambdaHelp } from '../lambda/LambdaHelp';
import { Modal } from '../ui/Modal';

/** In-page dialogs: open and save-as within the workspace (browser mode), shortcuts, about, recovery. */
export function Dialogs({ info }: { info: AppInfo | null }) {
  const [dialog, setDialog] = useState<DialogRequest>(null);
  const [unsaved, setUnsaved] = useState<UnsavedRequest | null>(null);
  const recovery = useProject((s) => s.recovery);
  const projectPath = useProject((s) => s.path);
  useEffect(() => {
    dialogListeners.add(setDialog);
    unsavedListeners.add(setUnsaved);
    return () => {
      dialogListeners.delete(setDialog);
      unsavedListeners.delete(setUnsaved);
    };
  }, []);
  const close = () => setDialog(null);
  return (
    <>
      {dialog === 'open' && <OpenDialog onClose={close} />}
      {dialog === 'newFromViews' && <ViewsDialog onClose={close} />}
      {dialog === 'saveAs' && <SaveAsDialog info={info} onClose={close} />}
      {unsaved && <UnsavedDialog request={unsaved} />}
      {dialog === 'export' && <ExportDialog onClose={close} />}
      {dialog === 'importVideo' && <VideoImportDialog onClose={close} />}
      {dialog === 'shortcuts' && (
        <Modal title="Keyboard shortcuts" onClose={close}>
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <kbd>{s.keys}</kbd>
                  </td>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      )}
      {dialog === 'lambdaHelp' && (
        <Modal title="Lambda, explained" onClose={close} className="modal--help" testId="lambda-help-dialog">
          <LambdaHelp />
        </Modal>
      )}
      {dialog === 'about' && (
        <Modal title="Camtrack Studio" onClose={close}>
          <p>Camera-track video from one photo: depth, a camera path, and NVS-Solver guided Stable Video Diffusion.</p>
          <p>
            Version {info?.version} · {info?.mode} mode · {info?.platform}
          </p>
        </Modal>
      )}
      {recovery && (
        <Modal
          title="Recover unsaved changes?"
          onClose={() => useProject.getState().dismissRecovery()}
          testId="recovery-dialog"
        >
          {projectPath ? (
            <p>
              This project has changes autosaved at {new Date(recovery.savedAt).toLocaleString()} that were never saved.
            </p>
          ) : (
            <p>
              Your work on the Untitled project “{recovery.doc.name}” was autosaved at{' '}
              {new Date(recovery.savedAt).toLocaleString()} but never saved. Recover it to carry on where you left off,
              or start a new project instead.
            </p>
          )}
          <div className="modal__actions">
            {projectPath ? (
              <button
                onClick={() => {
                  // Kept the saved version: its autosave is not offered again.
                  const dir = useProject.getState().dir;
                  useProject.getState().dismissRecovery();
                  if (dir) void engine.call('project.discardAutosave', { project: dir }).catch(() => undefined);
                }}
              >
                Keep saved version
              </button>
            ) : (
              <button
                onClick={() => {
                  const dir = useProject.getState().dir;
                  useProject.getState().dismissRecovery();
                  if (dir) void newProject({ discardUntitled: dir });
                }}
              >
                Start a new project
              </button>
            )}
            <button
              className="primary"
              onClick={() => {
                useProject.getState().update(() => recovery.doc);
                useProject.getState().dismissRecovery();
              }}
            >
              Recover
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}

function OpenDialog({ onClose }: { onClose: () => void }) {
  const [list, setList] = useState<{
    root: string;
    projects: { path: string; name: string; modifiedAt: string }[];
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    engine.call('workspace.list', {}).then(setList, (e: Error) => setError(e.message));
  }, []);
  return (
    <Modal title="Open project" onClose={onClose}>
      {error && <p className="error">{error}</p>}
      {list && <p className="muted">Projects in {list.root}</p>}
      {list && list.projects.length === 0 && <p className="muted">No projects yet.</p>}
      <ul className="filelist">
        {list?.projects.map((p) => (
          <li key={p.path}>
            <button
              onClick={() => {
                onClose();
                void openProject(p.path);
              }}
            >
              <strong>{p.name}</strong>
              <span className="muted">{new Date(p.modifiedAt).toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

/**
 * Unsaved changes before the project is replaced (New, Open, the sample, an import): Save (Save As
 * for a project never saved), Discard, or Cancel. Escape or a click outside cancels.
 */
function UnsavedDialog({ request }: { request: UnsavedRequest }) {
  return (
    <Modal title="Unsaved changes" onClose={() => request.answer('cancel')} testId="unsaved-dialog">
      <p>“{request.name}” has changes that are not saved. Save them before going on?</p>
      {request.untitled && <p className="muted">It was never saved: Save asks for a name first.</p>}
      <div className="modal__actions">
        <button onClick={() => request.answer('cancel')}>Cancel</button>
        <button onClick={() => request.answer('discard')} data-testid="unsaved-discard">
          Discard changes
        </button>
        <button className="primary" autoFocus onClick={() => request.answer('save')} data-testid="unsaved-save">
          {request.untitled ? 'Save As…' : 'Save'}
        </button>
      </div>
    </Modal>
  );
}

function SaveAsDialog({ info, onClose: close }: { info: AppInfo | null; onClose: () => void }) {
  // A Save As the unsaved-changes prompt waits on learns whether it saved.
  const onClose = () => {
    settleSaveAs(false);
    close();
  };
  const doc = useProject((s) => s.doc);
  const [name, setName] = useState(doc?.name ?? 'Untitled');
  const valid = /^[^/\\:*?"<>|]+$/.test(name) && name.trim().length > 0;
  const root = info?.workspace ?? '';
  return (
    <Modal title="Save project as" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          close();
          const clean = name.trim().replace(/\.camtrack$/i, '');
          useProject.getState().update((d) => ({ ...d, name: clean }));
          void saveProject(`${root}/${clean}.camtrack`).then(settleSaveAs);
        }}
      >
        <label className="field">
          <span>Name</span>
          <input autoFocus aria-label="Project name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted">
          Saved as {root}/{name.trim() || '…'}.camtrack
        </p>
        {!valid && <p className="error">A name cannot contain / \ : * ? " &lt; &gt; |</p>}
        <div className="modal__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
