import { create } from 'zustand';

/** View state that is not part of the project (not saved, not undone). */
export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
  /** A button on the toast (e.g. Undo); pressing it also dismisses the toast. */
  action?: ToastAction;
}
export interface ToastAction {
  label: string;
  run: () => void;
}

export interface UiState {
  /** The timeline's current frame. */
  frame: number;
  playing: boolean;
  selectedKeyId: string | null;
  /** 3D view: show the photo as a depth-displaced mesh or as points. */
  sceneMode: 'mesh' | 'points';
  /** Show the warp preview inset: the photo warped into the current frame's camera. */
  lookThrough: boolean;
  /** 3D view: a frustum at each key (readable) or at every frame (up to about 60). */
  frustums: 'keys' | 'all';
  toasts: Toast[];
  busy: string | null;
  /** A photo import in progress (the import panel, with Cancel). */
  importing: { name: string; stage: string; fraction: number } | null;
  set(partial: Partial<Omit<UiState, 'set' | 'toast' | 'dismiss'>>): void;
  toast(kind: Toast['kind'], text: string, action?: ToastAction): void;
  dismiss(id: number): void;
}

let toastId = 1;
export const useUi = create<UiState>()((set) => ({
  frame: 0,
  playing: false,
  selectedKeyId: null,
  sceneMode: 'mesh',
  lookThrough: false,
  frustums: 'keys',
  toasts: [],
  busy: null,
  importing: null,
  set: (partial) => set(partial),
  toast: (kind, text, action) => {
    const id = toastId++;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text, ...(action && { action }) }] }));
    // A toast with a button stays longer: time to read it and change one's mind.
    if (kind !== 'error')
      setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), action ? 8000 : 4000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
