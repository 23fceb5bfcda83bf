import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService } from '../service';
import type { ApiOutputs } from '../../api/contract';
import { tempDir } from '../../test/tmp';
import { writeMovingVideoDataset, type VideoDataset } from '../../test/videoScene';

/** The studio's video import (bytes in, an Untitled project out) and the timeline's thumbnails. */
let base: string;
let data: VideoDataset;
beforeAll(async () => {
  base = tempDir('camtrack-video-host-');
  data = await writeMovingVideoDataset(path.join(base, 'clip'), { frames: 4, width: 64, height: 36 });
}, 60_000);
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const service = () =>
  createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    () => undefined,
  );
const file = async (p: string, name = path.basename(p)) => ({ name, bytes: new Uint8Array(await fs.readFile(p)) });

describe('project.newFromVideo and video.thumbnails', () => {
  it('makes an Untitled project from the bytes (no project.json, staging removed) whose frames the timeline can show', async () => {
    const engine = service();
    const depth = await Promise.all((await fs.readdir(data.depthDir)).map((n) => file(path.join(data.depthDir, n))));
    const opened = (await engine.handle('project.newFromVideo', {
      video: await file(data.video),
      depth,
    })) as ApiOutputs['project.newFromVideo'];
    expect(opened.path).toBeNull();
    expect(opened.doc.video?.frames).toHaveLength(4);
    expect(opened.doc.track.numFrames).toBe(4);
    expect(opened.dir.startsWith(path.join(base, 'data', 'untitled'))).toBe(true);
    await expect(fs.stat(path.join(opened.dir, 'project.json'))).rejects.toThrow();
    expect((await fs.readdir(path.join(base, 'data'))).filter((n) => n.startsWith('video-import-'))).toEqual([]);

    const t = (await engine.handle('video.thumbnails', {
      project: opened.dir,
      doc: opened.doc,
      height: 18,
    })) as ApiOutputs['video.thumbnails'];
    expect(t).toMatchObject({ width: 32, height: 18 });
    expect(t.frames).toHaveLength(4);
    const meta = await sharp(t.frames[3]).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 32, 18]);
  });

  it('refuses a depth folder of another frame count, leaving no working folder and no staging behind', async () => {
    const engine = service();
    const before = await fs.readdir(path.join(base, 'data', 'untitled')).catch(() => []);
    const depth = [await file(path.join(data.depthDir, 'frame_0.npy'))];
    await expect(engine.handle('project.newFromVideo', { video: await file(data.video), depth })).rejects.toThrow(
      'The video clip.mp4 has 4 frames, but the depth folder depth holds 1 depth files',
    );
    expect(await fs.readdir(path.join(base, 'data', 'untitled')).catch(() => [])).toEqual(before);
    expect((await fs.readdir(path.join(base, 'data'))).filter((n) => n.startsWith('video-import-'))).toEqual([]);
  });

  it('keeps the names the browser gives inside its staging folder (a name with a path is cut to its base name)', async () => {
    const engine = service();
    const depth = await Promise.all(
      (await fs.readdir(data.depthDir)).map((n) => file(path.join(data.depthDir, n), `../../${n}`)),
    );
    const opened = (await engine.handle('project.newFromVideo', {
      video: await file(data.video, '../../x/clip.mp4'),
      depth,
    })) as ApiOutputs['project.newFromVideo'];
    expect(opened.doc.video?.originalName).toBe('clip.mp4');
    await expect(fs.stat(path.join(base, 'x'))).rejects.toThrow();
  });
});
