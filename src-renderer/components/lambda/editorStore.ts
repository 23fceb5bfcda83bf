import { create } from 'zustand';
import { DEFAULT_BRUSH, type BrushSettings } from './brush';
import type { Cell, CellRect, Clip, ProfileAxis } from './edit';

/** Editor state that is not part of the project (not saved, not undone). */
export type Tool = 'brush' | 'select';

/** A track in windows: 'together' copies an edit to the same window-relative frame of every window; 'apart' edits only the cells touched. */
export type WindowEdit = 'together' | 'apart';

/** What the pointer is over: a cell, or a step label (col -1) or a frame label (row -1). */
export interface HoverCell {
  row: number;
  col: number;
  /** The pointer in cell units, over the map (for the brush outline). */
  fr?: number;
  fc?: number;
}

export interface LambdaEditorState {
  tool: Tool;
  brush: BrushSettings;
  /** The selected cells, or null (operations then act on the cursor cell). */
  selection: CellRect | null;
  /** Where a shift-extended selection grows from. */
  anchor: Cell | null;
  cursor: Cell;
  hover: HoverCell | null;
  clip: Clip | null;
  profileAxis: ProfileAxis;
  /** Text typed on the heatmap or in the value field; Enter applies it. */
  typed: string;
  /** Why the last preset edit was refused (shown beside the preset fields). */
  presetError: string | null;
  windowEdit: WindowEdit;
  set(partial: Partial<Omit<LambdaEditorState, 'set' | 'setBrush'>>): void;
  setBrush(partial: Partial<BrushSettings>): void;
}

export const useLambdaEditor = create<LambdaEditorState>()((set) => ({
  tool: 'brush',
  brush: DEFAULT_BRUSH,
  selection: null,
  anchor: null,
  cursor: { row: 0, col: 1 },
  hover: null,
  clip: null,
  profileAxis: 'col',
  typed: '',
  presetError: null,
  windowEdit: 'apart',
  set: (partial) => set(partial),
  setBrush: (partial) => set((s) => ({ brush: { ...s.brush, ...partial } })),
}));

/** The cells an operation acts on: the selection, else the cursor cell. */
export function targetRect(s: Pick<LambdaEditorState, 'selection' | 'cursor'>): CellRect {
  return s.selection ?? { r0: s.cursor.row, r1: s.cursor.row, c0: s.cursor.col, c1: s.cursor.col };
}
