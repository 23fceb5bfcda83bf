import { useUi } from '../../state/uiStore';
import { undo, useProject } from '../../state/projectStore';
import type { LambdaPreset } from '../../../src-main/engine/project/schema';
import {
  clampRect,
  clipToTsv,
  copyRect,
  editableRect,
  fillRect,
  interpolateRect,
  invertRect,
  moveCursor,
  parseLambdaValue,
  pasteClip,
  scaleRect,
  type CellRect,
  type Grid,
} from './edit';
import { targetRect, useLambdaEditor } from './editorStore';
import { applyPreset, defaultPresetDoc } from './presets';
import { setLambdaDoc, working } from './working';

/** The editor's commands, shared by its buttons and its keys. Each edit is one undo step. */

function say(kind: 'info' | 'error', text: string): void {
  useUi.getState().toast(kind, text);
}

/** Runs a selection operation on the selection (or the cursor cell) as one undo step. */
export function applyToTarget(name: string, op: (g: Grid, r: CellRect) => CellRect | null): boolean {
  const g = working.grid;
  if (!g) return false;
  const rect = targetRect(useLambdaEditor.getState());
  if (!editableRect(g, rect)) {
    say('info', `${name}: frame 0 is the source photo; its weight is not used, so it is not edited.`);
    return false;
  }
  return working.edit((grid) => op(grid, rect), { now: true }) !== null;
}

export const opFill = (v: number) => applyToTarget('Fill', (g, r) => fillRect(g, r, v));
export const opScale = (k: number) => applyToTarget('Scale', (g, r) => scaleRect(g, r, k));
export const opClamp = (lo: number, hi: number) => applyToTarget('Clamp', (g, r) => clampRect(g, r, lo, hi));
export const opInvert = () => applyToTarget('Invert', (g, r) => invertRect(g, r));
export const opInterpolate = (axis: 'steps' | 'frames') =>
  applyToTarget('Interpolate', (g, r) => interpolateRect(g, r, axis));

/** Applies the typed value (the editor's text) to the selection or the cursor cell. */
export function applyTyped(text = useLambdaEditor.getState().typed): boolean {
  const p = parseLambdaValue(text);
  if ('error' in p) {
    say('error', p.error);
    return false;
  }
  const ok = opFill(p.value);
  useLambdaEditor.getState().set({ typed: '' });
  return ok;
}

export function copySelection(): void {
  const g = working.grid;
  if (!g) return;
  const clip = copyRect(g, targetRect(useLambdaEditor.getState()));
  useLambdaEditor.getState().set({ clip });
  // Also as tab-separated text, for a spreadsheet; the editor's own paste uses the copy above.
  navigator.clipboard?.writeText(clipToTsv(clip)).catch(() => undefined);
  say('info', `Copied ${clip.rows} × ${clip.cols} cells.`);
}

export function pasteClipboard(): void {
  const st = useLambdaEditor.getState();
  const clip = st.clip;
  if (!clip) {
    say('info', 'Nothing to paste: select cells and copy them first (Ctrl+C).');
    return;
  }
  const at = st.selection ? { row: st.selection.r0, col: st.selection.c0 } : st.cursor;
  const changed = working.edit((g) => pasteClip(g, clip, at), { now: true });
  if (changed) st.set({ selection: changed, anchor: { row: changed.r0, col: changed.c0 } });
}

export function selectAll(): void {
  const g = working.grid;
  if (!g) return;
  useLambdaEditor
    .getState()
    .set({ selection: { r0: 0, r1: g.steps - 1, c0: 0, c1: g.frames - 1 }, anchor: { row: 0, col: 0 } });
}

/** Arrow keys: move the cursor (Shift extends the selection from its anchor). */
export function moveBy(key: string, shift: boolean, big: boolean): void {
  const g = working.grid;
  if (!g) return;
  const st = useLambdaEditor.getState();
  const cursor = moveCursor(st.cursor, key, g.steps, g.frames, big);
  if (shift) {
    const anchor = st.anchor ?? st.cursor;
    st.set({
      cursor,
      anchor,
      selection: {
        r0: Math.min(anchor.row, cursor.row),
        r1: Math.max(anchor.row, cursor.row),
        c0: Math.min(anchor.col, cursor.col),
        c1: Math.max(anchor.col, cursor.col),
      },
    });
  } else {
    st.set({ cursor, anchor: cursor, selection: null });
  }
  useUi.getState().set({ frame: cursor.col });
}

/** Applies a preset (one undo step), or says why not and leaves the table as it is. */
export function applyPresetCommand(preset: Exclude<LambdaPreset, { kind: 'custom' }>): boolean {
  const lambda = useProject.getState().doc?.lambda;
  if (!lambda) return false;
  const r = applyPreset(lambda, preset);
  if ('error' in r) {
    useLambdaEditor.getState().set({ presetError: r.error });
    return false;
  }
  useLambdaEditor.getState().set({ presetError: null });
  setLambdaDoc(r.lambda);
  sayReplaced(lambda.preset.kind, preset.kind);
  return true;
}

/**
 * A preset over a painted table replaces the painting: say so, with Undo at hand (the painting is
 * one undo step back, as Ctrl+Z would restore it).
 */
function sayReplaced(before: LambdaPreset['kind'], preset: string): void {
  if (before !== 'custom') return;
  useUi.getState().toast('info', `The ${preset} preset replaced your painted λ table.`, { label: 'Undo', run: undo });
}

/** The reference default for the current shape (the search), keeping lambdaMin. */
export function resetToDefault(): void {
  const lambda = useProject.getState().doc?.lambda;
  if (!lambda) return;
  try {
    setLambdaDoc(defaultPresetDoc(lambda.steps, lambda.frames, lambda.lambdaMin));
    useLambdaEditor.getState().set({ presetError: null });
    sayReplaced(lambda.preset.kind, 'default');
  } catch (e) {
    say('error', (e as Error).message);
  }
}

export function setLambdaMin(v: number): boolean {
  if (!(v >= 0 && v <= 1)) {
    say('error', `λ min must be between 0 and 1 (got ${v}); the reference runs use 0.2 to 0.4.`);
    return false;
  }
  const lambda = useProject.getState().doc?.lambda;
  if (!lambda) return false;
  setLambdaDoc({ ...lambda, lambdaMin: v });
  return true;
}
