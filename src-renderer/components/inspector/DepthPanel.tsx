import { useState } from 'react';
import { DepthMapping, type DepthShape } from '../../../src-main/engine/project/schema';
import {
  defaultPlane,
  defaultRoom,
  SHAPE_DEFAULT_DISTANCE,
  shapeDepth,
  shapeName,
  withFocus,
} from '../../../src-main/engine/depth/shapes';
import { flipMapping } from '../../../src-main/engine/depth/defaults';
import { importDepthFile, pickFile } from '../../actions';
import { applyDepth } from '../../state/depthChange';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useScene } from '../viewport/sceneStore';
import { NumberField } from '../ui/NumberField';
import { Hint } from '../welcome/Hint';
import { DepthEstimate } from './DepthEstimate';
import { DepthMismatch } from './DepthMismatch';
import { DepthReport } from './DepthReport';
import { ShapeEditor } from './ShapeEditor';

/**
 * Depth: a shape (plane or room, with the room editor over the photo), a depth file (button or
 * drop) or an estimate; for a file or an estimate, the mapping from its values to z-depth with
 * "Flip depth / disparity"; and what the depth makes of the scene (near, median, far, histogram,
 * warnings). Every change that moves the scene's scale rescales the track with it (one undo step).
 */
export function DepthPanel() {
  const depth = useProject((s) => s.doc?.depth ?? null);
  const hasImage = useProject((s) => !!s.doc?.image);
  const { report, error, loading } = useScene();
  const [over, setOver] = useState(false);
  const shape = depth?.source.type === 'shape' ? depth.source.shape : null;

  const setMapping = (patch: Partial<DepthMapping>): boolean => {
    const d = useProject.getState().doc?.depth;
    if (!d) return false;
    const r = DepthMapping.safeParse({ ...d.mapping, ...patch });
    if (!r.success) {
      useUi.getState().toast('error', `Depth mapping refused: ${r.error.issues.map((i) => i.message).join('; ')}.`);
      return false;
    }
    void applyDepth({ ...d, mapping: r.data });
    return true;
  };
  const applyShape = (s: DepthShape) => void applyDepth(shapeDepth(s));
  /** A new shape at the scene's current focus depth (the median z), so the track keeps fitting the scene. */
  const pickShape = (kind: DepthShape['kind']) => {
    const image = useProject.getState().doc?.image;
    if (!image) return;
    const fresh = kind === 'plane' ? defaultPlane() : defaultRoom();
    const focus = report?.median ?? SHAPE_DEFAULT_DISTANCE;
    applyShape(withFocus(fresh, focus, image.width, image.height));
  };
  const flip = () => {
    const d = useProject.getState().doc?.depth;
    if (!d || !report) return;
    void applyDepth({ ...d, mapping: flipMapping(d.mapping, report.rawMedian, report.median) });
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
                : `shape: ${shapeName(depth.source.shape)}`
            : 'or drop .npy / 16-bit PNG / .pfm here'}
        </span>
      </div>
      {!depth && (
        <Hint id="depth" className="hint--inline">
          Depth places every pixel of the photo in 3D, so the camera can move. Pick a shape below, import a depth file,
          or estimate one from the photo.
        </Hint>
      )}
      {hasImage && (
        <div className="field">
          <span>Shape</span>
          <div className="seg" role="group" aria-label="Depth shape">
            {(['plane', 'room'] as const).map((k) => (
              <button
                key={k}
                className={shape?.kind === k ? 'is-on' : ''}
                aria-pressed={shape?.kind === k}
                data-testid={`depth-shape-${k}`}
                title={
                  k === 'plane'
                    ? 'The photo as a flat card at one distance'
                    : 'The photo as a box: floor, ceiling, walls and a back wall ("Tour Into the Picture")'
                }
                onClick={() => shape?.kind !== k && pickShape(k)}
              >
                {k === 'plane' ? 'Plane' : 'Room'}
              </button>
            ))}
          </div>
        </div>
      )}
      {shape && (
        <>
          <p className="muted insp-hint depth-shape-note" data-testid="depth-shape-note">
            {shape.kind === 'plane'
              ? 'The depth is a shape: the photo as a flat card, so a move shows it as a card. Room gives the scene a floor, walls and parallax.'
              : 'The depth is a shape: the photo as a room. Drag the vanishing point (where floor and wall lines meet) and the back wall’s corners over the photo.'}{' '}
            Import a depth file or estimate depth to replace it at any time.
          </p>
          <div className="field">
            <span>{shape.kind === 'plane' ? 'Distance' : 'Back wall at'}</span>
            <NumberField
              value={shape.distance}
              label={shape.kind === 'plane' ? 'Plane distance' : 'Back wall distance'}
              testId="depth-shape-distance"
              check={(v) => (v > 0 ? null : 'The distance must be > 0.')}
              onCommit={(distance) => applyShape({ ...shape, distance })}
            />
          </div>
          {shape.kind === 'room' && <ShapeEditor room={shape} />}
        </>
      )}
      <DepthEstimate />
      {!hasImage && depth && <p className="muted insp-hint">Import the photo this depth belongs to.</p>}
      <DepthMismatch />
      {depth && !shape && (
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
          <div className="insp-actions">
            <button
              data-testid="depth-flip"
              disabled={!report}
              onClick={flip}
              title="Read the values the other way round (depth as disparity or disparity as depth), keeping the median pixel where it is"
            >
              Flip depth / disparity
            </button>
          </div>
        </>
      )}
      {depth && (
        <>
          {loading && <p className="muted insp-hint">Reading depth…</p>}
          {error && (
            <p className="error insp-hint" data-testid="depth-panel-error">
              {error}
            </p>
          )}
          {report && <DepthReport report={report} />}
        </>
      )}
    </div>
  );
}
