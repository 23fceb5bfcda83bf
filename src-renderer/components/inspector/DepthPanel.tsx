import { useState } from 'react';
import { DepthMapping } from '../../../src-main/engine/project/schema';
import { importDepthFile, pickFile } from '../../actions';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useScene } from '../viewport/sceneStore';
import { NumberField } from '../ui/NumberField';
import { Hint } from '../welcome/Hint';
import { DepthEstimate } from './DepthEstimate';
import { DepthMismatch } from './DepthMismatch';

/** Depth: import (button or drop), the mapping from file values to z-depth, and what the mapping made of the file. */
export function DepthPanel() {
  const depth = useProject((s) => s.doc?.depth ?? null);
  const hasImage = useProject((s) => !!s.doc?.image);
  const { report, error, loading } = useScene();
  const [over, setOver] = useState(false);

  const setMapping = (patch: Partial<DepthMapping>): boolean => {
    const d = useProject.getState().doc?.depth;
    if (!d) return false;
    const r = DepthMapping.safeParse({ ...d.mapping, ...patch });
    if (!r.success) {
      useUi.getState().toast('error', `Depth mapping refused: ${r.error.issues.map((i) => i.message).join('; ')}.`);
      return false;
    }
    useProject.getState().update((doc) => (doc.depth ? { ...doc, depth: { ...doc.depth, mapping: r.data } } : doc));
    return true;
  };

  return (
    <div
      className={`insp-fields depth-panel${over ? ' depth-panel--over' : ''}`}
      data-testid="depth-panel"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        const f = e.dataTransfer.files[0];
        if (f) void importDepthFile(f);
      }}
    >
      <div className="insp-actions">
        <button
          data-testid="import-depth"
          onClick={async () => {
            const f = await pickFile('.npy,.png,.pfm,.tif,.tiff');
            if (f) await importDepthFile(f);
          }}
        >
          Import depth…
        </button>
        <span className="muted" data-testid="depth-source">
          {depth
            ? depth.source.type === 'file'
              ? depth.source.originalName
              : depth.source.type === 'model'
                ? `estimated (${depth.source.model})`
                : 'a shape'
            : 'or drop .npy / 16-bit PNG / .pfm here'}
        </span>
      </div>
      {!depth && (
        <Hint id="depth" className="hint--inline">
          Depth places every pixel of the photo in 3D, so the camera can move. Import a depth file, or estimate one from
          the photo.
        </Hint>
      )}
      <DepthEstimate />
      {!hasImage && depth && <p className="muted insp-hint">Import the photo this depth belongs to.</p>}
      <DepthMismatch />
      {depth && (
        <>
          <div className="field">
            <span>Values are</span>
            <select
              aria-label="Depth values are"
              data-testid="depth-kind"
              value={depth.mapping.kind}
              onChange={(e) => setMapping({ kind: e.target.value as DepthMapping['kind'] })}
            >
              <option value="disparity">disparity (z = scale / v)</option>
              <option value="depth">depth (z = scale × v)</option>
            </select>
          </div>
          <div className="field">
            <span>Scale</span>
            <NumberField
              value={depth.mapping.scale}
              label="Depth scale"
              testId="depth-scale"
              onCommit={(v) => setMapping({ scale: v })}
            />
          </div>
          <div className="field">
            <span>Near / far</span>
            <div className="xyz xyz--2">
              <NumberField
                value={depth.mapping.near}
                label="Near clip"
                testId="depth-near"
                onCommit={(v) => setMapping({ near: v })}
              />
              <NumberField
                value={depth.mapping.far}
                label="Far clip"
                testId="depth-far"
                onCommit={(v) => setMapping({ far: v })}
              />
            </div>
          </div>
          {loading && <p className="muted insp-hint">Reading depth…</p>}
          {error && (
            <p className="error insp-hint" data-testid="depth-panel-error">
              {error}
            </p>
          )}
          {report && (
            <dl className="props" data-testid="depth-report">
              <dt>Size</dt>
              <dd>
                {report.width} × {report.height}
              </dd>
              <dt>z range</dt>
              <dd data-testid="depth-range">
                {report.min.toPrecision(4)} – {report.max.toPrecision(4)}
              </dd>
              <dt>Invalid</dt>
              <dd data-testid="depth-invalid">
                {report.invalid === 0
                  ? 'none'
                  : `${report.invalid} px (${((report.invalid / (report.valid + report.invalid)) * 100).toFixed(1)}%)`}
              </dd>
              {report.notes.length > 0 && (
                <>
                  <dt>Notes</dt>
                  <dd>{report.notes.join('; ')}</dd>
                </>
              )}
            </dl>
          )}
        </>
      )}
    </div>
  );
}
