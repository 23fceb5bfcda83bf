import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  launchStudio,
  menu,
  canvasColours,
  decodeFrames,
  answerUnsaved,
  emptyModelsDir,
  ARTIFACTS,
  type Studio,
} from './harness';
import { makeTestPhoto, pngHeaderOnly } from '../src-main/test/photo';
import { writeNpy } from '../src-main/engine/npy/npy';
import { frameSimilarity } from '../src-main/engine/preview/similarity';

/**
 * Depth without guesswork, in Chromium, with no model installed: a photo imported with no depth
 * gets a plane and renders at once; the artist picks a room and drags its vanishing point over the
 * photo (one undo step); a preview render's camera visibly moves (frame 0 against the last). Then
 * the scene scale: a shape distance rescales the track with a toast, in one undo step; a depth file
 * in millimetres is flagged by the plausibility check, and fixing its scale silences it. Then
 * photos: an EXIF-turned one stands upright, a 20-megapixel JPEG is kept as it is (at most 1.2x
 * stored) and its import can be cancelled, a 100-megapixel one is refused with a message.
 */
describe('depth shapes and the depth mapping in the studio', () => {
  let studio: Studio;
  let models: ReturnType<typeof emptyModelsDir>;

  beforeAll(async () => {
    // No SVD and no depth model: renders are previews, depth comes from shapes or files.
    models = emptyModelsDir('depth');
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
    models?.restore();
  });

  /** The working folder of the open (never saved) project. */
  async function projectFolder(): Promise<string> {
    const untitled = path.join(studio.dataDir, 'untitled');
    const dirs = await fs.readdir(untitled);
    const stats = await Promise.all(dirs.map((d) => fs.stat(path.join(untitled, d))));
    const newest = dirs.map((d, i) => ({ d, t: stats[i].mtimeMs })).sort((a, b) => b.t - a.t)[0];
    return path.join(untitled, newest.d);
  }

  async function chooseFile(page: Page, testId: string, file: string): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId(testId).click();
    await (await chooser).setFiles(file);
  }

  it('the welcome view offers a photo alone; imported without depth it gets a plane and can render at once', async () => {
    const { page } = studio;
    await page.getByTestId('welcome').waitFor();
    await expect(page.getByTestId('welcome-photo-note').textContent()).resolves.toContain('A photo alone is enough');
    await studio.screenshot('depth-welcome');
    await chooseFile(page, 'welcome-import', await studio.photo());
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 30_000 }).toBe('1920 × 1080');
    await expect(page.getByTestId('depth-source').textContent()).resolves.toBe('shape: a plane at 4 units');
    await expect(page.getByTestId('depth-shape-note').textContent()).resolves.toMatch(
      /The depth is a shape: the photo as a flat card.*Import a depth file or estimate depth to replace it/,
    );
    await expect(page.getByTestId('depth-shape-plane').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(() => page.getByTestId('render-button').isDisabled()).toBe(false);
    // A new photo's track is its camera alone: the render panel says the camera does not move yet.
    await expect(page.getByTestId('render-still-camera').textContent()).resolves.toMatch(
      /The camera does not move yet.*Track presets/,
    );
    await expect.poll(() => page.getByTestId('depth-median').textContent(), { timeout: 20_000 }).toBe('4');
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('depth-photo-plane');
  });

  it('picks a room and drags its vanishing point over the photo, one undo step per drag', async () => {
    const { page } = studio;
    await page.getByTestId('depth-shape-room').click();
    await page.getByTestId('shape-editor').waitFor();
    await expect(page.getByTestId('depth-source').textContent()).resolves.toMatch(/^shape: a room, back wall at/);
    const readout = () => page.getByTestId('shape-readout').textContent();
    await expect(readout()).resolves.toMatch(/^Vanishing point 0\.50, 0\.50/);
    // The room took the plane's focus depth: the median stays 4, so the track was not rescaled.
    await expect.poll(() => page.getByTestId('depth-median').textContent(), { timeout: 20_000 }).toMatch(/^(3\.9|4)/);

    // Drag the vanishing point right and up, inside the back wall.
    const vp = await page.getByTestId('shape-vp').boundingBox();
    const svg = await page.locator('[data-testid="shape-editor"] svg').boundingBox();
    const cx = vp!.x + vp!.width / 2;
    const cy = vp!.y + vp!.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++)
      await page.mouse.move(cx + (0.12 * svg!.width * i) / 5, cy - (0.1 * svg!.height * i) / 5);
    await page.mouse.up();
    await expect.poll(readout).toMatch(/^Vanishing point 0\.6[12], 0\.4[01]/);
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('depth-room-dragged');
    await page.getByTestId('shape-editor').screenshot({ path: path.join(ARTIFACTS, 'depth-room-editor.png') });

    // One drag, one undo step: undo brings the centred point back, redo the dragged one.
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(readout).toMatch(/^Vanishing point 0\.50, 0\.50/);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(readout).toMatch(/^Vanishing point 0\.6[12], 0\.4[01]/);
  });

  it('renders a preview of the room whose camera visibly moves (frame 0 against the last)', async () => {
    const { page } = studio;
    // 14 frames, a truck to the right with a target: the room's walls slide past at different speeds.
    await page.getByRole('button', { name: '14', exact: true }).click();
    await page.getByTestId('preset-kind').selectOption('orbit');
    const deg = page.getByTestId('preset-degreesPerFrame');
    await deg.fill('2');
    await deg.press('Enter');
    await page.getByTestId('apply-preset').click();
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBeGreaterThan(1);
    await expect(page.getByTestId('render-still-camera').count()).resolves.toBe(0);
    await expect(page.getByTestId('render-button').textContent()).resolves.toBe('Render preview');
    await page.getByTestId('render-button').click();
    const job = page.getByTestId('history-list').getByTestId('job').first();
    await job.waitFor({ timeout: 90_000 });
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
    const renders = path.join(await projectFolder(), 'renders');
    const video = (await fs.readdir(renders)).find((n) => n.endsWith('.mp4'));
    expect(video).toBeTruthy();
    const side = JSON.parse(await fs.readFile(path.join(renders, `${video}.json`), 'utf8'));
    expect(side.depth.source.shape.kind).toBe('room');
    const { width, height } = side.output as { width: number; height: number };
    const frames = await decodeFrames(path.join(renders, video!), width, height);
    expect(frames.length).toBe(14);
    const first = frames[0];
    const last = frames[13];
    const ssim = frameSimilarity(first, last, width, height);
    let diff = 0;
    for (let i = 0; i < first.length; i++) diff += Math.abs(first[i] - last[i]);
    diff /= first.length;
    console.log(
      `room preview: SSIM(frame 0, frame 13) = ${ssim.toFixed(3)}, mean abs RGB difference ${diff.toFixed(1)}`,
    );
    expect(frameSimilarity(first, first, width, height)).toBe(1);
    // A move of a few degrees takes SSIM well below 0.9 (preview/similarity.ts); the mesh warp keeps the
    // room's walls whole where the splatting cracked them, so its frames stay more alike than that warp's (0.81).
    expect(ssim).toBeLessThan(0.9);
    expect(diff).toBeGreaterThan(10);
    await studio.screenshot('depth-room-rendered');
  }, 180_000);

  it('a new shape distance rescales the track with the scene, with a toast, in one undo step', async () => {
    const { page } = studio;
    await page.getByTestId('key-13').click();
    await page.getByTestId('keyframe-fields').waitFor();
    const x0 = Number(await page.getByTestId('key-pos-x').inputValue());
    const distance = page.getByTestId('depth-shape-distance');
    const d0 = Number(await distance.inputValue());
    await distance.fill(String(d0 * 2));
    await distance.press('Enter');
    await expect
      .poll(() => page.locator('.toast').last().textContent(), { timeout: 20_000 })
      .toMatch(
        /The scene's scale changed ×2 \(focus depth [\d.]+ → [\d.]+ units\): the camera track was scaled with it/,
      );
    await expect.poll(async () => Number(await page.getByTestId('key-pos-x').inputValue())).toBeCloseTo(2 * x0, 2);
    await studio.screenshot('depth-rescaled');
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => Number(await distance.inputValue())).toBeCloseTo(d0, 3);
    await expect.poll(async () => Number(await page.getByTestId('key-pos-x').inputValue())).toBeCloseTo(x0, 3);
  });

  it('a depth file in millimetres is named by the plausibility check; its scale fixes it and rescales the track', async () => {
    const { page } = studio;
    // A float .npy (z-depth by default) holding millimetres: 1.5 to 6 m across the photo.
    const w = 192;
    const h = 108;
    const mm = Float32Array.from({ length: w * h }, (_, i) => (1.5 + (4.5 * (i % w)) / (w - 1)) * 1000);
    const file = path.join(studio.scratch, 'depth_mm.npy');
    await fs.writeFile(file, writeNpy(mm, [h, w]));
    await chooseFile(page, 'import-depth', file);
    await page.getByTestId('depth-warnings').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('depth-warnings').textContent()).resolves.toMatch(
      /The median depth is 37\d\d units, outside 0\.05 to 1000: is the scale right/,
    );
    await expect(page.getByTestId('depth-kind').inputValue()).resolves.toBe('depth');
    await expect(page.getByTestId('depth-scale').inputValue()).resolves.toBe('1');
    await page.getByTestId('depth-report').screenshot({ path: path.join(ARTIFACTS, 'depth-warning-report.png') });
    const scale = page.getByTestId('depth-scale');
    await scale.fill('0.001');
    await scale.press('Enter');
    await expect.poll(() => page.getByTestId('depth-warnings').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('depth-median').textContent()).toMatch(/^3\.7/);
    await expect(page.locator('.toast').last().textContent()).resolves.toMatch(/scale changed ×0\.001/);
    // Flip depth / disparity keeps the median where it was.
    await page.getByTestId('depth-flip').click();
    await expect.poll(() => page.getByTestId('depth-kind').inputValue()).toBe('disparity');
    await expect.poll(() => page.getByTestId('depth-median').textContent()).toMatch(/^3\.7/);
    await studio.screenshot('depth-file-fixed');
  });

  it('an EXIF-turned photo stands upright', async () => {
    const { page } = studio;
    await menu(page, 'File', 'New');
    await answerUnsaved(page, 'discard');
    await expect.poll(() => page.getByTestId('project-title').textContent()).toBe('Untitled');
    const turned = path.join(studio.scratch, 'turned.jpg');
    await fs.writeFile(turned, await makeTestPhoto({ width: 1280, height: 720, orientation: 6 }));
    await chooseFile(page, 'welcome-import', turned);
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 30_000 }).toBe('720 × 1280');
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await page.getByTestId('depth-shape-room').click();
    await page.getByTestId('shape-editor').waitFor();
    await studio.screenshot('depth-exif-upright');
  });

  it('a 20-megapixel JPEG: kept as it is (at most 1.2x stored), progress with Cancel, and a cancel changes nothing', async () => {
    const { page } = studio;
    const big = path.join(studio.scratch, 'big_5472x3648.jpg');
    // Grain makes it as large as a camera's JPEG (a smooth synthetic picture compresses to a few hundred KB).
    const bytes = await makeTestPhoto({ width: 5472, height: 3648, grain: 24 });
    await fs.writeFile(big, bytes);
    // Cancelled at once: the project keeps the photo it had.
    const chooser = page.waitForEvent('filechooser');
    await menu(page, 'File', 'Import Image…');
    await (await chooser).setFiles(big);
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-cancel').click();
    await expect
      .poll(() => page.locator('.toast').last().textContent(), { timeout: 30_000 })
      .toMatch(/Import of big_5472x3648\.jpg cancelled; the project is unchanged/);
    await expect(page.getByTestId('image-size').textContent()).resolves.toBe('720 × 1280');

    const t0 = performance.now();
    const chooser2 = page.waitForEvent('filechooser');
    await menu(page, 'File', 'Import Image…');
    await (await chooser2).setFiles(big);
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 60_000 }).toBe('5472 × 3648');
    const ms = performance.now() - t0;
    await expect.poll(() => page.getByTestId('import-progress').count()).toBe(0);
    // The original's bytes are stored as they are; with the working copy (written just after it) at most 1.2x.
    const assets = path.join(await projectFolder(), 'assets');
    const files = await Promise.all(
      (await fs.readdir(assets)).map(async (f) => ({
        f,
        bytes: await fs.readFile(path.join(assets, f)),
        t: (await fs.stat(path.join(assets, f))).mtimeMs,
      })),
    );
    const original = files.find((x) => x.bytes.equals(bytes));
    expect(original, 'the JPEG is stored as it is').toBeTruthy();
    expect(original!.f).toMatch(/^image-[0-9a-f]+\.jpg$/);
    const ours = files.filter((x) => x.f.startsWith('image-') && x.t >= original!.t);
    expect(ours).toHaveLength(2);
    const total = ours.reduce((a, x) => a + x.bytes.length, 0);
    console.log(
      `20 MP JPEG (${(bytes.length / 1e6).toFixed(2)} MB) imported through the UI in ${(ms / 1000).toFixed(1)} s, stored as ${(total / 1e6).toFixed(2)} MB (${(total / bytes.length).toFixed(3)}x) with its working copy`,
    );
    expect(total / bytes.length).toBeLessThanOrEqual(1.2);
    await studio.screenshot('depth-20mp-imported');
  }, 120_000);

  it('refuses a 100-megapixel photo with its numbers and keeps the project as it was', async () => {
    const { page } = studio;
    const huge = path.join(studio.scratch, 'huge.png');
    await fs.writeFile(huge, pngHeaderOnly(12000, 9000));
    const chooser = page.waitForEvent('filechooser');
    await menu(page, 'File', 'Import Image…');
    await (await chooser).setFiles(huge);
    await expect
      .poll(() => page.locator('.toast--error').last().textContent(), { timeout: 20_000 })
      .toMatch(
        /huge\.png is 12000x9000 \(108\.0 megapixels\), above the limit of 100\.0 megapixels\. Downscale it first\./,
      );
    await expect(page.getByTestId('image-size').textContent()).resolves.toBe('5472 × 3648');
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
