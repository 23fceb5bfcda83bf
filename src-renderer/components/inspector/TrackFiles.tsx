import { engine, isElectron } from '../../api/client';
import { downloadBlob } from '../ui/download';
import { pickFile, run } from '../../actions';
import { useProject, projectDirOrThrow } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';

/**
 * Track import and export: nerfstudio's camera_path.json and the studio's own track JSON. The
 * engine converts; here the text goes to and from files (a picker, and a download link).
 */
export async function importTrackFile(file: File): Promise<void> {
  await run(`Importing ${file.name}`, async () => {
    const doc = useProject.getState().doc;
    if (!doc) return;
    projectDirOrThrow();
    const text = await file.text();
    const r = await engine.call('track.import', { name: file.name, text, doc });
    // One undo step: the track, and the photo's camera when the path's first camera brought one.
    useProject.getState().update((d) => ({ ...d, track: r.track, ...(r.image && d.image && { image: r.image }) }));
    useUi.getState().set({ selectedKeyId: null, frame: 0 });
    useUi.getState().toast('success', [`Imported the track from ${file.name}`, ...r.notes].join('. '));
  });
}

export async function exportTrack(format: 'nerfstudio' | 'camtrack'): Promise<void> {
  await run('Exporting the track', async () => {
    const doc = useProject.getState().doc;
    if (!doc) return;
    const r = await engine.call('track.export', { doc, format });
    downloadBlob(r.fileName, new Blob([r.text], { type: r.mime }));
    useUi.getState().toast('success', `Exported ${r.fileName}${isElectron ? ' to your downloads' : ''}.`);
  });
}

export function TrackFiles() {
  return (
    <div className="insp-actions insp-actions--wrap" data-testid="track-files">
      <button
        data-testid="import-track"
        onClick={async () => {
          const f = await pickFile('.json,application/json');
          if (f) await importTrackFile(f);
        }}
      >
        Import track…
      </button>
      <button data-testid="export-nerfstudio" onClick={() => void exportTrack('nerfstudio')}>
        Export camera_path.json
      </button>
      <button data-testid="export-track" onClick={() => void exportTrack('camtrack')}>
        Export track JSON
      </button>
    </div>
  );
}
