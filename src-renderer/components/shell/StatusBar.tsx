import { useEffect, useState } from 'react';
import type { AppInfo, ModelInfo } from '../../../src-main/api/contract';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';

/** Model, execution provider, frames and steps, and what the studio is busy with. */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const doc = useProject((s) => s.doc);
  const busy = useUi((s) => s.busy);
  const frame = useUi((s) => s.frame);
  const modelSetting = doc?.render.model ?? null;
  const [model, setModel] = useState<ModelInfo | null>(null);
  const [modelError, setModelError] = useState<string | null>(null);
  useEffect(() => {
    if (!modelSetting) return;
    engine.call('model.info', { model: modelSetting }).then(
      (m) => {
        setModel(m);
        setModelError(null);
      },
      (e: Error) => {
        setModel(null);
        setModelError(e.message);
      },
    );
  }, [modelSetting]);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span
        className={model?.isDraft || modelError ? 'status status--warn' : 'status'}
        data-testid="status-model"
        title={
          modelError ??
          (model?.isDraft
            ? 'The built-in draft model runs the whole pipeline but does not generate realistic video. Choose a real SVD model folder for final renders.'
            : undefined)
        }
      >
        Model:{' '}
        {model
          ? `${model.name}${model.isDraft ? ' — DRAFT, not for final renders' : ''}`
          : modelError
            ? 'not usable'
            : (modelSetting ?? '—')}
      </span>
      <span
        className={info?.providers.reason ? 'status status--warn' : 'status'}
        title={info?.providers.reason}
        data-testid="status-ep"
      >
        EP: {info ? info.providers.chosen : '—'}
        {info?.providers.reason ? ' (CPU fallback)' : ''}
      </span>
      {info && 'error' in info.ffmpeg && (
        <span className="status status--warn" title={info.ffmpeg.error}>
          ffmpeg missing
        </span>
      )}
      <span className="status">Frames: {doc ? doc.track.numFrames : '—'}</span>
      <span className="status">Steps: {doc ? doc.render.steps : '—'}</span>
      <span className="status">Frame {frame}</span>
      <span className="status">{doc?.image ? `${doc.image.width}x${doc.image.height}` : 'No photo'}</span>
      <span className="statusbar__spacer" />
      {busy && <span className="status status--busy">{busy}…</span>}
      <span className="status">{info ? `v${info.version} · ${info.mode}` : 'connecting…'}</span>
    </footer>
  );
}
