import { useState } from 'react';
import { importVideoProject } from '../../actions';
import { Modal } from '../ui/Modal';
import { checkVideoImport } from './importCheck';
import './video.css';

/**
 * File › New Project from Video… and the welcome view's "New project from a video…": a video (any format ffmpeg reads)
 * and the folder of its per-frame depth (.npy z-depth, or 16-bit PNG times the unit scale). The
 * selection is checked here first (importCheck.ts); the engine checks the frame counts, sizes and
 * values and names what is wrong. Only the files chosen here are read, and only as bytes.
 */
export function VideoImportDialog({ onClose }: { onClose: () => void }) {
  const [video, setVideo] = useState<File | null>(null);
  const [picked, setPicked] = useState<File[]>([]);
  const [scaleText, setScaleText] = useState('0.001');
  const [busy, setBusy] = useState(false);
  const scale = Number(scaleText);
  const check = checkVideoImport(video, picked, scale);
  const usesPng = check.depth.some((f) => /\.png$/i.test(f.name));

  const start = async () => {
    if (check.problem || !video) return;
    setBusy(true);
    const ok = await importVideoProject(video, check.depth, scale);
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <Modal title="New project from a video" onClose={onClose} testId="video-import">
      <p className="muted">
        A moving scene: frame <em>k</em> of the track is warped from video frame <em>k</em> with its depth, so the scene
        moves while the camera follows the track. The video is taken as shot from the photo's camera (frame 0).
      </p>
      <div className="video-import__rows">
        <label className="video-import__row">
          <span>Video</span>
          <input
            type="file"
            accept="video/*,.mp4,.mov,.mkv,.webm,.avi"
            data-testid="video-file"
            onChange={(e) => setVideo(e.target.files?.[0] ?? null)}
          />
        </label>
        <label className="video-import__row">
          <span>Depth folder</span>
          {/* A folder: one .npy or 16-bit .png per frame, taken in natural name order. */}
          <input
            type="file"
            multiple
            data-testid="video-depth"
            ref={(el) => {
              if (el) el.setAttribute('webkitdirectory', '');
            }}
            onChange={(e) => setPicked(Array.from(e.target.files ?? []))}
          />
        </label>
        <label className="video-import__row">
          <span>PNG depth unit</span>
          <input
            type="text"
            inputMode="decimal"
            value={scaleText}
            disabled={!usesPng && picked.length > 0}
            aria-label="Depth unit scale"
            data-testid="video-depth-scale"
            onChange={(e) => setScaleText(e.target.value)}
          />
          <span className="muted">z per unit of a 16-bit PNG (0.001: millimetres); .npy is z-depth as is</span>
        </label>
      </div>
      <p className="video-import__summary" data-testid="video-import-summary">
        {check.summary}
      </p>
      {check.problem && (video || picked.length > 0) && (
        <p className="error" role="alert" data-testid="video-import-problem">
          {check.problem}
        </p>
      )}
      <div className="modal__actions">
        <button onClick={onClose}>Cancel</button>
        <button
          className="primary"
          disabled={!!check.problem || busy}
          onClick={() => void start()}
          data-testid="video-import-start"
        >
          {busy ? 'Importing…' : 'Create project'}
        </button>
      </div>
    </Modal>
  );
}
