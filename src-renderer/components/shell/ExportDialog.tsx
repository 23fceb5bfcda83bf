import { useState } from 'react';
import { Download } from 'lucide-react';
import type { LambdaFormat } from '../../../src-main/engine/lambda/formats';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useQueue } from '../render/queueStore';
import { downloadAsset } from '../render/JobItem';
import { baseName } from '../render/queue';
import { outputKind } from '../render/ResultModals';
import { exportTrack } from '../inspector/TrackFiles';
import { exportLambda, LAMBDA_FORMATS } from '../lambda/io';
import { downloadBlob } from '../ui/download';
import { ICON } from '../ui/icons';
import { Modal } from '../ui/Modal';

/**
 * File › Export…: everything a project can hand to other tools, in one place: the newest finished
 * render, the camera path for nerfstudio, the track as Camtrack JSON and the λ table. Each row
 * says why it cannot export yet instead of doing nothing.
 */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const doc = useProject((s) => s.doc);
  const jobs = useQueue((s) => s.jobs);
  const [format, setFormat] = useState<LambdaFormat>('json');
  const latest = jobs
    .filter((j) => j.status === 'done' && j.output && outputKind(j.output) !== 'folder')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const hasTrack = !!doc && doc.track.keyframes.length > 0;
  const saved = (name: string) => useUi.getState().toast('success', `Exported ${name}.`);
  return (
    <Modal title="Export" onClose={onClose} testId="export-dialog">
      <ul className="export-list">
        <li>
          <div>
            <strong>Latest render</strong>
            <span className="muted">
              {latest ? baseName(latest.output!) : 'No finished video yet: render first (the Render button).'}
            </span>
          </div>
          <button
            disabled={!latest}
            data-testid="export-render"
            onClick={async () => {
              if (!latest) return;
              await downloadAsset(latest.project, latest.output!);
              saved(baseName(latest.output!));
            }}
          >
            <Download {...ICON} /> Video
          </button>
        </li>
        <li>
          <div>
            <strong>Camera path</strong>
            <span className="muted">
              {hasTrack
                ? 'nerfstudio camera_path.json: render the same move in nerfstudio or Blender'
                : 'No track yet.'}
            </span>
          </div>
          <button disabled={!hasTrack} data-testid="export-camera-path" onClick={() => void exportTrack('nerfstudio')}>
            <Download {...ICON} /> camera_path.json
          </button>
        </li>
        <li>
          <div>
            <strong>Track</strong>
            <span className="muted">
              {hasTrack ? 'Camtrack JSON: keys, easing and timing, to reuse in another project' : 'No track yet.'}
            </span>
          </div>
          <button disabled={!hasTrack} data-testid="export-track" onClick={() => void exportTrack('camtrack')}>
            <Download {...ICON} /> Track JSON
          </button>
        </li>
        <li>
          <div>
            <strong>λ table</strong>
            <span className="muted">
              {doc ? `${doc.lambda.steps} steps × ${doc.lambda.frames} frames` : 'No project open.'}
            </span>
          </div>
          <span className="export-list__pair">
            <select
              aria-label="λ table format"
              value={format}
              onChange={(e) => setFormat(e.target.value as LambdaFormat)}
              data-testid="export-lambda-format"
            >
              {LAMBDA_FORMATS.map((f) => (
                <option key={f} value={f}>
                  .{f}
                </option>
              ))}
            </select>
            <button
              disabled={!doc}
              data-testid="export-lambda"
              onClick={() => {
                if (!doc) return;
                const { name, blob } = exportLambda(doc.lambda, format);
                downloadBlob(name, blob);
                saved(name);
              }}
            >
              <Download {...ICON} /> λ table
            </button>
          </span>
        </li>
      </ul>
    </Modal>
  );
}
