import { useState } from 'react';
import { engine } from '../../api/client';
import { run } from '../../actions';
import { useUi } from '../../state/uiStore';
import type { JobView } from '../../../src-main/api/contract';
import { ResultModal } from './ResultModals';
import { ProgressBar } from './ProgressBar';
import { useQueue } from './queueStore';
import { baseName, formatBytes } from './queue';

type Format = NonNullable<JobView['format']>;
const FORMATS: { v: Format; label: string; note: string }[] = [
  { v: 'mp4', label: 'MP4', note: 'H.264: plays everywhere' },
  { v: 'webm', label: 'WebM', note: 'VP9: the web, smaller files' },
  { v: 'gif', label: 'GIF', note: 'loops in chats and slides; 256 colours' },
  { v: 'png', label: 'PNG frames', note: 'a folder of lossless frames, for compositing' },
];
/** Rates offered besides the render's own: film and video. */
const RATES = [24, 30];

/** The render's own frame rate (the track's), as its card knows it. */
export function renderFps(job: JobView): number {
  return job.fingerprint?.fps ?? 7;
}

/** Starts an export of a done render; the card and this dialog follow its progress. */
export function startExport(job: JobView, format: Format, fps: number | null): Promise<void> {
  useQueue
    .getState()
    .applyExportProgress({ project: job.project, jobId: job.id, format, fps, phase: 'encoding', fraction: 0 });
  return run('Exporting', async () => {
    try {
      const view = await engine.call('render.export', { project: job.project, jobId: job.id, format, fps });
      useQueue.getState().applyUpdate(view);
      const made = view.exports?.find((e) => e.format === format && e.fps === (fps ?? renderFps(job)));
      if (made) useUi.getState().toast('success', `Exported ${baseName(made.file)} (${formatBytes(made.bytes)}).`);
    } finally {
      useQueue.getState().endExport(job.id);
    }
  }).then(() => undefined);
}

/**
 * Export a finished render to another format or frame rate without rendering again: the frames
 * are read back from the render's lossless master (or its PNG frames), so nothing is compressed
 * twice; 24 and 30 fps are made by motion-compensated interpolation. The new file lands beside the
 * render and is listed on its card.
 */
export function ExportRenderModal({ job, onClose }: { job: JobView; onClose: () => void }) {
  const own = renderFps(job);
  const [format, setFormat] = useState<Format>(job.format === 'mp4' ? 'webm' : 'mp4');
  const [fps, setFps] = useState<number | null>(null);
  const progress = useQueue((s) => s.exporting[job.id]);
  const frames = fps === null ? job.frames : Math.max(1, Math.round((job.frames * fps) / own));
  const seconds = job.frames / own;
  return (
    <ResultModal title={`Export · ${job.label}`} onClose={onClose} testId="export-render-modal">
      <div className="rexport">
        <fieldset className="rexport__group">
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.v} className="rexport__choice">
              <input
                type="radio"
                name="export-format"
                value={f.v}
                checked={format === f.v}
                onChange={() => setFormat(f.v)}
                data-testid={`export-format-${f.v}`}
              />
              <strong>{f.label}</strong> <span className="muted">{f.note}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="rexport__group">
          <legend>Frame rate</legend>
          <label className="rexport__choice">
            <input
              type="radio"
              name="export-fps"
              checked={fps === null}
              onChange={() => setFps(null)}
              data-testid="export-fps-own"
            />
            <strong>{own} fps</strong> <span className="muted">the render's own: its {job.frames} frames as made</span>
          </label>
          {RATES.filter((r) => r !== own).map((r) => (
            <label key={r} className="rexport__choice">
              <input
                type="radio"
                name="export-fps"
                checked={fps === r}
                onChange={() => setFps(r)}
                data-testid={`export-fps-${r}`}
              />
              <strong>{r} fps</strong> <span className="muted">smoother: frames in between made by interpolation</span>
            </label>
          ))}
        </fieldset>
        <p className="rexport__note muted" data-testid="export-summary">
          {frames} frames, {seconds.toFixed(1)} s.{' '}
          {fps !== null &&
            `The ${frames - job.frames} new frames follow the motion between the rendered ones (ffmpeg's minterpolate): smooth on camera moves, thin edges may smear a little. `}
          {job.master
            ? "Read from the render's lossless master: nothing is compressed twice."
            : `This render kept no lossless master: its ${(job.format ?? 'video').toUpperCase()} is read, so the export is compressed once more.`}
        </p>
        {progress && (
          <div className="rexport__progress" data-testid="export-progress">
            <ProgressBar fraction={progress.fraction} label="Export progress" />
            <span className="muted">
              {progress.phase === 'finishing' ? 'Finishing…' : `Exporting ${Math.round(progress.fraction * 100)}%`}
            </span>
          </div>
        )}
      </div>
      <div className="modal__actions">
        {progress ? (
          <button
            onClick={() =>
              void run('Cancelling export', () =>
                engine.call('render.exportCancel', { project: job.project, jobId: job.id }),
              )
            }
            data-testid="export-cancel"
          >
            Cancel export
          </button>
        ) : (
          <button onClick={onClose}>Close</button>
        )}
        <button
          className="primary"
          disabled={!!progress}
          onClick={() => void startExport(job, format, fps)}
          data-testid="export-start"
        >
          Export
        </button>
      </div>
    </ResultModal>
  );
}
