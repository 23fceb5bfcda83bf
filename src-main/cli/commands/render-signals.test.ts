import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSidecar } from '../../engine/render/sidecar';
import { writeTinyProject } from '../../test/tinyProject';
import { appPath } from '../../engine/util/appRoot';
import { resolveFfmpeg } from '../../engine/video';
import { runCli } from '../../test/cli';

/**
 * Killing a real `camtrack render` child while ffmpeg writes the video (issue 12, item 6): the
 * old pair stays, no temporary is left (SIGTERM: at once; SIGKILL: by the next run).
 * ffmpeg runs through a wrapper that reads its input at the video's frame rate (-re), so the
 * export takes about two seconds and the signal lands while the temporary video is being written.
 */
let tmp: string;
let slowFfmpeg: string;
let tiny: string;
let slowProject: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-render-signals-'));
  slowFfmpeg = path.join(tmp, 'slow-ffmpeg.sh');
  const real = (await resolveFfmpeg()).path;
  await fs.writeFile(
    slowFfmpeg,
    `#!/bin/sh\nif [ "$1" = "-version" ]; then exec "${real}" "$@"; fi\nexec "${real}" -re "$@"\n`,
    { mode: 0o755 },
  );
  tiny = path.join(tmp, 'tiny.camtrack');
  await writeTinyProject(tiny);
  // 14 frames: two seconds of export at 7 fps.
  slowProject = path.join(tmp, 'fourteen.camtrack');
  await writeTinyProject(slowProject, { frames: 14 });
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

const debris = (names: string[]) => names.filter((n) => /\.(partial|tmp|commit)|\.old$/.test(n));

async function writeOldPair(folder: string): Promise<string> {
  await fs.rm(folder, { recursive: true, force: true });
  await fs.mkdir(folder, { recursive: true });
  const out = path.join(folder, 'clip.mp4');
  await fs.writeFile(out, 'old video');
  await fs.writeFile(`${out}.json`, 'old sidecar');
  return out;
}

/** Starts `camtrack render` on a 14-frame project and sends `signal` once the temporary video exists. */
async function renderAndKill(
  out: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sawPartial: boolean }> {
  const child = spawn(
    process.execPath,
    [appPath('bin', 'camtrack.mjs'), 'render', slowProject, '--out', out, '--ep', 'cpu'],
    {
      env: { ...process.env, FFMPEG_PATH: slowFfmpeg },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, sig) => resolve({ code, signal: sig })),
  );
  let sawPartial = false;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    const names = await fs.readdir(path.dirname(out));
    if (names.some((n) => n.includes('.partial'))) {
      sawPartial = true;
      child.kill(signal);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ...(await exited), stderr, sawPartial };
}

describe('a killed CLI render', () => {
  it('SIGTERM while the video is written: exits with the cancel message, the old pair stays, no temporaries', async () => {
    const out = await writeOldPair(path.join(tmp, 'term'));
    const r = await renderAndKill(out, 'SIGTERM');
    expect(r.sawPartial).toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SIGTERM: cancelling the render/);
    expect(r.stderr).toMatch(/cancelled/);
    expect(await fs.readFile(out, 'utf8')).toBe('old video');
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe('old sidecar');
    expect((await fs.readdir(path.dirname(out))).sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
  }, 120_000);

  it('SIGKILL while the video is written: its watcher removes the temporaries without another run; the old pair stays (issue 24, item 11)', async () => {
    const out = await writeOldPair(path.join(tmp, 'kill-alone'));
    const r = await renderAndKill(out, 'SIGKILL');
    expect(r.sawPartial).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    // ffmpeg finishes the temporary once its input ends; the watcher waits for it to be still, then removes it.
    const deadline = Date.now() + 60_000;
    let names = await fs.readdir(path.dirname(out));
    while (debris(names).length && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
      names = await fs.readdir(path.dirname(out));
    }
    expect(names.sort()).toEqual(['clip.mp4', 'clip.mp4.json']);
    expect(await fs.readFile(out, 'utf8')).toBe('old video');
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe('old sidecar');
  }, 120_000);

  it('SIGKILL while the video is written: the next run removes the temporaries and commits a whole new pair', async () => {
    const out = await writeOldPair(path.join(tmp, 'kill'));
    const r = await renderAndKill(out, 'SIGKILL');
    expect(r.sawPartial).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(await fs.readFile(out, 'utf8')).toBe('old video');
    expect(await fs.readFile(`${out}.json`, 'utf8')).toBe('old sidecar');

    const next = await runCli('render', tiny, '--out', out, '--seed', '3');
    expect(next.code).toBe(0);
    expect(debris(await fs.readdir(path.dirname(out)))).toEqual([]);
    const side = await readSidecar(`${out}.json`);
    expect(side.settings.seed).toBe(3);
    expect(side.output.bytes).toBe((await fs.stat(out)).size);
  }, 120_000);
});
