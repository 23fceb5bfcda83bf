import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../context';
import { openProject } from '../../engine/project/store';
import { PROJECT_EXTENSION, PROJECT_FILE } from '../../engine/project/layout';
import { writeProjectFromMvsnet, writeProjectFromTransforms } from '../../engine/sources/project';
import { CamtrackError } from '../../engine/util/errors';
import { defaultRenderModel } from './modelsStatus';

/**
 * "New project from views…": a sparse-view project from files the person chose in the UI (a
 * folder's files, as bytes, through either transport). The engine reads nothing but those files:
 * they are written under their relative names into a staging folder of the app's data, a name
 * that climbs out of the chosen folder is refused, and the transforms.json importer is confined
 * to its folder. The project opens as a never-saved one (Save asks where), like File › New.
 */

/** A chosen file's name relative to the chosen folder, as '/'-separated segments; anything that could leave the folder is refused by name. */
export function chosenRelativePath(name: string): string {
  const parts = name.replace(/\\/g, '/').split('/');
  const bad =
    name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\0') || parts.some((p) => p === '..' || p === '');
  if (bad)
    throw new CamtrackError(
      'permission',
      `The chosen file "${name}" is not a plain name inside the chosen folder (no "..", no absolute paths): it was not read.`,
    );
  return parts.filter((p) => p !== '.').join('/');
}

/** Where the views are in the staged files: the shallowest transforms.json, else the shallowest folder with cams/NNNNNNNN_cam.txt. */
export function findViewSet(
  names: readonly string[],
  format?: 'transforms' | 'mvsnet',
): { format: 'transforms' | 'mvsnet'; at: string } {
  const depth = (n: string) => n.split('/').length;
  const byDepth = [...names].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const transforms = byDepth.find((n) => path.posix.basename(n) === 'transforms.json');
  const cam = byDepth.find((n) => /(^|\/)cams\/\d+_cam\.txt$/i.test(n));
  if (format !== 'mvsnet' && transforms) return { format: 'transforms', at: transforms };
  if (format !== 'transforms' && cam) return { format: 'mvsnet', at: path.posix.dirname(path.posix.dirname(cam)) };
  throw new CamtrackError(
    'bad-input',
    format === 'transforms'
      ? 'The chosen files hold no transforms.json.'
      : format === 'mvsnet'
        ? 'The chosen files hold no MVSNet camera files (cams/NNNNNNNN_cam.txt).'
        : 'The chosen folder holds neither a nerfstudio transforms.json nor an MVSNet layout (cams/NNNNNNNN_cam.txt, images/, depths/).',
  );
}

function untitledFolder(appDataDir: string): string {
  return path.join(
    appDataDir,
    'untitled',
    `Views-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}${PROJECT_EXTENSION}`,
  );
}

export const viewsHandlers: Handlers = {
  async 'project.fromViews'(input, ctx) {
    const names = input.files.map((f) => chosenRelativePath(f.path));
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new CamtrackError('bad-input', `The file ${dup} was chosen twice.`);
    const set = findViewSet(names, input.format);
    const staging = ctx.guard.check(await fs.mkdtemp(path.join(ctx.config.appDataDir, 'views-import-')));
    const dir = untitledFolder(ctx.config.appDataDir);
    try {
      for (const [i, f] of input.files.entries()) {
        const target = path.join(staging, ...names[i].split('/'));
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, f.bytes);
      }
      const at = path.join(staging, ...set.at.split('/').filter((p) => p !== '.'));
      const render = { model: await defaultRenderModel() };
      // Named after the chosen folder (the working folder's name is a random one).
      const folderName = path.posix
        .basename(set.format === 'transforms' ? path.posix.dirname(set.at) : set.at)
        .replace(/^\.$/, '');
      const name = input.name || folderName || 'Untitled';
      const opts = { ...(input.numFrames !== undefined && { numFrames: input.numFrames }), name, render };
      await fs.mkdir(path.dirname(dir), { recursive: true });
      const label = (p: string) => path.relative(staging, p).split(path.sep).join('/');
      try {
        if (set.format === 'transforms') await writeProjectFromTransforms(dir, at, { ...opts, confine: true });
        else await writeProjectFromMvsnet(dir, at, { ...opts, ...(input.views && { views: input.views }) });
      } catch (e) {
        // Messages name the staged copies: say the names the person chose instead.
        if (e instanceof CamtrackError)
          throw new CamtrackError(
            e.code,
            e.message
              .split(staging + path.sep)
              .join('')
              .split(staging)
              .join(label(staging) || 'the chosen folder'),
            { cause: e },
          );
        throw e;
      }
      const opened = await openProject(dir);
      // A never-saved project (Save asks where): no project.json in its working folder.
      await fs.rm(path.join(dir, PROJECT_FILE), { force: true });
      return { dir: opened.dir, path: null, doc: opened.doc };
    } catch (e) {
      await fs.rm(dir, { recursive: true, force: true });
      throw e;
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
  },
};
