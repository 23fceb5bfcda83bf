import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  launchStudio,
  menu,
  menuWithFile,
  idle,
  canvasColours,
  answerUnsaved,
  decodeFrames,
  emptyModelsDir,
  FIXTURES,
  type Studio,
} from './harness';
import { buildTestDepthModel } from '../src-main/test/depthModel';
import { installDepthModelFile } from '../src-main/engine/depth/models';
import { frameSimilarity } from '../src-main/engine/preview/similarity';

/**
 * A first run in Chromium, with an empty models folder of its own (no SVD model, no depth model):
 * the welcome view and what it says is missing, the sample opened from it and rendered as a
 * preview by default (labelled as one in the panel, the queue and the compare view; its first and
 * last frames differ: the camera moves), depth estimation in the depth panel with a tiny generated
 * Depth Anything-style model installed into that models folder (progress, cancel, the mapping
 * still adjustable), and a DTU photo with depth of another shape (the photo stays, Render says
 * why it cannot start, and both ways out work).
 */
describe('first run: welcome, sample preview, depth estimation, mismatched depth', () => {
  let studio: Studio;
  let models: string;
  let emptyModels: ReturnType<typeof emptyModelsDir>;

  beforeAll(async () => {
    emptyModels = emptyModelsDir('firstrun');
    models = emptyModels.dir;
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
    emptyModels?.restore();
  });

  it('welcomes a first run with the sample, import, recent projects and what to install', async () => {
    const { page } = studio;
    await page.getByTestId('welcome').waitFor();
    await expect(page.getByTestId('welcome-sample').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('welcome-import').isVisible()).resolves.toBe(true);
    await expect(page.getByText('Recent projects').isVisible()).resolves.toBe(true);
    await expect.poll(() => page.getByTestId('welcome-svd').textContent()).toContain('none installed');
    await expect(page.getByTestId('welcome-depth').textContent()).resolves.toContain(
      'npx camtrack depth download --size small',
    );
    // Nothing installed: a new project renders previews.
    await expect.poll(() => page.getByTestId('render-preview-note').isVisible()).toBe(true);
    await studio.screenshot('firstrun-welcome');
  });

  it('File › Open Sample Project opens a copy that renders as a preview by default, and the preview moves', async () => {
    const { page } = studio;
    await menu(page, 'File', 'Open Sample Project');
    await expect.poll(() => page.getByTestId('project-title').textContent()).toContain('Synthetic orbit');
    await expect(page.getByTestId('welcome').count()).resolves.toBe(0);
    await expect(page.getByTestId('render-button').textContent()).resolves.toBe('Render preview');
    await expect(page.getByTestId('render-preview-note').textContent()).resolves.toContain('No model runs');
    // A hint on the 3D view, dismissable.
    await expect(page.getByTestId('hint-viewport').isVisible()).resolves.toBe(true);
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('firstrun-sample');
    await page.getByTestId('hint-viewport').getByRole('button', { name: 'Dismiss this hint' }).click();
    await expect(page.getByTestId('hint-viewport').count()).resolves.toBe(0);

    const t0 = performance.now();
    await page.getByTestId('render-button').click();
    const job = page.getByTestId('history-list').getByTestId('job').first();
    await job.waitFor({ timeout: 60_000 });
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    const renderMs = performance.now() - t0;
    await expect(job.getByTestId('job-kind').textContent()).resolves.toBe('PREVIEW');

    // The output on disk: the copy of the sample lives in the app data folder, never the committed sample.
    const untitled = path.join(studio.dataDir, 'untitled');
    const sampleDir = (await fs.readdir(untitled)).find((n) => n.startsWith('Sample-'));
    expect(sampleDir).toBeTruthy();
    const rendersDir = path.join(untitled, sampleDir!, 'renders');
    const video = (await fs.readdir(rendersDir)).find((n) => n.endsWith('.mp4'));
    expect(video).toBeTruthy();
    const frames = await decodeFrames(path.join(rendersDir, video!), 320, 192);
    expect(frames.length).toBe(14);
    const firstLast = frameSimilarity(frames[0], frames[13], 320, 192);
    const firstFirst = frameSimilarity(frames[0], frames[0], 320, 192);
    console.log(
      `sample preview through the UI: ${(renderMs / 1000).toFixed(1)} s from click to done; SSIM(frame 0, frame 13) = ${firstLast.toFixed(3)}`,
    );
    expect(firstFirst).toBe(1);
    expect(firstLast).toBeLessThan(0.7);

    // A second preview (another seed) and the compare view: both sides say PREVIEW.
    await page.getByTestId('render-button').click();
    await expect
      .poll(() => page.getByTestId('history-list').locator('[data-testid="job"][data-status="done"]').count(), {
        timeout: 60_000,
      })
      .toBe(2);
    const boxes = page.getByTestId('history-list').getByTestId('job-compare');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('compare-button').click();
    await expect.poll(() => page.locator('figcaption [data-testid="job-kind"]').count()).toBe(2);
    // Both videos decoded (their first frame is shown) before the screenshot.
    await expect
      .poll(
        () =>
          page.$$eval(
            '[data-testid="compare-video"]',
            (vs) => vs.filter((v) => (v as HTMLVideoElement).readyState >= 2).length,
          ),
        { timeout: 20_000 },
      )
      .toBe(2);
    await studio.screenshot('firstrun-compare-preview');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('compare-modal').count()).toBe(0);
  });

  it('says exactly what to do while no depth model is installed', async () => {
    const { page } = studio;
    const missing = page.getByTestId('depth-model-missing');
    await missing.waitFor();
    const text = (await missing.textContent()) ?? '';
    expect(text).toContain('npx camtrack depth download --size small');
    expect(text).toContain('npx camtrack depth install');
    expect(text).toContain(models);
    await expect(page.getByTestId('estimate-depth').isDisabled()).resolves.toBe(true);
    await page.getByTestId('depth-panel').screenshot({
      path: path.join(
        path.dirname(await studio.screenshot('firstrun-depth-missing-full')),
        'firstrun-depth-missing.png',
      ),
    });
  });

  it('cancels a running estimation and keeps the depth it had', async () => {
    const { page } = studio;
    // A model that takes a while (400 whole-image convolutions before the real work: several seconds
    // even on a fast idle machine, so the run is still going when Cancel is clicked).
    const slow = path.join(studio.scratch, 'slow.onnx');
    await fs.writeFile(slow, buildTestDepthModel({ slowOps: 400 }));
    await installDepthModelFile(slow, 'small', models);
    await page.getByTestId('depth-model-recheck').click();
    await expect.poll(() => page.getByTestId('estimate-depth').isDisabled()).toBe(false);
    const before = await page.getByTestId('depth-source').textContent();
    await page.getByTestId('estimate-depth').click();
    await page.getByTestId('estimate-progress').waitFor();
    await expect
      .poll(() => page.getByTestId('estimate-stage').textContent(), { timeout: 30_000 })
      .toBe('Estimating depth…');
    await studio.screenshot('firstrun-depth-estimating');
    // The model runs in a worker thread of the engine host: a cancel ends it at once.
    const tCancel = performance.now();
    await page.getByTestId('estimate-cancel').click();
    await expect
      .poll(() => page.locator('.toast').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringContaining('cancelled'));
    console.log(`estimate depth: cancel to cancelled toast in ${((performance.now() - tCancel) / 1000).toFixed(2)} s`);
    await expect(page.getByTestId('estimate-progress').count()).resolves.toBe(0);
    await expect(page.getByTestId('depth-source').textContent()).resolves.toBe(before);
  });

  it('installs a model file chosen in the panel, then estimates depth for the sample photo; the mapping still adjusts it', async () => {
    const { page } = studio;
    // The model goes away behind the studio's back: Estimate says what to do and the panel offers the fixes.
    await fs.rm(path.join(models, 'depth-anything-v2-small'), { recursive: true, force: true });
    await page.getByTestId('estimate-depth').click();
    await expect
      .poll(() => page.locator('.toast--error').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('npx camtrack depth download --size small'));
    await page.getByTestId('depth-model-missing').waitFor();
    // A file that is not a model is refused with the reason.
    const notModel = path.join(studio.scratch, 'not-a-model.onnx');
    await fs.writeFile(notModel, 'not an onnx model');
    let chooser = page.waitForEvent('filechooser');
    await page.getByTestId('depth-model-choose').click();
    await (await chooser).setFiles(notModel);
    await expect
      .poll(() => page.locator('.toast--error').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('not-a-model.onnx cannot be used as a depth model'));
    await expect(page.getByTestId('estimate-depth').isDisabled()).resolves.toBe(true);
    // The tiny Depth Anything-style model is installed from the browser.
    const fast = path.join(studio.scratch, 'model.onnx');
    await fs.writeFile(fast, buildTestDepthModel());
    chooser = page.waitForEvent('filechooser');
    await page.getByTestId('depth-model-choose').click();
    await (await chooser).setFiles(fast);
    await expect.poll(() => page.getByTestId('estimate-depth').isDisabled(), { timeout: 30_000 }).toBe(false);
    await expect(fs.readFile(path.join(models, 'depth-anything-v2-small', 'model.onnx'))).resolves.toEqual(
      await fs.readFile(fast),
    );
    await expect(
      fs.readFile(path.join(models, 'depth-anything-v2-small', 'model.onnx.sha256'), 'utf8'),
    ).resolves.toMatch(/^[0-9a-f]{64}\n$/);

    const rangeBefore = await page.getByTestId('depth-range').textContent();
    const t0 = performance.now();
    await page.getByTestId('estimate-depth').click();
    await expect(page.getByTestId('depth-source').textContent()).resolves.toBe('synthetic_depth.npy');
    await expect
      .poll(() => page.getByTestId('depth-source').textContent(), { timeout: 60_000 })
      .toBe('estimated (depth-anything-v2-small/model.onnx)');
    const uiMs = performance.now() - t0;
    const done = (await page.getByTestId('estimate-done').textContent()) ?? '';
    console.log(
      `estimate depth in the UI (sample 512x288 photo, tiny test model): ${(uiMs / 1000).toFixed(2)} s click to depth; engine: ${done}`,
    );
    // The sample photo is 512x288: the model's input is 518 on the short side, multiples of 14.
    expect(done).toMatch(/^Estimated 924 × 518 in \d+\.\d s \(CPU; model load \d+\.\d s, run \d+\.\d s\)\.$/);
    await expect(page.getByTestId('depth-kind').inputValue()).resolves.toBe('disparity');
    await expect.poll(() => page.getByTestId('depth-range').textContent(), { timeout: 20_000 }).not.toBe(rangeBefore);
    const range = (await page.getByTestId('depth-range').textContent())!;
    // Median at 4 units: the z range straddles 4.
    const [lo, hi] = range.split('–').map((v) => Number(v.trim()));
    expect(lo).toBeLessThanOrEqual(4);
    expect(hi).toBeGreaterThanOrEqual(4);
    const field = page.getByTestId('depth-scale');
    const scale = Number(await field.inputValue());
    expect(scale).toBeGreaterThan(0);
    // Doubling the scale doubles every depth.
    await field.fill(String(scale * 2));
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('depth-range').textContent(), { timeout: 20_000 }).not.toBe(range);
    const [lo2, hi2] = (await page.getByTestId('depth-range').textContent())!.split('–').map((v) => Number(v.trim()));
    expect(lo2 / lo).toBeCloseTo(2, 2);
    expect(hi2 / hi).toBeCloseTo(2, 2);
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('firstrun-depth-estimated');
  });

  it('DTU depth of another shape: the photo stays, Render says why, fit and crop both fix it', async () => {
    const { page } = studio;
    await menu(page, 'File', 'New');
    await answerUnsaved(page, 'discard');
    await expect.poll(() => page.getByTestId('project-title').textContent()).toBe('Untitled');
    await menuWithFile(page, 'File', 'Import Image…', path.join(FIXTURES, 'dtu_scan1', '000001.jpg'));
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 20_000 }).toBe('1600 × 1200');
    await menuWithFile(page, 'File', 'Import Depth…', path.join(FIXTURES, 'dtu_scan1', '000001.pfm'));
    await page.getByTestId('depth-mismatch').waitFor({ timeout: 20_000 });
    await idle(page);
    // Render cannot start, and says why.
    await expect(page.getByTestId('render-button').isDisabled()).resolves.toBe(true);
    const blockers = (await page.getByTestId('render-blockers').textContent()) ?? '';
    expect(blockers).toContain('The depth is 160x128');
    expect(blockers).toContain('Fit the depth to the photo or crop the photo to the depth');
    // The photo is still drawn (a flat plane).
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('firstrun-dtu-mismatch');

    await page.getByTestId('crop-photo').click();
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 20_000 }).toBe('1440 × 1152');
    await expect.poll(() => page.getByTestId('depth-mismatch').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('render-button').isDisabled()).toBe(false);
    await expect.poll(() => page.getByTestId('depth-report').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 20_000, interval: 500 })
      .toBeGreaterThan(40);
    await studio.screenshot('firstrun-dtu-cropped');

    // Undo the crop (one step), then stretch the depth instead.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('image-size').textContent()).toBe('1600 × 1200');
    await page.getByTestId('depth-mismatch').waitFor({ timeout: 20_000 });
    await page.getByTestId('fit-depth').click();
    await expect.poll(() => page.getByTestId('depth-mismatch').count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="depth-report"] dd').first().textContent(), { timeout: 20_000 })
      .toBe('1600 × 1200');
    await expect.poll(() => page.getByTestId('render-button').isDisabled()).toBe(false);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
