import { useEffect, useState } from 'react';
import { ExportDialog } from './ExportDialog';
import { ViewsDialog } from '../views/ViewsDialog';
import { VideoImportDialog } from '../video/VideoImportDialog';
import { engine } from '../../api/client';
import { dialogListeners, newProject, openProject, saveProject, type DialogRequest } from '../../actions';
import { useProject } from '../../state/projectStore';
import type { AppInfo } from '../../../src-main/api/contract';
import { SHORTCUTS } from './shortcuts';

/** In-page dialogs: open and save-as within the workspace (browser mode), shortcuts, about, recovery. */
export function Dialogs({ info }: { info: AppInfo | null }) {
  const [dialog, setDialog] = useState<DialogRequest>(null);
  const recovery = useProject((s) => s.recovery);
  const projectPath = useProject((s) => s.path);
  useEffect(() => {
    dialogListeners.add(setDialog);
    return () => {
      dialogListeners.delete(setDialog);
    };
  }, []);
  const close = () => setDialog(null);
  return (
    <>
      {dialog === 'open' && <OpenDialog onClose={close} />}
      {dialog === 'newFromViews' && <ViewsDialog onClose={close} />}
      {dialog === 'saveAs' && <SaveAsDialog info={info} onClose={close} />}
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
              An Untitled project “{recovery.doc.name}” was autosaved at {new Date(recovery.savedAt).toLocaleString()}{' '}
              and never saved. Recover it, or start empty (it is then deleted).
            </p>
          )}
          <div className="modal__actions">
            {projectPath ? (
              <button onClick={() => useProject.getState().dismissRecovery()}>Keep saved version</button>
            ) : (
              <button
                onClick={() => {
                  const dir = useProject.getState().dir;
                  useProject.getState().dismissRecovery();
                  if (dir) void newProject({ discardUntitled: dir });
                }}
              >
                Start empty
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

/** A modal dialog: Escape or a click outside closes it; `className` widens it (render results). */
export function Modal({
  title,
  onClose,
  children,
  className,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
  className?: string;
  testId?: string;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={`modal${className ? ` ${className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        data-own-keys
      >
        <header className="modal__title">
          <h2>{title}</h2>
          <button aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="modal__body">{children}</div>
      </div>
    </div>
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

function SaveAsDialog({ info, onClose }: { info: AppInfo | null; onClose: () => void }) {
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
          onClose();
          const clean = name.trim().replace(/\.camtrack$/i, '');
          useProject.getState().update((d) => ({ ...d, name: clean }));
          void saveProject(`${root}/${clean}.camtrack`);
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
