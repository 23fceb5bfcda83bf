import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchStudio, menu, idle, ARTIFACTS, ROOT, type Studio } from './harness';
import { startTestRedis, type TestRedis } from '../src-main/test/redis';
import { startFarmWorker, type RunningFarmWorker } from '../src-main/engine/farm/worker';
import { probeVideo } from '../src-main/engine/video';

/**
 * The render farm from the studio: the farm's Redis (a private redis-server with a password) and
 * root set in the render settings, a render sent to the farm, taken by a worker (in this test's
 * process), shown in the same queue with the worker's name and live progress, then downloaded
 * into the project. Screenshots: e2e/artifacts/farm-settings.png and farm.png.
 */
const SAMPLE = path.join(ROOT, 'assets', 'samples', 'synthetic-orbit.camtrack');

async function shot(el: Locator, name: string): Promise<void> {
  for (const close of await el.page().locator('.toast button').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await el.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function setField(page: Page, testId: string, value: string): Promise<void> {
  const f = page.getByTestId(testId);
  await f.fill(value);
  await f.press('Enter');
}

describe('render farm in the studio', () => {
  let studio: Studio;
  let page: Page;
  let redis: TestRedis;
  let worker: RunningFarmWorker;
  let farmRoot: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    studio = await launchStudio();
    page = studio.page;
    farmRoot = path.join(studio.scratch, 'farm');
    await fs.mkdir(farmRoot);
    worker = await startFarmWorker({
      redisUrl: redis.url,
      farmRoot,
      executionProvider: 'cpu',
      name: 'gpu-box-1',
      lockDurationMs: 10_000,
      stalledIntervalMs: 1000,
    });
  });
  afterAll(async () => {
    await worker?.close(true);
    await studio?.close();
    await redis?.stop();
  });

  it('connects to the farm from the render settings (a wrong password is refused) and lists its worker', async () => {
    await fs.cp(SAMPLE, path.join(studio.workspace, 'Orbit.camtrack'), { recursive: true });
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /^Orbit/ }).click();
    await page.getByTestId('image-size').waitFor();
    await idle(page);
    await page.getByTestId('render-tab-settings').click();
    await setField(page, 'render-steps', '4');
    await page.getByTestId('render-size-preset').selectOption('draft');

    await page.getByTestId('farm-url').fill(`redis://:wrong@127.0.0.1:${redis.port}`);
    await page.getByTestId('farm-root').fill(farmRoot);
    await page.getByTestId('farm-connect').click();
    await expect
      .poll(() => page.getByTestId('farm-error').textContent(), { timeout: 20_000 })
      .toMatch(/refused the password/);

    await page.getByTestId('farm-url').fill(redis.url);
    await page.getByTestId('farm-connect').click();
    await expect
      .poll(() => page.getByTestId('farm-status').textContent(), { timeout: 20_000 })
      .toMatch(/Connected to redis:\/\/:\*\*\*@127\.0\.0\.1.*Workers: gpu-box-1/);
    expect(await page.getByTestId('farm-status').textContent()).not.toContain(redis.password);
    await page.getByTestId('farm-settings').scrollIntoViewIfNeeded();
    await shot(page.getByTestId('render-panel'), 'farm-settings');
  });

  it('sends a render to the farm: the queue shows the worker and progress, then it is downloaded into the project', async () => {
    await page.getByTestId('render-tab-queue').click();
    await expect.poll(() => page.getByTestId('render-target').inputValue(), { timeout: 10_000 }).toBe('farm');
    await expect.poll(() => page.getByTestId('render-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('render-button').click();
    const job = page.getByTestId('job').first();
    await expect
      .poll(() => job.getByTestId('job-farm').textContent(), { timeout: 60_000 })
      .toMatch(/FARM worker gpu-box-1/);
    await page.locator('[data-testid="job"][data-status="done"]').first().waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid="job-error"]').allTextContents()).toEqual([]);
    const renders = path.join(farmRoot, 'renders');
    const files = await fs.readdir(renders);
    const video = files.find((f) => f.endsWith('.mp4'))!;
    expect(files.sort()).toEqual([video, `${video}.json`, `${video}.thumb.jpg`].sort());

    await page.getByTestId('job-farm-download').click();
    await page.getByTestId('job-thumbnail').waitFor({ timeout: 20_000 });
    const projectRenders = path.join(studio.workspace, 'Orbit.camtrack', 'renders');
    await expect
      .poll(async () => (await fs.readdir(projectRenders).catch(() => [])).sort(), { timeout: 10_000 })
      .toEqual([video, `${video}.json`, `${video}.thumb.jpg`].sort());
    expect(await probeVideo(path.join(projectRenders, video))).toMatchObject({ frames: 14, width: 256, height: 128 });
    await expect(job.getByTestId('job-play').isVisible()).resolves.toBe(true);
    await shot(page.getByTestId('render-panel'), 'farm');
    expect(studio.errors).toEqual([]);
  }, 180_000);
});
