import type { AppInfo } from '../../../src-main/api/contract';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';

/** Model, execution provider, frames and steps, and what the studio is busy with. */
export function StatusBar({ info }: { info: AppInfo | null }) {
  const doc = useProject((s) => s.doc);
  const busy = useUi((s) => s.busy);
  const frame = useUi((s) => s.frame);
  const model = info?.model;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={model?.isDraft ? 'status status--warn' : 'status'} title={model?.isDraft ? 'The built-in draft model checks the whole pipeline but does not generate realistic video. Load a real SVD model folder for final renders.' : undefined}>
        Model: {model ? `${model.name}${model.isDraft ? ' (draft)' : ''}` : doc?.render.model ?? '—'}
      </span>
      <span className="status" title={info?.providers.reason}>
        EP: {info ? info.providers.chosen : '—'}
        {info?.providers.reason ? ' (fallback)' : ''}
      </span>
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
