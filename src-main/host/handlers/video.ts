import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Handlers } from '../context';
import { readCheckedAsset } from '../../engine/project/assets';
import { PROJECT_FILE } from '../../engine/project/layout';
import { openProject } from '../../engine/project/store';
import { CamtrackError } from '../../engine/util/errors';
import { writeProjectFromVideo } from '../../engine/video-input';
import { projectDir, untitledFolder, withDefaultModel } from './project';

/** A file name the person's browser gave, as a plain name inside our staging folder. */
function safeName(name: string, index: number): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._ -]/g, '_');
  return base && base !== '.' && base !== '..' ? base : `file-${index}`;
}

export const videoHandlers: Handlers = {
  /**
   * The video and its depth files arrive as bytes; they are staged in the app's data folder (the
   * engine opens no path the person did not choose), imported into a new Untitled working folder
   * like project.new's, and the staging folder removed whatever happens.
   */
  async 'project.newFromVideo'(input, ctx) {
    const staging = await fs.mkdtemp(path.join(ctx.config.appDataDir, 'video-import-'));
    const dir = untitledFolder(ctx.config.appDataDir, 'Untitled');
    try {
      const video = path.join(staging, safeName(input.video.name, 0));
      await fs.writeFile(video, input.video.bytes);
      const depthDir = path.join(staging, 'depth');
      await fs.mkdir(depthDir);
      const names = new Set<string>();
      for (const [i, f] of input.depth.entries()) {
        const name = safeName(f.name, i + 1);
        if (names.has(name))
          throw new CamtrackError(
            'bad-input',
            `Two depth files are named ${name}: one file per frame, each with its own name.`,
          );
        names.add(name);
        await fs.writeFile(path.join(depthDir, name), f.bytes);
      }
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await writeProjectFromVideo(dir, video, depthDir, {
        ...(input.depthUnitScale !== undefined && { depthUnitScale: input.depthUnitScale }),
        name: 'Untitled',
      });
      const opened = await openProject(dir);
      // An Untitled working folder holds no project.json: Save asks where the project goes.
      await fs.rm(path.join(dir, PROJECT_FILE), { force: true });
      ctx.guard.allow(opened.dir);
      return { dir: opened.dir, path: null, doc: await withDefaultModel(opened.doc) };
    } catch (e) {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    } finally {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    }
  },

  /** One small JPEG per source frame, for the timeline (content-addressed frames: the UI may cache them). */
  async 'video.thumbnails'(input, ctx) {
    const dir = projectDir(ctx, input.project);
    const video = input.doc.video;
    if (!video) throw new CamtrackError('bad-input', 'The project has no source video.');
    const height = input.height;
    const width = Math.max(1, Math.round((video.width / video.height) * height));
    const frames: Uint8Array[] = [];
    for (const [k, f] of video.frames.entries()) {
      const png = await readCheckedAsset(null, dir, f.image, `video frame ${k}`);
      const jpg = await sharp(png).resize(width, height, { fit: 'fill' }).jpeg({ quality: 70 }).toBuffer();
      frames.push(new Uint8Array(jpg.buffer, jpg.byteOffset, jpg.byteLength));
    }
    return { width, height, frames };
  },
};
