import { engine, EngineError } from './api/client';
import { useProject, undo, redo, isDirty, projectDirOrThrow } from './state/projectStore';
import { useUi } from './state/uiStore';
import { forgetSession, readSession } from './state/session';
import type { MenuCommand } from '../src-main/api/contract';
import type { ProjectDoc } from '../src-main/engine/project/schema';
import { defaultPlane, shapeDepth, SHAPE_DEFAULT_DISTANCE } from '../src-main/engine/depth/shapes';
import { applyDepth } from './state/depthChange';

/**
 * The studio's commands, shared by the in-page menu bar (browser mode), the native menu
 * (Electron, through 'menu.command' events) and keyboard shortcuts. Every failure becomes a toast
 * with the engine's message.
 */
export async function run<T>(label: string, fn: () => Promise<T>): Promise<T | undefined> {
  const ui = useUi.getState();
  ui.set({ busy: label });
  try {
    return await fn();
  } catch (e) {
    ui.toast('error', e instanceof EngineError || e instanceof Error ? e.message : String(e));
    return undefined;
  } finally {
    useUi.getState().set({ busy: null });
  }
}

/** What the artist chose in the unsaved-changes prompt. */
export type LeaveChoice = 'save' | 'discard' | 'cancel';
export interface UnsavedRequest {
  name: string;
  /** Never saved: Save asks where first. */
  untitled: boolean;
  answer(choice: LeaveChoice): void;
}
export const unsavedListeners = new Set<(r: UnsavedRequest | null) => void>();

function askUnsaved(name: string, untitled: boolean): Promise<LeaveChoice> {
  return new Promise((resolve) => {
    const request: UnsavedRequest = {
      name,
      untitled,
      answer(choice) {
        for (const l of unsavedListeners) l(null);
        resolve(choice);
      },
    };
    if (unsavedListeners.size === 0) resolve('cancel');
    for (const l of unsavedListeners) l(request);
  });
}

/** Resolves the Save As that the unsaved-changes prompt is waiting on: true once saved. */
let saveAsWaiter: ((saved: boolean) => void) | null = null;
export function settleSaveAs(saved: boolean): void {
  const w = saveAsWaiter;
  saveAsWaiter = null;
  w?.(saved);
}
function requestSaveAs(): Promise<boolean> {
  settleSaveAs(false);
  return new Promise((resolve) => {
    saveAsWaiter = resolve;
    showDialog('saveAs');
  });
}

/**
 * Whether the open project may be replaced: true when it has no unsaved changes, or the artist
 * saves them (Save As for a never-saved project) or discards them. New, Open, Open Recent, the
 * sample and the imports that make a new project all ask here first.
 */
export async function confirmLeave(): Promise<boolean> {
  const s = useProject.getState();
  if (!isDirty(s)) return true;
  const choice = await askUnsaved(s.doc?.name ?? 'Untitled', !s.path);
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  return s.path ? saveProject() : requestSaveAs();
}

/**
 * A new Untitled project. At start (`resume`), the newest autosave of a never-saved project is
 * offered back; `discardUntitled` drops such a folder whose recovery was declined.
 */
export async function newProject(opts: { resume?: boolean; discardUntitled?: string } = {}): Promise<void> {
  if (!opts.resume && !opts.discardUntitled && !(await confirmLeave())) return;
  return run('Creating project', async () => {
    useProject
      .getState()
      .load(await engine.call('project.new', { resumeUntitled: opts.resume, discardUntitled: opts.discardUntitled }));
    useUi.getState().set({ frame: 0, selectedKeyId: null });
  }).then(() => undefined);
}

/**
 * At start: the project of the last session (a reload, or the app opened again) comes back with
 * its render queue, a render still running in the engine included; without one, or when it is
 * gone, a new project (offering the newest never-saved autosave back).
 */
export async function startSession(): Promise<void> {
  const s = readSession();
  if (s) {
    const reopened = await run('Reopening the last project', async () => {
      const opened =
        s.kind === 'saved'
          ? await engine.call('project.open', { path: s.path })
          : await engine.call('project.resume', { dir: s.dir, doc: s.doc });
      useProject.getState().load(opened);
      useUi.getState().set({ frame: 0, selectedKeyId: null });
      return true;
    });
    if (reopened) return;
    forgetSession();
  }
  await newProject({ resume: true });
}

export async function openProject(path: string): Promise<void> {
  if (!(await confirmLeave())) return;
  return run('Opening project', async () => {
    useProject.getState().load(await engine.call('project.open', { path }));
    useUi.getState().set({ frame: 0, selectedKeyId: null });
    useUi.getState().toast('success', `Opened ${path}`);
  }).then(() => undefined);
}

/** The bundled sample, as a copy the artist can change and render (Save asks where to keep it). */
export async function openSample(): Promise<void> {
  if (!(await confirmLeave())) return;
  return run('Opening the sample', async () => {
    useProject.getState().load(await engine.call('project.openSample', {}));
    useUi.getState().set({ frame: 0, selectedKeyId: null });
    useUi
      .getState()
      .toast(
        'success',
        'Opened the sample project: a synthetic scene with its depth and an orbit. Press Render to see the move.',
      );
  }).then(() => undefined);
}

/** Saves to the project's folder, or to `path` (Save As). */
export function saveProject(path?: string): Promise<boolean> {
  return run('Saving', async () => {
    const { doc, path: current } = useProject.getState();
    if (!doc) return false;
    const target = path ?? current ?? undefined;
    if (!target) throw new Error('Choose where to save the project (File > Save As).');
    const saved = await engine.call('project.save', { project: projectDirOrThrow(), doc, path: target });
    useProject.getState().markSaved(saved.path, saved.dir, doc);
    useUi.getState().toast('success', `Saved ${saved.path}`);
    return true;
  }).then((ok) => ok === true);
}

const IMAGE_TYPES = /\.(png|jpe?g|webp)$/i;
const DEPTH_TYPES = /\.(npy|png|pfm|tiff?)$/i;

/** The photo import in progress (one at a time): what the progress panel shows, and how Cancel stops it. */
let importing: { project: string; cancelled: boolean } | null = null;

/** Reads a File with progress (0..1), stopping when the import is cancelled. */
async function readWithProgress(
  file: File,
  onProgress: (f: number) => void,
  stop: () => boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (stop()) {
      await reader.cancel();
      break;
    }
    out.set(value, at);
    at += value.length;
    onProgress(file.size ? at / file.size : 1);
  }
  return at === out.length ? out : out.subarray(0, at);
}

/**
 * Imports the photo with progress and Cancel (the import panel). A project without depth gets a
 * plane (engine/depth/shapes.ts) in the same undo step, so the 3D view, the preview and Render work
 * at once; the Depth panel says it is a shape and how to replace it. A cancelled import leaves the
 * project as it was.
 */
export async function importImageFile(file: File): Promise<void> {
  const ui = useUi.getState();
  const project = projectDirOrThrow();
  if (importing) importing.cancelled = true;
  const mine = { project, cancelled: false };
  importing = mine;
  const show = (stage: string, fraction: number) =>
    useUi.getState().set({ importing: { name: file.name, stage, fraction } });
  show('Reading the file…', 0);
  ui.set({ busy: `Importing ${file.name}` });
  const off = engine.on('image.progress', (p) => {
    if (p.project !== project || mine.cancelled) return;
    const stage = {
      header: 'Checking the photo…',
      decode: 'Storing the photo…',
      store: 'Storing the photo…',
      done: 'Done',
    };
    show(p.stage === 'header' ? 'Making the working copy…' : stage[p.stage], 0.25 + 0.75 * p.fraction);
  });
  try {
    const bytes = await readWithProgress(
      file,
      (f) => show('Reading the file…', 0.25 * f),
      () => mine.cancelled,
    );
    if (mine.cancelled) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
    show('Checking the photo…', 0.25);
    const r = await engine.call('image.import', { project, name: file.name, bytes });
    if (mine.cancelled || useProject.getState().dir !== project)
      throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
    const doc = useProject.getState().doc;
    const plane = !doc?.depth;
    const withImage = (d: ProjectDoc) => ({ ...d, image: r.image });
    if (plane) await applyDepth(shapeDepth(defaultPlane()), withImage);
    else useProject.getState().update(withImage);
    ui.toast(
      'success',
      [
        `Imported ${file.name} (${r.image.width}x${r.image.height})`,
        ...r.notes,
        plane
          ? `Its depth is a plane at ${SHAPE_DEFAULT_DISTANCE} units for now (Inspector › Depth: a room, a depth file or an estimate)`
          : '',
      ]
        .filter(Boolean)
        .join('. '),
    );
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'cancelled') ui.toast('info', `Import of ${file.name} cancelled; the project is unchanged.`);
    else ui.toast('error', err.message);
  } finally {
    off();
    if (importing === mine) {
      importing = null;
      useUi.getState().set({ importing: null, busy: null });
    }
  }
}

/** Cancel in the import panel: the engine stops at its next stage and nothing is applied. */
export function cancelImport(): void {
  if (!importing) return;
  importing.cancelled = true;
  void engine.call('image.cancel', { project: importing.project }).catch(() => undefined);
}

export async function importDepthFile(file: File): Promise<void> {
  await run(`Importing depth ${file.name}`, async () => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const previous = useProject.getState().doc?.depth ?? null;
    const r = await engine.call('depth.import', { project: projectDirOrThrow(), name: file.name, bytes, previous });
    await applyDepth(r.depth);
    const rep = r.report;
    useUi.getState().toast(
      // An implausible scene is said first; the Depth panel keeps saying it until the mapping is fixed.
      rep.warnings.length || rep.invalid ? 'info' : 'success',
      [
        ...rep.warnings,
        `Depth ${rep.width}x${rep.height}, range ${rep.min.toPrecision(3)}..${rep.max.toPrecision(3)}`,
        rep.invalid ? `${rep.invalid} invalid pixels (shown as holes)` : '',
        ...rep.notes,
      ]
        .filter(Boolean)
        .join('. '),
    );
  });
}

/**
 * A new project from a video and its per-frame depth files (the Import video dialog): the files'
 * bytes go to the engine, which makes an Untitled project whose photo is the first frame.
 */
export async function importVideoProject(
  video: File,
  depth: readonly File[],
  depthUnitScale: number,
): Promise<boolean> {
  if (!(await confirmLeave())) return false;
  return run(`Importing ${video.name}`, async () => {
    const bytesOf = async (f: File) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
    const opened = await engine.call('project.newFromVideo', {
      video: await bytesOf(video),
      depth: await Promise.all(depth.map(bytesOf)),
      depthUnitScale,
    });
    useProject.getState().load(opened);
    useUi.getState().set({ frame: 0, selectedKeyId: null });
    const v = opened.doc.video!;
    useUi
      .getState()
      .toast(
        'success',
        `Imported ${v.originalName}: ${v.frames.length} frames of ${v.width}x${v.height}${v.fps ? ` at ${Number(v.fps.toFixed(3))} fps` : ''}, each with its depth.`,
      );
    return true;
  }).then((ok) => ok === true);
}

/** Routes dropped files: images become the photo, depth files its depth. */
export async function importDroppedFiles(files: FileList | File[]): Promise<void> {
  for (const f of Array.from(files)) {
    if (/\.(npy|pfm)$/i.test(f.name) || /depth/i.test(f.name)) {
      if (DEPTH_TYPES.test(f.name)) await importDepthFile(f);
    } else if (IMAGE_TYPES.test(f.name) || f.type.startsWith('image/')) {
      await importImageFile(f);
    } else {
      useUi
        .getState()
        .toast('error', `${f.name}: not an image (PNG, JPEG, WebP) or a depth file (.npy, 16-bit PNG, .pfm).`);
    }
  }
}

/** Opens the browser's file picker. */
export function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.click();
  });
}

export type DialogRequest =
  'newFromViews' | 'open' | 'saveAs' | 'shortcuts' | 'lambdaHelp' | 'about' | 'export' | 'importVideo' | null;
export const dialogListeners = new Set<(d: DialogRequest) => void>();
export function showDialog(d: DialogRequest): void {
  for (const l of dialogListeners) l(d);
}

/** Executes a menu command; payloads come from native dialogs in Electron. */
export async function runMenuCommand(
  command: MenuCommand,
  payload?: { name: string; bytes: Uint8Array } | { path: string },
): Promise<void> {
  switch (command) {
    case 'new':
      return newProject();
    case 'newFromViews':
      return showDialog('newFromViews');
    case 'open':
    case 'openRecent':
      if (payload && 'path' in payload) return openProject(payload.path);
      return showDialog('open');
    case 'openSample':
      return openSample();
    case 'save':
      if (!useProject.getState().path) return showDialog('saveAs');
      await saveProject();
      return;
    case 'saveAs':
      if (payload && 'path' in payload) {
        await saveProject(payload.path);
        return;
      }
      return showDialog('saveAs');
    case 'importImage': {
      if (payload && 'bytes' in payload) return importImageFile(new File([payload.bytes.slice()], payload.name));
      const f = await pickFile('image/png,image/jpeg,image/webp');
      if (f) await importImageFile(f);
      return;
    }
    case 'importDepth': {
      if (payload && 'bytes' in payload) return importDepthFile(new File([payload.bytes.slice()], payload.name));
      const f = await pickFile('.npy,.png,.pfm,.tif,.tiff');
      if (f) await importDepthFile(f);
      return;
    }
    case 'importVideo':
      return showDialog('importVideo');
    case 'export':
      return showDialog('export');
    case 'undo':
      return undo();
    case 'redo':
      return redo();
    case 'shortcuts':
      return showDialog('shortcuts');
    case 'lambdaHelp':
      return showDialog('lambdaHelp');
    case 'about':
      return showDialog('about');
  }
}
