import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMovingVideoDataset } from '../src-main/test/videoScene';
import { launchStudio, idle, menu, answerUnsaved, type Studio } from './harness';

/**
 * Video input in the studio: a ray-cast clip of a moving ball (8 frames, H.264) and its depth
 * folder imported through the welcome view's New project from a video… dialog (bytes through the browser
 * bridge, no path given to the engine); the Inspector shows the video, the timeline its frames
 * under the ticks, and a preview render finishes.
 */
describe('video input in the studio', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('imports a video with its depth folder from the welcome view, shows its frames on the timeline, and renders a preview', async () => {
    const page = studio.page;
    const data = await writeMovingVideoDataset(path.join(studio.scratch, 'clip'), {
      frames: 8,
      width: 256,
      height: 144,
    });
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('welcome-import-video').click();
    const dialog = page.getByTestId('video-import');
    await dialog.waitFor();
    await expect(page.getByTestId('video-import-start').isDisabled()).resolves.toBe(true);
    await page.getByTestId('video-file').setInputFiles(data.video);
    // Only the video so far: the dialog says what is missing.
    await expect
      .poll(() => page.getByTestId('video-import-problem').textContent())
      .toBe('Choose the folder with one depth file per frame.');
    await page.getByTestId('video-depth').setInputFiles(data.depthDir);
    await expect
      .poll(() => page.getByTestId('video-import-summary').textContent())
      .toContain('clip.mp4 · 8 depth files (frame_0.npy … frame_7.npy)');
    await studio.screenshot('video-import-dialog');
    await page.getByTestId('video-import-start').click();
    await page.getByTestId('video-panel').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('video-name').textContent()).resolves.toBe('clip.mp4');
    await expect(page.getByTestId('video-frames').textContent()).resolves.toBe('8 · 256 × 144 · 7 fps');
    await expect(page.getByTestId('frame-count').inputValue()).resolves.toBe('8');
    // One thumbnail per track frame, each under its tick.
    await expect.poll(() => page.getByTestId('video-strip').locator('img').count(), { timeout: 15_000 }).toBe(8);
    await expect
      .poll(() =>
        page.getByTestId('video-thumb-7').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(64);
    await idle(page);
    await studio.screenshot('video-timeline');

    // A track longer than the video holds its last frame (shown dimmed).
    await page.getByTestId('frame-count').fill('10');
    await page.getByTestId('frame-count').press('Enter');
    await expect.poll(() => page.getByTestId('video-strip').locator('img').count()).toBe(10);
    await expect(page.getByTestId('video-thumb-9').getAttribute('alt')).resolves.toBe('video frame 7');
    await expect(page.getByTestId('video-hold').textContent()).resolves.toBe('Frames 8–9 hold the last video frame.');
    await menu(page, 'Edit', 'Undo');
    await expect.poll(() => page.getByTestId('video-strip').locator('img').count()).toBe(8);

    await page.getByTestId('render-button').click();
    const job = page.getByTestId('history-list').getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    await expect(job.getByTestId('job-kind').textContent()).resolves.toBe('PREVIEW');
    await idle(page);
    await studio.screenshot('video-rendered');
    await fs.rm(path.join(studio.scratch, 'clip'), { recursive: true, force: true });
    expect(studio.errors).toEqual([]);
  }, 120_000);

  it("File › New Project from Video… refuses a depth folder of another frame count with the engine's message", async () => {
    const page = studio.page;
    const data = await writeMovingVideoDataset(path.join(studio.scratch, 'short'), {
      frames: 3,
      width: 64,
      height: 36,
    });
    await fs.rm(path.join(data.depthDir, 'frame_2.npy'));
    await menu(page, 'File', 'New Project from Video…');
    await page.getByTestId('video-file').setInputFiles(data.video);
    await page.getByTestId('video-depth').setInputFiles(data.depthDir);
    await expect.poll(() => page.getByTestId('video-import-summary').textContent()).toContain('2 depth files');
    await page.getByTestId('video-import-start').click();
    await answerUnsaved(page, 'discard');
    await expect
      .poll(() => page.locator('.toast').last().textContent(), { timeout: 30_000 })
      .toContain('The video clip.mp4 has 3 frames, but the depth folder depth holds 2 depth files');
    await expect(page.getByTestId('video-import').count()).resolves.toBe(1);
    await studio.screenshot('video-import-refused');
    await fs.rm(path.join(studio.scratch, 'short'), { recursive: true, force: true });
  }, 60_000);
});
