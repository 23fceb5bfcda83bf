import { useEffect, useLayoutEffect, useMemo } from 'react';
import { sigmasForSteps } from '../../../src-main/engine/schedule/sigmas';
import type { LambdaDoc } from '../../../src-main/engine/project/schema';
import { useProject } from '../../state/projectStore';
import { useLambdaEditor } from './editorStore';
import { applyTyped, copySelection, moveBy, pasteClipboard, selectAll } from './commands';
import { Heatmap } from './Heatmap';
import { Legend } from './Legend';
import { Profile, profileTitle } from './Profile';
import { FileControls, PresetBar, ToolBar } from './Toolbar';
import { formatSigma } from './raster';
import { useLambdaShapeSync } from './useLambdaShapeSync';
import { working } from './working';
import { windowPlace, windowsSummary } from './windowsView';
import { describeCell } from './explain';
import { useLambdaWindows } from './useLambdaWindows';
import type { FrameWindow } from '../../../src-main/engine/windows';
import { showDialog } from '../../actions';
import { isPreviewModel } from '../../../src-main/engine/preview/kind';
import './lambda.css';

const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * The lambda heatmap editor: the guidance table [steps][frames] painted as a heatmap, with brush
 * and selection tools, a profile curve, presets, lambda_min, import and export.
 */
export function LambdaEditor() {
  const lambda = useProject((s) => s.doc?.lambda);
  const preview = useProject((s) => !!s.doc && isPreviewModel(s.doc.render.model));
  useLambdaShapeSync();
  const windows = useLambdaWindows();
  const windowEdit = useLambdaEditor((s) => s.windowEdit);
  useLayoutEffect(() => working.sync(lambda ?? null), [lambda]);
  const steps = lambda?.steps ?? 0;
  const sigmas = useMemo(() => (steps > 0 ? sigmasForSteps(steps) : new Float32Array(1)), [steps]);
  const cursor = useLambdaEditor((s) => s.cursor);
  const axis = useLambdaEditor((s) => s.profileAxis);
  const set = useLambdaEditor((s) => s.set);
  const frames0 = lambda?.frames ?? 0;
  // A new shape: keep the cursor inside the table and drop a selection made for the old one.
  useEffect(() => {
    if (steps < 1 || frames0 < 1) return;
    const st = useLambdaEditor.getState();
    const c = st.cursor;
    if (c.row >= steps || c.col >= frames0 || st.selection) {
      st.set({
        cursor: { row: Math.min(c.row, steps - 1), col: Math.min(c.col, frames0 - 1) },
        selection: null,
        anchor: null,
        hover: null,
      });
    }
  }, [steps, frames0]);
  if (!lambda) return null;
  const frames = lambda.frames;
  const cur = { row: Math.min(cursor.row, steps - 1), col: Math.min(cursor.col, frames - 1) };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('input, select, textarea')) return;
    const mod = e.ctrlKey || e.metaKey;
    if (NAV_KEYS.has(e.key)) {
      e.preventDefault();
      moveBy(e.key, e.shiftKey, mod);
    } else if (mod && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      copySelection();
    } else if (mod && e.key.toLowerCase() === 'v') {
      e.preventDefault();
      pasteClipboard();
    } else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      selectAll();
    } else if (!mod && /^[0-9.%]$/.test(e.key)) {
      e.preventDefault();
      set({ typed: useLambdaEditor.getState().typed + e.key });
    } else if (e.key === 'Backspace' && useLambdaEditor.getState().typed) {
      const typed = useLambdaEditor.getState().typed;
      e.preventDefault();
      set({ typed: typed.slice(0, -1) });
    } else if (e.key === 'Enter' && useLambdaEditor.getState().typed) {
      e.preventDefault();
      applyTyped();
    } else if (e.key === 'Escape') {
      set(useLambdaEditor.getState().typed ? { typed: '' } : { selection: null });
    } else if (!mod && (e.key === '[' || e.key === ']')) {
      const st = useLambdaEditor.getState();
      st.setBrush({ size: Math.min(31, Math.max(1, st.brush.size + (e.key === ']' ? 1 : -1))) });
    } else if (!mod && (e.key === 'b' || e.key === 'B')) {
      set({ tool: 'brush' });
    } else if (!mod && (e.key === 'm' || e.key === 'M')) {
      set({ tool: 'select' });
    }
  };

  return (
    <section className="panel lambda lh" aria-label="Lambda heatmap" data-testid="lambda-editor">
      <header className="panel__header">
        <h3>Lambda</h3>
        <span className="lh-shape" data-testid="lambda-shape">
          {lambda.steps} steps × {lambda.frames} frames ·{' '}
          {lambda.preset.kind === 'custom' ? 'painted' : lambda.preset.kind}
        </span>
        <button
          className="link lh-help"
          onClick={() => showDialog('lambdaHelp')}
          title="What the table does, why the default ramps down, what painting a column or a row means"
          data-testid="lambda-help-button"
        >
          What is λ?
        </button>
        {preview && (
          <span
            className="lh-ignored"
            data-testid="lambda-preview-note"
            title="A preview warps the photo and fills the holes; no model runs, so nothing reads this table. It guides model renders."
          >
            Previews ignore λ
          </span>
        )}
        {windows && (
          <span className="lh-windows" data-testid="lambda-windows">
            <span
              className="lh-windows__note"
              title={`The render makes the track in ${windowsSummary(windows)}. Each window samples its own columns; a frame two windows share is one column used by both.`}
            >
              {windowsSummary(windows)}
            </span>
            <span className="lh-field">
              Edit windows
              <span className="lh-seg" role="radiogroup" aria-label="Edit windows">
                <button
                  role="radio"
                  aria-checked={windowEdit === 'together'}
                  className={windowEdit === 'together' ? 'is-on' : ''}
                  data-testid="windows-together"
                  onClick={() => set({ windowEdit: 'together' })}
                  title="An edit of a frame goes to the same frame of every window: the windows share one pattern"
                >
                  together
                </button>
                <button
                  role="radio"
                  aria-checked={windowEdit === 'apart'}
                  className={windowEdit === 'apart' ? 'is-on' : ''}
                  data-testid="windows-apart"
                  onClick={() => set({ windowEdit: 'apart' })}
                  title="An edit changes only the cells it touches"
                >
                  apart
                </button>
              </span>
            </span>
          </span>
        )}
        <FileControls lambda={lambda} />
      </header>
      <ToolBar />
      <PresetBar lambda={lambda} />
      <div
        className="lh-body"
        tabIndex={0}
        data-own-keys
        data-testid="lambda-grid"
        role="application"
        aria-roledescription="heatmap"
        aria-label={`Lambda table, ${steps} denoising steps (rows, by sigma from ${formatSigma(sigmas[0])} down to ${formatSigma(sigmas[steps - 1])}) by ${frames} frames (columns). Arrow keys move the cell cursor, Shift+arrows select, type a value and press Enter to set it; B brush, M select, [ and ] brush size.`}
        onKeyDown={onKeyDown}
      >
        <Heatmap lambda={lambda} sigmas={sigmas} windows={windows} />
        <Legend lambdaMin={lambda.lambdaMin} />
        <div className="lh-profile">
          <div className="lh-profile__head">
            <span className="lh-seg" role="radiogroup" aria-label="Profile">
              <button
                role="radio"
                aria-checked={axis === 'col'}
                className={axis === 'col' ? 'is-on' : ''}
                onClick={() => set({ profileAxis: 'col' })}
                title="The cursor's frame across the steps"
              >
                Frame
              </button>
              <button
                role="radio"
                aria-checked={axis === 'row'}
                className={axis === 'row' ? 'is-on' : ''}
                onClick={() => set({ profileAxis: 'row' })}
                title="The cursor's step across the frames"
              >
                Step
              </button>
            </span>
            <span className="muted">{profileTitle(axis, cur.row, cur.col, sigmas)}</span>
          </div>
          <div className="lh-profile__plot">
            <Profile sigmas={sigmas} lambdaMin={lambda.lambdaMin} />
          </div>
        </div>
      </div>
      <Readout lambda={lambda} sigmas={sigmas} windows={windows} />
    </section>
  );
}

/** The readout under the map and the screen reader's live line; re-rendered on hover alone. */
function Readout({
  lambda,
  sigmas,
  windows,
}: {
  lambda: LambdaDoc;
  sigmas: ArrayLike<number>;
  windows: FrameWindow[] | null;
}) {
  const cursor = useLambdaEditor((s) => s.cursor);
  const hover = useLambdaEditor((s) => s.hover);
  const selection = useLambdaEditor((s) => s.selection);
  const typed = useLambdaEditor((s) => s.typed);
  const { steps, frames } = lambda;
  const cur = { row: Math.min(cursor.row, steps - 1), col: Math.min(cursor.col, frames - 1) };
  // The working copy: during a stroke it is ahead of the project, which takes it when the stroke ends.
  const g = working.grid;
  // A table the grid does not mirror yet (an undo, a preset: the grid follows after this render) is read as it is.
  const values: ArrayLike<number> =
    g && working.mirrors(lambda) && g.steps === steps && g.frames === frames ? g.data : lambda.values;
  const describe = (r: number, c: number) =>
    describeCell({
      row: r,
      col: c,
      steps,
      value: values[r * frames + c],
      lambdaMin: lambda.lambdaMin,
      sigma: formatSigma(sigmas[r]),
      ...(windows && { windowPlace: windowPlace(windows, c) }),
    });
  const hoverCell = hover && hover.row >= 0 && hover.col >= 0 && hover.row < steps && hover.col < frames ? hover : null;
  const selText = selection
    ? `${selection.r1 - selection.r0 + 1} steps × ${selection.c1 - selection.c0 + 1} frames selected`
    : '';
  return (
    <>
      <footer className="lh-readout">
        <span data-testid="lambda-readout">
          {hoverCell ? describe(hoverCell.row, hoverCell.col) : `cursor: ${describe(cur.row, cur.col)}`}
        </span>
        {selText && <span className="muted">{selText}</span>}
        {typed && (
          <span className="lh-typing">
            typing {typed}▏ Enter sets {selection ? 'the selection' : 'the cursor cell'}
          </span>
        )}
      </footer>
      <div className="sr-only" aria-live="polite" data-testid="lambda-live">
        {describe(cur.row, cur.col)}
      </div>
    </>
  );
}
