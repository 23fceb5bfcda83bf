import { useMemo, useRef, useState } from 'react';
import { engine } from '../../api/client';
import { confirmLeave, run } from '../../actions';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { Modal } from '../ui/Modal';
import { findViewSet, MAX_IMPORT_BYTES, namesToSend } from './viewsChoice';
import './views.css';

/**
 * File › New Project from Views… (and the welcome view's button): a sparse-view project from a
 * folder the person chooses: a nerfstudio transforms.json with its photos and depth files, or an
 * MVSNet / DTU folder whose views are picked here. Only the needed files of that folder are sent
 * (as bytes, so Electron and browser mode work alike); the engine confines every name to it.
 */
export function ViewsDialog({ onClose }: { onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [frames, setFrames] = useState(25);
  const names = useMemo(() => files.map((f) => f.webkitRelativePath || f.name), [files]);
  const set = useMemo(() => (files.length ? findViewSet(names) : null), [files, names]);
  const sending = useMemo(
    () => (set ? new Set(namesToSend(names, set, chosen)) : new Set<string>()),
    [names, set, chosen],
  );
  const bytes = files.reduce((a, f, i) => a + (sending.has(names[i]) ? f.size : 0), 0);
  const tooBig = bytes > MAX_IMPORT_BYTES;
  const ready = !!set && !tooBig && frames >= 2 && (set.format === 'transforms' || chosen.length > 0);

  const choose = (list: FileList | null) => {
    const all = Array.from(list ?? []);
    setFiles(all);
    const found = findViewSet(all.map((f) => f.webkitRelativePath || f.name));
    // Two views by default: the reference's two-view setting.
    setChosen(found?.format === 'mvsnet' ? found.views.slice(0, 2) : []);
  };
  const toggle = (id: number) =>
    setChosen((c) => (c.includes(id) ? c.filter((v) => v !== id) : [...c, id].sort((a, b) => a - b)));

  const create = async () => {
    if (!set || !ready || !(await confirmLeave())) return;
    onClose();
    await run('Making the project from views', async () => {
      const picked = files.filter((_, i) => sending.has(names[i]));
      const payload = await Promise.all(
        picked.map(async (f) => ({
          path: f.webkitRelativePath || f.name,
          bytes: new Uint8Array(await f.arrayBuffer()),
        })),
      );
      const opened = await engine.call('project.fromViews', {
        files: payload,
        format: set.format,
        numFrames: frames,
        ...(set.format === 'mvsnet' && { views: chosen }),
      });
      useProject.getState().load(opened);
      useUi.getState().set({ frame: 0, selectedKeyId: null });
      useUi
        .getState()
        .toast(
          'success',
          `Made a project from ${opened.doc.sources.length + 1} views: the first is the photo, the others are source views (Inspector › Source views).`,
        );
    });
  };

  return (
    <Modal title="New project from views" onClose={onClose} testId="views-dialog">
      <p className="muted">
        Photos with known cameras and depth: a folder with a nerfstudio <code>transforms.json</code> (its photos and
        depth files inside it), or an MVSNet / DTU folder (<code>cams/NNNNNNNN_cam.txt</code>, <code>images/</code>,{' '}
        <code>depths/</code> as .pfm or .npy).
      </p>
      <input
        ref={input}
        type="file"
        hidden
        multiple
        data-testid="views-folder"
        // A folder picker: every file under the chosen folder, named relative to it.
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={(e) => choose(e.currentTarget.files)}
      />
      <button onClick={() => input.current?.click()} data-testid="views-choose">
        Choose folder…
      </button>
      {files.length > 0 && !set && (
        <p className="error">
          This folder holds neither a transforms.json nor an MVSNet layout (cams/NNNNNNNN_cam.txt, images/, depths/).
        </p>
      )}
      {set?.format === 'transforms' && (
        <p data-testid="views-found">
          nerfstudio <code>{set.transforms}</code> and {sending.size - 1} photo and depth files. The first frame of the
          file becomes the photo.
        </p>
      )}
      {set?.format === 'mvsnet' && (
        <fieldset className="views-list" data-testid="views-found">
          <legend>
            MVSNet folder {set.root || '(chosen)'}: {set.views.length} views. The lowest chosen is the photo (frame 0),
            the others source views.
          </legend>
          {set.views.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                checked={chosen.includes(id)}
                onChange={() => toggle(id)}
                aria-label={`View ${id}`}
              />{' '}
              {id}
            </label>
          ))}
        </fieldset>
      )}
      {set && (
        <label className="field">
          <span>Frames</span>
          <input
            type="number"
            min={2}
            max={10000}
            value={frames}
            aria-label="Frames"
            onChange={(e) => setFrames(Math.round(Number(e.target.value)))}
          />
        </label>
      )}
      {tooBig && (
        <p className="error">
          These files are {(bytes / 1048576).toFixed(0)} MB; one import takes at most {MAX_IMPORT_BYTES / 1048576} MB.
          Choose fewer views.
        </p>
      )}
      <div className="modal__actions">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" disabled={!ready} onClick={() => void create()} data-testid="views-create">
          Create project
        </button>
      </div>
    </Modal>
  );
}
