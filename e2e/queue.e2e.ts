import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchStudio, menu, idle, ARTIFACTS, ROOT, type Studio } from './harness';
import { writeSlowDraftModel } from '../src-main/test/slowDraftModel';

/**
 * The render panel in browser mode: settings on the sample project (the built-in draft model),
 * two renders queued with different seeds at 256x128 and 4 steps, both done with thumbnails,
 * their sidecar, and a side-by-side compare on one clock. Screenshots: e2e/artifacts/queue.png,
 * render-settings.png and compare.png.
 */
const SAMPLE = path.join(ROOT, 'assets', 'samples', 'synthetic-orbit.camtrack');

async function setField(page: Page, testId: string, value: string): Promise<void> {
  const f = page.getByTestId(testId);
  await f.fill(value);
  await f.press('Enter');
}

async function shot(el: Locator, name: string): Promise<void> {
  // Toasts float over the panel's corner: close them so the screenshot shows the panel.
  for (const close of await el.page().locator('.toast button').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await el.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

describe('render queue in browser mode', () => {
  let studio: Studio;
  let page: Page;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('says why a new, empty project cannot render yet', async () => {
    // The new, empty project: the Render button says what is missing.
    await expect
      .poll(() => page.getByTestId('render-blockers').textContent(), { timeout: 20_000 })
      .toMatch(/Import a photo first.*Give the photo depth first/);
    await expect(page.getByTestId('render-button').isDisabled()).resolves.toBe(true);
    await shot(page.getByTestId('render-panel'), 'render-blocked');
  });

  it('shows the draft model, and edits settings as undoable steps with checks', async () => {
    await fs.cp(SAMPLE, path.join(studio.workspace, 'Orbit.camtrack'), { recursive: true });
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /^Orbit/ }).click();
    await page.getByTestId('image-size').waitFor();
    await idle(page);
    await page.getByTestId('render-tab-settings').click();
    const card = page.getByTestId('render-model-card');
    await expect.poll(() => card.textContent()).toMatch(/DRAFT/);
    await expect(card.textContent()).resolves.toMatch(/frames any count/);

    await page.getByTestId('render-size-preset').selectOption('draft');
    await expect.poll(() => page.getByTestId('render-width').inputValue()).toBe('256');
    await expect.poll(() => page.getByTestId('render-height').inputValue()).toBe('128');

    // A width that is not a multiple of 64 is refused with the neighbours to use.
    await setField(page, 'render-width', '300');
    await expect(page.getByTestId('render-width-error').textContent()).resolves.toBe(
      'Width must be a multiple of 64 (try 256 or 320). Kept 256.',
    );
    await expect(page.getByTestId('render-width').inputValue()).resolves.toBe('256');
    // The message does not outlive the field's revert: typing again clears it.
    await page.getByTestId('render-width').fill('25');
    await expect(page.getByTestId('render-width-error').count()).resolves.toBe(0);
    await page.getByTestId('render-width').fill('256');

    await setField(page, 'render-steps', '4');
    await setField(page, 'render-seed', '1000');
    // One undo step per change: undo brings the seed back, redo sets it again.
    const seedBefore = await page.getByTestId('render-seed').inputValue();
    expect(seedBefore).toBe('1000');
    await menu(page, 'Edit', 'Undo');
    await expect.poll(() => page.getByTestId('render-seed').inputValue()).not.toBe('1000');
    await menu(page, 'Edit', 'Redo');
    await expect.poll(() => page.getByTestId('render-seed').inputValue()).toBe('1000');

    // Fidelity: Reference says what a model render then does; one undo step brings Studio back.
    const fidelity = page.getByTestId('render-fidelity');
    await expect(fidelity.getByRole('radio', { name: 'Studio' }).isChecked()).resolves.toBe(true);
    await fidelity.getByRole('radio', { name: 'Reference' }).click();
    await expect
      .poll(() => page.getByTestId('render-fidelity-note').textContent())
      .toMatch(/100 steps with the reference's lambda table/);
    await shot(page.getByTestId('render-panel'), 'render-fidelity');
    await menu(page, 'Edit', 'Undo');
    await expect.poll(() => page.getByTestId('render-fidelity-note').count()).toBe(0);
    await expect(fidelity.getByRole('radio', { name: 'Studio' }).isChecked()).resolves.toBe(true);

    // A model folder is checked before it is used; the document keeps the draft model.
    await page.getByTestId('render-model-kind').getByRole('radio', { name: 'Model folder' }).click();
    await page.getByTestId('render-model-path').fill(path.join(studio.workspace, 'no-such-model'));
    await page.getByTestId('render-model-use').click();
    await page.getByTestId('render-model-error').waitFor();
    await expect(card.textContent()).resolves.toMatch(/DRAFT/);

    // A model that renders 25 frames only: the 14-frame track is flagged and Render is disabled.
    const fake = path.join(studio.workspace, 'svd-xt-e2e');
    await fs.cp(path.join(ROOT, 'assets', 'models', 'draft'), fake, { recursive: true });
    const manifest = JSON.parse(await fs.readFile(path.join(fake, 'model.json'), 'utf8'));
    delete manifest.draft;
    await fs.writeFile(
      path.join(fake, 'model.json'),
      JSON.stringify({ ...manifest, family: 'svd-xt', name: 'SVD-XT stand-in', frameCounts: [25] }),
    );
    await page.getByTestId('render-model-path').fill(fake);
    await page.getByTestId('render-model-use').click();
    await expect.poll(() => card.textContent()).toMatch(/^SVD-XT stand-in/);
    await expect(page.getByTestId('render-blockers').textContent()).resolves.toMatch(
      /renders 25 frames natively; the track has 14/,
    );
    await expect(page.getByTestId('render-button').isDisabled()).resolves.toBe(true);
    await shot(page.getByTestId('render-panel'), 'render-frame-count');
    await page.getByTestId('render-model-kind').getByRole('radio', { name: /Draft/ }).click();
    await expect.poll(() => card.textContent()).toMatch(/DRAFT/);

    // The lambda editor follows the new step count: the Render button becomes available.
    await expect.poll(() => page.getByTestId('render-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await shot(page.getByTestId('render-panel'), 'render-settings');
    await page.getByTestId('render-panel').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot(page.getByTestId('render-panel'), 'render-settings-bottom');
    await page.getByTestId('render-panel').evaluate((el) => el.scrollTo(0, 0));
  });

  it('queues two renders with different seeds and lists both as done with thumbnails', async () => {
    await page.getByTestId('render-tab-queue').click();
    await page.getByTestId('render-variants').selectOption('2');
    await page.getByTestId('render-button').click();
    const jobs = page.getByTestId('job');
    await expect.poll(() => jobs.count(), { timeout: 30_000 }).toBe(2);
    const labels = await jobs.allTextContents();
    expect(labels.some((t) => /seed 1000/.test(t))).toBe(true);
    expect(labels.some((t) => /seed 1001/.test(t))).toBe(true);
    // A job runs: its progress (stage and percentage) and a live preview of the frames show on the card.
    await page
      .locator('[data-testid="job"][data-status="running"] [data-testid="job-progress"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await page
      .locator('[data-testid="job"][data-status="running"] [data-testid="job-preview"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await shot(page.getByTestId('render-panel'), 'queue-running');

    const done = page.locator('[data-testid="job"][data-status="done"]');
    await expect.poll(() => done.count(), { timeout: 110_000, interval: 500 }).toBe(2);
    const failed = await page.locator('[data-testid="job-error"]').allTextContents();
    expect(failed).toEqual([]);
    const thumbs = page.locator('[data-testid="history-list"] [data-testid="job-thumbnail"]');
    await expect.poll(() => thumbs.count(), { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() =>
        thumbs.evaluateAll((imgs) =>
          imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        ),
      )
      .toBe(true);
    // Each card shows its λ table and track by kind and hash: the two variants share both.
    const prints = await page.locator('[data-testid="history-list"] [data-testid="job-fingerprint"]').allTextContents();
    expect(prints).toHaveLength(2);
    expect(prints[0]).toMatch(/^λ \w+ #[0-9a-f]{8}.* · track \d+ keys? #[0-9a-f]{8}$/);
    expect(prints[1]).toBe(prints[0]);
    await shot(page.getByTestId('render-panel'), 'queue');
    await studio.screenshot('queue-page');
  }, 180_000);

  it('plays a render', async () => {
    await page.locator('[data-testid="job"][data-status="done"]').first().getByTestId('job-play').click();
    const video = page.getByTestId('play-video');
    await expect
      .poll(
        () => video.evaluate((v) => (v as HTMLVideoElement).readyState >= 2 && (v as HTMLVideoElement).videoWidth),
        { timeout: 20_000 },
      )
      .toBe(256);
    await page.waitForTimeout(300);
    await shot(page.getByTestId('play-modal'), 'play');
    const download = page.waitForEvent('download');
    await page.getByTestId('play-modal').getByRole('link', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toMatch(/seed100[01].*\.mp4$/);
    await page.keyboard.press('Escape');
    await page.getByTestId('play-modal').waitFor({ state: 'detached' });
  });

  it('shows a render’s sidecar', async () => {
    await page.locator('[data-testid="job"][data-status="done"]').first().getByTestId('job-sidecar').click();
    const json = page.getByTestId('sidecar-json');
    await expect.poll(() => json.textContent()).toMatch(/"seed": 100[01]/);
    await shot(page.getByTestId('sidecar-modal'), 'sidecar');
    await page.getByTestId('sidecar-modal').getByRole('button', { name: 'Close' }).last().click();
  });

  it('tells where a render is on disk (browser mode has no file manager to open)', async () => {
    await page.locator('[data-testid="job"][data-status="done"]').first().getByTestId('job-reveal').click();
    const toast = page.locator('.toast', { hasText: 'Saved at' }).last();
    await toast.waitFor();
    const shown = (await toast.textContent())!.match(/Saved at (\S+\.mp4)/)![1];
    await expect(fs.stat(shown).then((st) => st.size > 0)).resolves.toBe(true);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('compares two renders side by side on one clock', async () => {
    const done = page.locator('[data-testid="job"][data-status="done"]');
    await done.nth(0).getByTestId('job-compare').check();
    await done.nth(1).getByTestId('job-compare').check();
    await page.getByTestId('compare-button').click();
    const videos = page.getByTestId('compare-modal').getByTestId('compare-video');
    await expect.poll(() => videos.count(), { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() => videos.evaluateAll((vs) => vs.every((v) => (v as HTMLVideoElement).readyState >= 2)), {
        timeout: 20_000,
      })
      .toBe(true);
    // Play: both run on one clock (within a frame at 7 fps).
    await page.getByTestId('compare-play').click();
    await expect
      .poll(() =>
        videos.evaluateAll((vs) =>
          vs.every((v) => !(v as HTMLVideoElement).paused && (v as HTMLVideoElement).currentTime > 0.2),
        ),
      )
      .toBe(true);
    const [t0, t1] = await videos.evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime));
    expect(Math.abs(t0 - t1)).toBeLessThan(1 / 7);
    // Seek with the scrubber: both pause and show the same moment.
    await page.getByTestId('compare-modal').getByLabel('Time').fill('0.5');
    await expect
      .poll(() => videos.evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).currentTime)))
      .toEqual([0.5, 0.5]);
    await expect
      .poll(() =>
        videos.evaluateAll((vs) => vs.every((v) => !(v as HTMLVideoElement).seeking && (v as HTMLVideoElement).paused)),
      )
      .toBe(true);
    // What sets them apart is said: only the seed here (same λ table and track, by hash).
    const diff = await page.getByTestId('compare-differences').textContent();
    expect(diff).toMatch(/seed: 100[01] → 100[01]/);
    expect(diff).not.toMatch(/λ table|track/);
    await page.waitForTimeout(300); // the seeked frame reaches the compositor
    await shot(page.getByTestId('compare-modal'), 'compare');
    await page.keyboard.press('Escape');
    await page.getByTestId('compare-modal').waitFor({ state: 'detached' });
  });

  it('shows a render the engine crash stopped as interrupted, and restarts it', async () => {
    // Long enough to be caught mid-render: 25 steps (the lambda table follows).
    await page.getByTestId('render-tab-settings').click();
    await setField(page, 'render-steps', '25');
    await expect.poll(() => page.getByTestId('render-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('render-tab-queue').click();
    await page.getByTestId('render-variants').selectOption('1');
    await page.getByTestId('render-button').click();
    const running = page.locator('[data-testid="job"][data-status="running"]');
    await running.waitFor({ timeout: 60_000 });
    const id = await running.getAttribute('data-job-id');
    await expect
      .poll(() => running.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 60_000 })
      .not.toBe('0');
    studio.server.relay.crashForTest();

    const job = page.locator(`[data-testid="job"][data-job-id="${id}"]`);
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 60_000 }).toBe('interrupted');
    await expect(job.textContent()).resolves.toMatch(/the engine quit mid-render/);
    await shot(page.getByTestId('render-panel'), 'queue-interrupted');
    // The two earlier renders are still listed as done.
    await expect(page.locator('[data-testid="history-list"] [data-testid="job"]').count()).resolves.toBe(2);

    await job.getByTestId('job-restart').click();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    await expect.poll(() => page.locator('[data-testid="history-list"] [data-testid="job"]').count()).toBe(3);
    // The only page errors allowed are the crash's own (the toast and any call the crash cut off).
    expect(studio.errors.filter((e) => !/stopped unexpectedly/.test(e))).toEqual([]);
  }, 240_000);

  it('reorders queued renders, cancels one and removes it', async () => {
    // Renders of seconds each on any machine (a slow variant of the draft model: the same frames,
    // more work a step), so the two behind the first are still waiting when they are reordered and cancelled.
    const slow = path.join(studio.workspace, 'slow-draft');
    await writeSlowDraftModel(slow, 1000);
    await page.getByTestId('render-tab-settings').click();
    await page.getByTestId('render-model-kind').getByRole('radio', { name: 'Model folder' }).click();
    await page.getByTestId('render-model-path').fill(slow);
    await page.getByTestId('render-model-use').click();
    await expect.poll(() => page.getByTestId('render-model-card').textContent()).toMatch(/slow test variant/);
    await setField(page, 'render-steps', '25');
    await setField(page, 'render-seed', '2000');
    await page.getByTestId('render-tab-queue').click();
    await expect.poll(() => page.getByTestId('render-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('render-variants').selectOption('3');
    await page.getByTestId('render-button').click();
    const queue = page.getByTestId('queue-list').getByTestId('job');
    // The first may already be rendering (or even done): the two that wait are what is reordered.
    const waiting = () =>
      queue.evaluateAll((els) =>
        els.map((e) => /seed (\d+)/.exec(e.textContent ?? '')?.[1]).filter((s) => s !== '2000'),
      );
    await expect.poll(waiting, { timeout: 30_000 }).toEqual(['2001', '2002']);

    // The last one moves above the other: the engine answers with the new order.
    await queue.filter({ hasText: 'seed 2002' }).getByRole('button', { name: 'Move up' }).click();
    await expect.poll(waiting).toEqual(['2002', '2001']);
    // The one now last is cancelled while it waits, then removed from the list.
    const last = page.locator('[data-testid="job"]').filter({ hasText: 'seed 2001' });
    await last.getByTestId('job-cancel').click();
    await expect.poll(() => last.getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    await expect(last.getByTestId('job-restart').count()).resolves.toBe(1);
    await last.getByTestId('job-remove').click();
    // Creating an ONNX Runtime session holds the engine host's thread (about 1 s for this model's
    // 1000 extra convolutions, measured): the removal may land after the next render's load.
    await expect.poll(() => last.count(), { timeout: 30_000 }).toBe(0);

    // The others render in the new order: both end up done, 2000 then 2002, so the history (newest
    // first) starts with 2002.
    const history = page.getByTestId('history-list').getByTestId('job');
    await expect.poll(() => page.getByTestId('queue-list').count(), { timeout: 120_000, interval: 500 }).toBe(0);
    const done = await history.evaluateAll((els) => els.map((e) => /seed (\d+)/.exec(e.textContent ?? '')?.[1]));
    expect(done.slice(0, 2)).toEqual(['2002', '2000']);
    await page.getByTestId('render-tab-settings').click();
    await page.getByTestId('render-model-kind').getByRole('radio', { name: /Draft/ }).click();
    await expect.poll(() => page.getByTestId('render-model-card').textContent()).toMatch(/DRAFT/);
  }, 180_000);

  it('shows the engine’s message on a failed render, and restarts it once the cause is fixed', async () => {
    // The project's depth file disappears: the render fails when it loads its inputs.
    const assets = path.join(studio.workspace, 'Orbit.camtrack', 'assets');
    const depth = (await fs.readdir(assets)).find((f) => f.endsWith('.npy'))!;
    await fs.rename(path.join(assets, depth), path.join(assets, `${depth}.aside`));
    await page.getByTestId('render-tab-settings').click();
    await setField(page, 'render-steps', '4');
    await page.getByTestId('render-tab-queue').click();
    await page.getByTestId('render-variants').selectOption('1');
    await expect.poll(() => page.getByTestId('render-button').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('render-button').click();
    // The earlier renders are done: the only failed job is this one.
    const fresh = page.locator('[data-testid="job"][data-status="failed"]');
    await fresh.waitFor({ timeout: 60_000 });
    const message = await fresh.getByTestId('job-error').textContent();
    expect(message).toMatch(/depth/i);
    await shot(page.getByTestId('render-panel'), 'queue-failed');

    await fs.rename(path.join(assets, `${depth}.aside`), path.join(assets, depth));
    await fresh.getByTestId('job-restart').click();
    await expect
      .poll(() => page.locator('[data-testid="job"][data-status="failed"]').count(), { timeout: 60_000 })
      .toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="history-list"] [data-testid="job"]').count(), { timeout: 60_000 })
      .toBe(6);
    expect(studio.errors.filter((e) => !/stopped unexpectedly/.test(e))).toEqual([]);
  }, 180_000);
});
