import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { IDENTITY4, intrinsicsFromFovY } from '../src-main/engine/geometry/conventions';
import { computeFit } from '../src-main/engine/image/fit';
import { encodePng } from '../src-main/engine/image/encode';
import { writeNpy } from '../src-main/engine/npy/npy';
import { poseAt } from '../src-main/engine/scene/poses';
import { renderScene, sampleScene } from '../src-main/engine/scene/scene';
import { launchStudio, menuWithFile, idle, ARTIFACTS, type Studio } from './harness';

/**
 * The studio agrees with itself on one frame: the 3D view looking through the track's camera,
 * the warp inset (the engine's warp of that frame) and the preview render's frame, compared
 * numerically, on a ray-cast photo with exact depth and an imported nerfstudio path whose field
 * of view (50 degrees) is not the default camera's. Frame 1 dollies in towards the near sphere,
 * frame 2 slides sideways. Screenshots of both go to e2e/artifacts (preview-*.png).
 */
const W = 512;
const H = 288;
const FOV = 50;
const K = intrinsicsFromFovY(FOV, W, H);
const scene = sampleScene();
/** The path relative to its first camera; in its file it stands at (1, 0.2, 2), so the import re-bases it. */
const RELATIVE = [IDENTITY4, poseAt([0, 0, -1.4]), poseAt([0.3, 0.05, 0])];
const at = (rel: readonly number[]) => rel.map((v, i) => (i === 3 ? v + 1 : i === 7 ? v + 0.2 : i === 11 ? v + 2 : v));

type Rgb = { width: number; height: number; data: Uint8Array };

/** Mean absolute difference (8-bit levels) of two images of one size over the pixels `use` keeps, block-averaged by `block`. */
function meanDiff(a: Rgb, b: Rgb, use: (p: number) => boolean, block = 1): { diff: number; pixels: number } {
  const w = Math.floor(a.width / block),
    h = Math.floor(a.height / block);
  let sum = 0,
    n = 0;
  for (let by = 0; by < h; by++)
    for (let bx = 0; bx < w; bx++) {
      const sa = [0, 0, 0],
        sb = [0, 0, 0];
      let k = 0;
      for (let y = by * block; y < (by + 1) * block; y++)
        for (let x = bx * block; x < (bx + 1) * block; x++) {
          const p = y * a.width + x;
          if (!use(p)) continue;
          for (let c = 0; c < 3; c++) {
            sa[c] += a.data[p * 3 + c];
            sb[c] += b.data[p * 3 + c];
          }
          k++;
        }
      if (k < (block * block) / 2) continue;
      for (let c = 0; c < 3; c++) sum += Math.abs(sa[c] - sb[c]) / k;
      n += 3;
    }
  return { diff: sum / n, pixels: n / 3 };
}

async function rgbOf(input: Buffer | string, width: number, height: number): Promise<Rgb> {
  const data = await sharp(input).removeAlpha().resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { width, height, data: new Uint8Array(data) };
}

async function goToFrame(page: Page, frame: number): Promise<void> {
  await page.getByTestId('ruler').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
}

/** The warp inset's canvas as RGB, and its holes (tinted magenta by the studio). */
async function inset(page: Page): Promise<{ rgb: Rgb; holes: Uint8Array; png: Buffer }> {
  const url = await page.$eval('.lookthrough__canvas', (c) => (c as HTMLCanvasElement).toDataURL('image/png'));
  const png = Buffer.from(url.split(',')[1], 'base64');
  const rgb = await rgbOf(png, W, H);
  const holes = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) {
    const [r, g, b] = [rgb.data[p * 3], rgb.data[p * 3 + 1], rgb.data[p * 3 + 2]];
    // Holes are black under 75% magenta (tint.ts): about (191, 0, 150).
    holes[p] = r > 150 && g < 50 && b > 110 ? 1 : 0;
  }
  return { rgb, holes, png };
}

/** The 3D view through the track camera: the render frame's rectangle cut out of the canvas (fitted inside it, padded). */
async function cameraView(page: Page, name: string): Promise<Rgb> {
  const canvas = page.locator('[data-testid="viewport"] canvas').first();
  const box = (await canvas.boundingBox())!;
  const shot = await canvas.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const meta = await sharp(shot).metadata();
  const fit = computeFit(W, H, meta.width!, meta.height!, 'pad');
  const left = Math.round(-fit.offsetX),
    top = Math.round(-fit.offsetY);
  expect(box.width).toBeGreaterThan(W / 2);
  const crop = await sharp(shot)
    .extract({ left, top, width: Math.round(W * fit.scaleX), height: Math.round(H * fit.scaleY) })
    .png()
    .toBuffer();
  return rgbOf(crop, W, H);
}

describe('the 3D view, the camera view, the warp inset and the rendered frame agree', () => {
  let studio: Studio;
  let frames: Rgb[] = [];
  beforeAll(async () => {
    studio = await launchStudio();
    const dir = studio.scratch;
    const shot = renderScene(scene, { c2w: IDENTITY4, intrinsics: K }, 2);
    await fs.writeFile(path.join(dir, 'scene.png'), await encodePng(shot.image));
    // z-depth as float32 .npy: the studio's default mapping for a float depth file reads it as it is.
    await fs.writeFile(path.join(dir, 'scene_depth.npy'), writeNpy(shot.depth, [H, W]));
    const cameras = RELATIVE.map((rel) => ({ camera_to_world: at(rel), fov: FOV, aspect: W / H }));
    await fs.writeFile(
      path.join(dir, 'camera_path.json'),
      JSON.stringify({ render_width: W, render_height: H, fps: 7, camera_path: cameras }),
    );
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('imports the photo, its depth and the path: the photo takes the path camera, the note says the path was re-based', async () => {
    const { page } = studio;
    await menuWithFile(page, 'File', 'Import Image…', path.join(studio.scratch, 'scene.png'));
    await page.getByTestId('image-size').waitFor();
    let chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-depth').click();
    await (await chooser).setFiles(path.join(studio.scratch, 'scene_depth.npy'));
    await idle(page);
    await page.getByTestId('depth-report').waitFor({ timeout: 20_000 });
    chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-track').click();
    await (await chooser).setFiles(path.join(studio.scratch, 'camera_path.json'));
    const toast = page.locator('.toast', { hasText: 'Imported the track' });
    await toast.waitFor();
    const note = (await toast.textContent()) ?? '';
    expect(note).toMatch(/re-based onto it/);
    expect(note).toMatch(/the photo's camera is its first camera \(50° vertical, was 36°\)/);
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(3);
    // The source key shows the photo's camera.
    await page.locator('.ruler .diamond').first().click();
    await expect.poll(() => page.getByTestId('key-fov').inputValue()).toBe('50');

    // Render at the photo's size, as PNG frames (a preview: no model is installed).
    await page.getByTestId('render-tab-settings').click();
    for (const [id, v] of [
      ['render-width', String(W)],
      ['render-height', String(H)],
    ]) {
      await page.getByTestId(id).fill(v);
      await page.getByTestId(id).press('Enter');
    }
    await page.getByTestId('render-format').getByRole('radio', { name: 'PNG' }).click();
    await expect(page.getByTestId('render-warp').getByRole('radio', { name: 'Mesh' }).isChecked()).resolves.toBe(true);
    // The notes of the imports dismissed, so the settings show.
    const dismiss = page.locator('.toast').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await page.getByTestId('render-warp').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.getByTestId('render-panel').screenshot({ path: path.join(ARTIFACTS, 'preview-render-settings.png') });
    await page.getByTestId('render-tab-queue').click();
    await expect(page.getByTestId('render-button').textContent()).resolves.toBe('Render preview');
    await page.getByTestId('render-button').click();
    const job = page.getByTestId('history-list').getByTestId('job').first();
    await job.waitFor({ timeout: 60_000 });
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
    const untitled = path.join(studio.dataDir, 'untitled');
    const project = (await fs.readdir(untitled))[0];
    const renders = path.join(untitled, project, 'renders');
    const out = (await fs.readdir(renders, { withFileTypes: true })).find((d) => d.isDirectory())!;
    const pngs = (await fs.readdir(path.join(renders, out.name))).filter((n) => n.endsWith('.png')).sort();
    expect(pngs).toHaveLength(3);
    frames = await Promise.all(pngs.map((n) => rgbOf(path.join(renders, out.name, n), W, H)));
    await fs.cp(path.join(untitled, project), '/tmp/pv/e2eproj', { recursive: true });
  });

  it.each([
    [0, 'photo'],
    [1, 'dolly-in'],
    [2, 'sideways'],
  ] as const)(
    'frame %i (%s): inset = rendered frame where the warp saw, camera view = rendered frame',
    async (frame, name) => {
      const { page } = studio;
      await goToFrame(page, frame);
      await page.getByTestId('toggle-lookthrough').click();
      await expect
        .poll(() => page.getByTestId('lookthrough').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`Frame ${frame} · warped view.*holes`));
      await page.waitForTimeout(500);
      const warp = await inset(page);
      await page.getByTestId('lookthrough').screenshot({ path: path.join(ARTIFACTS, `preview-${name}-inset.png`) });
      await fs.writeFile(path.join(ARTIFACTS, `preview-${name}-inset-canvas.png`), warp.png);
      await page.getByTestId('toggle-lookthrough').click();
      await page.getByTestId('toggle-camera-view').click();
      await page.waitForTimeout(1500);
      const view = await cameraView(page, `preview-${name}-camera-view`);
      await studio.screenshot(`preview-${name}-studio`);
      await page.getByTestId('toggle-camera-view').click();
      await sharp(Buffer.from(frames[frame].data), { raw: { width: W, height: H, channels: 3 } })
        .png()
        .toFile(path.join(ARTIFACTS, `preview-${name}-frame.png`));

      const rendered = frames[frame];
      const truth = renderScene(scene, { c2w: RELATIVE[frame], intrinsics: K }, 2).image.data;
      const true8: Rgb = { width: W, height: H, data: Uint8Array.from(truth, (v) => Math.round(v * 255)) };
      const seen = (p: number) => !warp.holes[p];
      const insetVsFrame = meanDiff(warp.rgb, rendered, seen);
      // Where the warp saw: the 3D view shows no fill (a disocclusion there is the dark background).
      const viewVsFrame = meanDiff(view, rendered, seen, 8);
      const frameVsTruth = meanDiff(rendered, true8, () => true);
      const viewVsTruth = meanDiff(view, true8, seen, 8);
      console.log(
        `${name}: inset vs frame ${insetVsFrame.diff.toFixed(2)} levels (${insetVsFrame.pixels} px), camera view vs frame ${viewVsFrame.diff.toFixed(2)} (8x8 blocks), frame vs true view ${frameVsTruth.diff.toFixed(2)}, camera view vs true view ${viewVsTruth.diff.toFixed(2)}`,
      );
      // The inset is the render's own warp (at 512 px: the same size here): equal where it saw.
      expect(insetVsFrame.pixels).toBeGreaterThan(W * H * 0.9);
      expect(insetVsFrame.diff).toBeLessThan(2);
      // The 3D view draws the same photo on a coarser mesh (256 px) through the same camera, with its
      // overlays (the key, the track, the toolbar): close, block by block.
      expect(viewVsFrame.diff).toBeLessThan(8);
      expect(frameVsTruth.diff).toBeLessThan(6);
    },
  );

  it("the source key's field of view sets the photo's camera: frame 0 of the exported path follows, one undo step", async () => {
    const { page } = studio;
    await page.locator('.ruler .diamond').first().click();
    await page.getByTestId('key-fov').fill('40');
    await page.getByTestId('key-fov').press('Enter');
    const exported = async () => {
      const download = page.waitForEvent('download');
      await page.getByTestId('export-nerfstudio').click();
      const file = path.join(studio.scratch, `exported-${Date.now()}.json`);
      await (await download).saveAs(file);
      return JSON.parse(await fs.readFile(file, 'utf8')).camera_path.map((c: { fov: number }) => c.fov) as number[];
    };
    const fovs = await exported();
    expect(fovs[0]).toBeCloseTo(40, 6);
    expect(fovs[1]).toBeCloseTo(50, 6);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('key-fov').inputValue()).toBe('50');
    expect((await exported())[0]).toBeCloseTo(50, 6);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
