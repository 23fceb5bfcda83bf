import { useState } from 'react';
import { downloadBlob } from '../ui/download';
import { X } from 'lucide-react';
import { ICON } from '../ui/icons';
import { engine } from '../../api/client';
import { run } from '../../actions';
import { useUi } from '../../state/uiStore';
import { useAssetUrl } from '../../hooks/useAssetUrl';
import type { JobView } from '../../../src-main/api/contract';
import { KindBadge } from './KindBadge';
import { PreviewCanvas } from './PreviewCanvas';
import { ProgressBar } from './ProgressBar';
import { useQueue } from './queueStore';
import {
  STATUS_LABEL,
  baseName,
  canCancel,
  canRemove,
  canRestart,
  formatBytes,
  jobSettings,
  outputSummary,
  progressText,
} from './queue';
import { outputKind } from './ResultModals';

export type JobAction = { kind: 'play' | 'sidecar' | 'export'; job: JobView };

/** Saves a project file through the browser's download (works the same in Electron and browser mode). */
export async function downloadAsset(project: string, file: string): Promise<void> {
  const r = await engine.call('asset.read', { project, file });
  downloadBlob(baseName(file), new Blob([r.bytes.slice()], { type: r.mime }));
}

/**
 * One job of the queue: status, stage and progress, the live preview while it renders, the
 * engine's message when it failed, and what can be done with it now. Queue entries can be
 * dragged onto another entry, or moved with the arrow buttons.
 */
export function JobItem({
  job,
  fps,
  onMove,
  onDrop,
  onAction,
}: {
  job: JobView;
  fps: number;
  /** Moves the job one place up or down; absent at the list's ends or in the history. */
  onMove?: { up?: () => void; down?: () => void };
  /** Dropping another job's card onto this one moves it here. */
  onDrop?: (draggedId: string) => void;
  onAction: (a: JobAction) => void;
}) {
  const preview = useQueue((s) => s.previews[job.id]);
  const comparing = useQueue((s) => s.compare.includes(job.id));
  const exporting = useQueue((s) => s.exporting[job.id]);
  const thumb = useAssetUrl(job.status === 'done' ? job.thumbnail : null);
  const [dragOver, setDragOver] = useState(false);
  const [showDetail, setShowDetail] = useState(false);
  const call = (label: string, fn: () => Promise<unknown>) => void run(label, fn);
  const done = job.status === 'done';
  const showBar = job.status === 'running' || job.status === 'interrupted';
  const farm = job.where === 'farm';

  return (
    <li
      className={`job job--${job.status}${dragOver ? ' job--over' : ''}${comparing ? ' job--compare' : ''}`}
      data-testid="job"
      data-job-id={job.id}
      data-status={job.status}
      draggable={!!onDrop}
      onDragStart={(e) => {
        e.dataTransfer.setData('application/x-camtrack-job', job.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (onDrop && e.dataTransfer.types.includes('application/x-camtrack-job')) {
          e.preventDefault();
          setDragOver(true);
        }
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(e) => {
        setDragOver(false);
        const id = e.dataTransfer.getData('application/x-camtrack-job');
        if (onDrop && id) {
          e.preventDefault();
          e.stopPropagation();
          onDrop(id);
        }
      }}
    >
      <div className="job__thumb">
        {preview && job.status === 'running' ? (
          <PreviewCanvas preview={preview} fps={fps} />
        ) : thumb ? (
          <button className="job__thumbbtn" title="Play" onClick={() => onAction({ kind: 'play', job })}>
            <img src={thumb} alt={`Thumbnail of ${job.label}`} data-testid="job-thumbnail" />
          </button>
        ) : (
          <span className={`job__glyph job__glyph--${job.status}`} aria-hidden>
            {GLYPH[job.status]}
          </span>
        )}
      </div>
      <div className="job__main">
        <div className="job__title">
          <span className={`status status-${job.status}`} data-testid="job-status">
            {STATUS_LABEL[job.status]}
          </span>
          <KindBadge job={job} />
          <span className="job__label" title={job.label}>
            {job.label}
          </span>
        </div>
        {done && job.format && (
          <div className="job__meta job__file" data-testid="job-file">
            {outputSummary(job)}
          </div>
        )}
        <div className="job__meta muted">
          {jobSettings(job)} · <time dateTime={job.createdAt}>{queuedAt(job.createdAt)}</time>
        </div>
        {job.fingerprint && (
          // Two renders with the same seed, steps and frames still differ when their λ table or track does: the hashes show it.
          <div
            className="job__meta job__fingerprint muted"
            data-testid="job-fingerprint"
            title={fingerprintTitle(job.fingerprint)}
          >
            λ {job.fingerprint.lambda} · track {job.fingerprint.track}
          </div>
        )}
        {farm && (
          <div className="job__meta job__farm" data-testid="job-farm" title={job.farmOutput}>
            <span className="badge badge--farm">FARM</span>{' '}
            {job.worker ? `worker ${job.worker}` : 'waiting for a worker'}
          </div>
        )}
        {showBar && (
          <div className="job__progress" data-testid="job-progress">
            <ProgressBar fraction={job.progress} />
            <span className="job__stage">{progressText(job)}</span>
          </div>
        )}
        {exporting && (
          <div className="job__progress" data-testid="job-export-progress">
            <ProgressBar fraction={exporting.fraction} label="Export progress" />
            <span className="job__stage">
              exporting {exporting.format === 'png' ? 'PNG frames' : exporting.format.toUpperCase()}
              {exporting.fps ? ` at ${exporting.fps} fps` : ''} · {Math.round(exporting.fraction * 100)}%
            </span>
          </div>
        )}
        {done && !farm && job.exports && job.exports.length > 0 && (
          <ul className="job__exports" aria-label="Exports" data-testid="job-exports">
            {job.exports.map((e) => (
              <li key={e.file} data-testid="job-export-file">
                <span
                  className="job__exportname"
                  title={`${e.file}\n${e.frames} frames${e.interpolated ? ', the frames in between made by interpolation' : ''}`}
                >
                  {e.format === 'png' ? 'PNG frames' : e.format.toUpperCase()} · {e.fps} fps · {formatBytes(e.bytes)}
                </span>
                {e.format !== 'png' && (
                  <button
                    className="link"
                    onClick={() => call('Downloading', () => downloadAsset(job.project, e.file))}
                    title={`Save ${baseName(e.file)}`}
                  >
                    Download
                  </button>
                )}
                <button
                  className="link"
                  onClick={() =>
                    call('Locating export', async () => {
                      const r = await engine.call('file.reveal', { project: job.project, file: e.file });
                      if (!r.revealed) useUi.getState().toast('info', `Saved at ${r.path}`);
                    })
                  }
                  title="Show the export in its folder"
                >
                  Show
                </button>
              </li>
            ))}
          </ul>
        )}
        {job.status === 'failed' && job.error && (
          <div className="job__error" role="alert" data-testid="job-error">
            {job.error.message}
            {job.error.detail && (
              <>
                {' '}
                <button className="link" onClick={() => setShowDetail(!showDetail)}>
                  {showDetail ? 'hide details' : 'details'}
                </button>
                {showDetail && <pre className="job__detail">{job.error.detail}</pre>}
              </>
            )}
          </div>
        )}
        <div className="job__actions">
          {done && farm && (
            <button
              onClick={() =>
                call('Downloading from the farm', async () => {
                  const view = await engine.call('farm.download', { project: job.project, jobId: job.id });
                  useQueue.getState().applyUpdate(view);
                  if (view.output && outputKind(view.output) !== 'folder')
                    await downloadAsset(view.project, view.output);
                })
              }
              title="Copy the render and its sidecar from the farm root into this project, and save the video"
              data-testid="job-farm-download"
            >
              Download
            </button>
          )}
          {done && job.output && (
            <>
              <button onClick={() => onAction({ kind: 'play', job })} data-testid="job-play">
                Play
              </button>
              {job.sidecar && (
                <button
                  onClick={() => onAction({ kind: 'sidecar', job })}
                  data-testid="job-sidecar"
                  title="The settings that reproduce this render"
                >
                  Sidecar
                </button>
              )}
              {!farm && (
                <button
                  onClick={() => onAction({ kind: 'export', job })}
                  disabled={!!exporting}
                  title="Another format (MP4, WebM, GIF, PNG frames) or 24/30 fps, without rendering again"
                  data-testid="job-export-button"
                >
                  Export…
                </button>
              )}
              {!farm && job.output && outputKind(job.output) !== 'folder' && (
                <button
                  onClick={() => call('Downloading', () => downloadAsset(job.project, job.output!))}
                  title="Save the video"
                >
                  Download
                </button>
              )}
              {job.output && (
                <button
                  onClick={() =>
                    call('Locating render', async () => {
                      const r = await engine.call('file.reveal', { project: job.project, file: job.output! });
                      if (!r.revealed) useUi.getState().toast('info', `Saved at ${r.path}`);
                    })
                  }
                  title="Show the result in its folder"
                  data-testid="job-reveal"
                >
                  Show in folder
                </button>
              )}
              <label className="job__check" title="Choose two done renders to compare side by side">
                <input
                  type="checkbox"
                  checked={comparing}
                  onChange={() => useQueue.getState().toggleCompare(job.id)}
                  data-testid="job-compare"
                />{' '}
                Compare
              </label>
            </>
          )}
          {canCancel(job.status) && (
            <button
              onClick={() =>
                call('Cancelling render', async () => {
                  if (!farm) return engine.call('render.cancel', { project: job.project, jobId: job.id });
                  useQueue
                    .getState()
                    .applyUpdate(await engine.call('farm.cancel', { project: job.project, jobId: job.id }));
                })
              }
              data-testid="job-cancel"
            >
              Cancel
            </button>
          )}
          {canRestart(job.status) && (
            <button
              className={job.status === 'interrupted' ? 'primary' : undefined}
              onClick={() =>
                call('Restarting render', async () => {
                  if (!farm) return engine.call('render.restart', { project: job.project, jobId: job.id });
                  useQueue
                    .getState()
                    .applyUpdate(await engine.call('farm.retry', { project: job.project, jobId: job.id }));
                })
              }
              data-testid="job-restart"
            >
              {farm ? 'Retry' : 'Restart'}
            </button>
          )}
          <span className="job__spacer" />
          {onMove && !farm && (
            <>
              <button className="icon" aria-label="Move up" title="Move up" disabled={!onMove.up} onClick={onMove.up}>
                ↑
              </button>
              <button
                className="icon"
                aria-label="Move down"
                title="Move down"
                disabled={!onMove.down}
                onClick={onMove.down}
              >
                ↓
              </button>
            </>
          )}
          {!farm && canRemove(job.status) && (
            <button
              className="icon"
              aria-label="Remove from the list"
              title={done ? 'Remove from the history (the files stay)' : 'Remove from the queue'}
              onClick={() =>
                call('Removing render', async () => {
                  await engine.call('render.remove', { project: job.project, jobId: job.id });
                  useQueue.getState().dropLocal(job.id);
                })
              }
              data-testid="job-remove"
            >
              <X {...ICON} />
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/** When a job was queued: the time today, else the date and time. */
function queuedAt(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const GLYPH: Record<JobView['status'], string> = {
  queued: '⋯',
  running: '◔',
  done: '✓',
  failed: '!',
  cancelled: '⊘',
  interrupted: '⚡',
};

/** Every field of a render's fingerprint, one per line, for the tooltip. */
function fingerprintTitle(fp: NonNullable<JobView['fingerprint']>): string {
  return `model ${fp.model} · ${fp.size} · ${fp.fps} fps · guidance ${fp.guidance}\nλ table ${fp.lambda}\ntrack ${fp.track}\ndepth ${fp.depth} · photo ${fp.photo}`;
}
