import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Handlers, HostContext } from '../context';
import { openProject, saveProject, saveProjectAs } from '../../engine/project/store';
import { discardAutosave, latestUntitledAutosave, readAutosave, writeAutosave } from '../../engine/project/autosave';
import { isDirty } from '../../engine/project/dirty';
import { decodeProjectDoc } from '../../engine/project/parse';
import { addRecent, readRecent } from '../../engine/project/recent';
import { PROJECT_EXTENSION, PROJECT_FILE, withProjectExtension, projectNameFromDir } from '../../engine/project/layout';
import { createProject } from '../../engine/project/create';
import { CamtrackError } from '../../engine/util/errors';
import { appPath } from '../../engine/util/appRoot';
import type { ProjectDoc } from '../../engine/project/schema';
import { defaultRenderModel } from './modelsStatus';

/** The bundled sample (assets/samples); opened as a copy, never written. */
export const SAMPLE_PROJECT = () => appPath('assets', 'samples', 'synthetic-orbit.camtrack');

/** A document set to render with what is installed: an SVD folder when there is one, else the preview. */
export async function withDefaultModel(doc: ProjectDoc): Promise<ProjectDoc> {
  return { ...doc, render: { ...doc.render, model: await defaultRenderModel() } };
}

export function untitledFolder(appDataDir: string, stem: string): string {
  return path.join(
    appDataDir,
    'untitled',
    `${stem}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}${PROJECT_EXTENSION}`,
  );
}

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.json': 'application/json',
  '.npy': 'application/octet-stream',
};

/** The working folder a call names, checked: it must be a folder the user may access. */
export function projectDir(ctx: HostContext, dir: string): string {
  return ctx.guard.check(dir);
}

/** Resolves a file named relative to a project folder, refusing anything outside it. */
export function projectFile(ctx: HostContext, dir: string, rel: string): string {
  const root = projectDir(ctx, dir);
  const full = path.resolve(root, rel);
  if (!full.startsWith(root + path.sep)) throw new CamtrackError('permission', `${rel} is outside the project folder.`);
  return ctx.guard.check(full);
}

/** Whether `dir` is a folder strictly inside `root`. */
function isInside(root: string, dir: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(dir));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Whether a folder holds a saved project (as opposed to an Untitled working folder). */
async function isSaved(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, PROJECT_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
}

export const projectHandlers: Handlers = {
  async 'project.new'(input, ctx) {
    const untitledRoot = path.join(ctx.config.appDataDir, 'untitled');
    if (input.discardUntitled && isInside(untitledRoot, input.discardUntitled))
      await fs.rm(input.discardUntitled, { recursive: true, force: true });
    // At start: the newest autosave of a never-saved project is offered back (in its own folder, with its assets).
    if (input.resumeUntitled) {
      const found = await latestUntitledAutosave(untitledRoot);
      if (found)
        return {
          dir: found.dir,
          path: null,
          doc: await withDefaultModel(createProject(input.name ?? 'Untitled')),
          autosave: { doc: found.doc, savedAt: found.savedAt },
        };
    }
    // A new project works in a fresh folder of the app's data until the artist saves it somewhere.
    // Each new project gets its own folder, so several windows never share one.
    const dir = untitledFolder(ctx.config.appDataDir, 'Untitled');
    await fs.mkdir(dir, { recursive: true });
    return { dir, path: null, doc: await withDefaultModel(createProject(input.name ?? 'Untitled')) };
  },

  /**
   * The sample, copied with its assets into a fresh working folder of the app's data (like an
   * Untitled project: Save asks where). Its renders, queue and autosaves go into the copy.
   */
  async 'project.openSample'(_input, ctx) {
    const dir = untitledFolder(ctx.config.appDataDir, 'Sample');
    await fs.mkdir(path.dirname(dir), { recursive: true });
    await fs.cp(SAMPLE_PROJECT(), dir, {
      recursive: true,
      filter: (src) =>
        !/[\\/](renders|queue\.json|autosave)/.test(path.relative(SAMPLE_PROJECT(), src)) ||
        path.relative(SAMPLE_PROJECT(), src) === '',
    });
    const opened = await openProject(dir);
    await fs.rm(path.join(dir, PROJECT_FILE), { force: true });
    return { dir: opened.dir, path: null, doc: await withDefaultModel(opened.doc) };
  },

  async 'project.open'(input, ctx) {
    // In Electron, projects on the recent list were chosen in a dialog before: they stay granted.
    if (ctx.config.mode === 'electron') {
      const recent = await readRecent(ctx.config.appDataDir);
      if (recent.some((r) => path.resolve(r.dir) === path.resolve(input.path))) ctx.guard.allow(input.path);
    }
    const opened = await openProject(ctx.guard.check(input.path));
    ctx.guard.allow(opened.dir);
    await addRecent(ctx.config.appDataDir, opened.dir, opened.doc.name).catch(() => undefined);
    return {
      dir: opened.dir,
      path: opened.dir,
      doc: opened.doc,
      autosave: opened.autosave ? { doc: opened.autosave.doc, savedAt: opened.autosave.savedAt } : undefined,
    };
  },

  async 'project.save'(input, ctx) {
    const from = projectDir(ctx, input.project);
    const target = input.path ? ctx.guard.check(withProjectExtension(input.path)) : (await isSaved(from)) ? from : null;
    if (!target)
      throw new CamtrackError('bad-input', 'This project was never saved: choose where to save it (Save As).');
    const saved =
      path.resolve(target) === path.resolve(from)
        ? await saveProject(target, input.doc)
        : await saveProjectAs(from, target, input.doc);
    // A never-saved project's working folder is done with once saved: its autosave must not be offered back at the next start.
    if (isInside(path.join(ctx.config.appDataDir, 'untitled'), from))
      await fs.rm(from, { recursive: true, force: true }).catch(() => undefined);
    ctx.guard.allow(saved.dir);
    await addRecent(ctx.config.appDataDir, saved.dir, input.doc.name).catch(() => undefined);
    return { path: saved.dir, dir: saved.dir };
  },

  async 'project.autosave'(input, ctx) {
    const now = new Date();
    await writeAutosave(projectDir(ctx, input.project), input.doc, [], now);
    return { savedAt: now.toISOString() };
  },

  async 'project.discardAutosave'(input, ctx) {
    await discardAutosave(projectDir(ctx, input.project));
    return { discarded: true };
  },

  async 'project.resume'(input, ctx) {
    const root = path.join(ctx.config.appDataDir, 'untitled');
    const dir = path.resolve(input.dir);
    const there = await fs.stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isInside(root, dir) || !there)
      throw new CamtrackError('not-found', `The unsaved project in ${dir} is no longer there to reopen.`);
    // A never-saved folder holds no project.json; a saved one is reopened with project.open.
    if (await isSaved(dir)) throw new CamtrackError('bad-input', `${dir} is a saved project: open it instead.`);
    // The studio kept the document as it was loaded, possibly by an older version: checked and migrated here.
    const { doc } = decodeProjectDoc(input.doc, 'The document of the last session');
    const auto = await readAutosave(dir).catch(() => null);
    return {
      dir,
      path: null,
      doc,
      ...(auto && isDirty(doc, auto.doc) && { autosave: { doc: auto.doc, savedAt: auto.savedAt } }),
    };
  },

  async 'project.recent'(_input, ctx) {
    const list = await readRecent(ctx.config.appDataDir);
    return { projects: list.map((r) => ({ path: r.dir, name: r.name })) };
  },

  async 'workspace.list'(_input, ctx) {
    const root = ctx.config.workspace;
    if (!root) throw new CamtrackError('bad-input', 'There is no workspace folder in this mode: use File › Open.');
    const names = await fs.readdir(root).catch(() => [] as string[]);
    const projects: { path: string; name: string; modifiedAt: string }[] = [];
    for (const n of names.filter((n) => n.endsWith(PROJECT_EXTENSION))) {
      const dir = path.join(root, n);
      const st = await fs.stat(path.join(dir, PROJECT_FILE)).catch(() => null);
      if (st) projects.push({ path: dir, name: projectNameFromDir(dir), modifiedAt: st.mtime.toISOString() });
    }
    projects.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
    return { root, projects };
  },

  async 'file.reveal'(input, ctx) {
    const file = projectFile(ctx, input.project, input.file);
    // A missing file is reported now, not by the file manager.
    if (
      !(await fs.stat(file).then(
        () => true,
        () => false,
      ))
    )
      throw new CamtrackError('not-found', `${input.file} is no longer in the project folder.`);
    // The engine host has no window system: the Electron main process reveals the path it returns.
    return { path: file, revealed: false };
  },

  async 'asset.read'(input, ctx) {
    const file = projectFile(ctx, input.project, input.file);
    const bytes = await fs.readFile(file);
    return {
      mime: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  },
};
