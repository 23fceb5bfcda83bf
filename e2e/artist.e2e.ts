import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchStudio, menu, idle, answerUnsaved, canvasColours, ARTIFACTS, type Studio } from './harness';
import { computeLayout } from '../src-renderer/components/lambda/raster';
import { probeVideo } from '../src-main/engine/video/probe';
import { writeSlowDraftModel } from '../src-main/test/slowDraftModel';

/**
 * The artist's round (issue 25) in Chromium, from the welcome view's sample: λ explained (Help
 * page, readout in words), a preset over a painted table with its Undo toast, what a preview
 * ignores (settings, λ header, seeds, Compare), the history (newest first, format and size, export
 * to GIF at 24 fps read back by ffprobe), a reload that keeps the project and its running render,
 * the unsaved prompt's Save, Ctrl+Z in a number field, and no recovery prompt after undoing back
 * to the saved state. Screenshots: e2e/artifacts/artist-*.png.
 */

async function shot(el: Locator, name: string): Promise<void> {
  await el.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Closes the toasts floating over the panels, so a screenshot shows what is under them. */
async function closeToasts(page: Page): Promise<void> {
  for (const close of await page.locator('.toast button[aria-label="Dismiss"]').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
}

/** Page coordinates of the centre of cell (row, col), from the editor's own layout. */
async function cellPoint(page: Page, steps: number, frames: number, row: number, col: number) {
  const box = (await page.getByTestId('lambda-canvas').boundingBox())!;
  const l = computeLayout(Math.floor(box.width), Math.floor(box.height), 1, steps, frames);
  return {
    x: box.x + l.mapX + ((col + 0.5) / frames) * l.mapW,
    y: box.y + l.mapY + ((row + 0.5) / steps) * l.mapH,
  };
}

const history = (page: Page) => page.getByTestId('history-list').getByTestId('job');

async function renderAndWait(page: Page): Promise<void> {
  const before = await history(page).count();
  await page.getByTestId('render-button').click();
  await expect.poll(() => history(page).count(), { timeout: 60_000 }).toBe(before + 1);
}

describe('the artist round', () => {
  let studio: Studio;
  let page: Page;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
    await page.getByTestId('welcome-sample').click();
    await page.getByTestId('image-size').waitFor({ timeout: 30_000 });
    await idle(page);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('explains λ: a Help page with a drawing, and a readout in words under the pointer', async () => {
    await page.getByTestId('lambda-help-button').click();
    const help = page.getByTestId('lambda-help-dialog');
    await help.waitFor();
    const text = (await help.textContent()) ?? '';
    expect(text).toContain('High (toward 1): the frame follows the warped photo closely');
    expect(text).toContain('Low (toward 0): the model is free to invent');
    expect(text).toContain('Why the default ramps down over the steps');
    expect(text).toContain('A column is one frame');
    expect(text).toContain('A row is one step');
    await expect(help.locator('svg.lhelp__art').count()).resolves.toBe(1);
    await shot(help, 'artist-lambda-help');
    await page.keyboard.press('Escape');
    // The same page from the Help menu.
    await menu(page, 'Help', 'Lambda Explained');
    await help.waitFor();
    await page.keyboard.press('Escape');
    await expect(help.count()).resolves.toBe(0);

    const shape = (await page.getByTestId('lambda-shape').textContent()) ?? '';
    const [, steps, frames] = /(\d+) steps × (\d+) frames/.exec(shape)!.map(Number);
    const p = await cellPoint(page, steps, frames, 2, 5);
    await page.mouse.move(p.x, p.y);
    await expect
      .poll(() => page.getByTestId('lambda-readout').textContent())
      .toBe(`step 3 of ${steps} (σ 422), frame 5: 1.00, the frame keeps to the warped photo wherever it has pixels`);
    const late = await cellPoint(page, steps, frames, steps - 1, frames - 1);
    await page.mouse.move(late.x, late.y);
    await expect
      .poll(() => page.getByTestId('lambda-readout').textContent())
      .toMatch(
        new RegExp(
          `^step ${steps} of ${steps} \\(σ 0\\.002\\), frame ${frames - 1}: 0\\.00, the model is free to invent$`,
        ),
      );
    await shot(page.getByTestId('lambda-editor'), 'artist-lambda-readout');
  });

  it('a preset over a painted table says so, with Undo that brings the painting back', async () => {
    const shape = (await page.getByTestId('lambda-shape').textContent()) ?? '';
    const [, steps, frames] = /(\d+) steps × (\d+) frames/.exec(shape)!.map(Number);
    const c = await cellPoint(page, steps, frames, 3, 6);
    await page.mouse.click(c.x, c.y);
    await page.keyboard.type('0.3');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('painted');
    await page.getByTestId('lambda-preset').selectOption('constant');
    const toast = page.getByTestId('toast').filter({ hasText: 'replaced your painted λ table' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('The constant preset replaced your painted λ table.');
    await expect(page.getByTestId('lambda-shape').textContent()).resolves.toContain('constant');
    await studio.screenshot('artist-preset-undo-toast');
    await toast.getByTestId('toast-action').click();
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('painted');
    await expect(page.getByTestId('lambda-live').textContent()).resolves.toContain('frame 6: 0.30');
    // A preset over a preset replaces nothing painted: no toast.
    await page.getByTestId('lambda-preset').selectOption('default');
    await closeToasts(page);
    await page.getByTestId('lambda-preset').selectOption('constant');
    await page.waitForTimeout(300);
    await expect(page.getByTestId('toast').filter({ hasText: 'The constant preset replaced' }).count()).resolves.toBe(
      0,
    );
  });

  it('a preview says it ignores seed and λ, queues one render for any seed count, and Compare says what had no effect', async () => {
    await expect(page.getByTestId('lambda-preview-note').textContent()).resolves.toBe('Previews ignore λ');
    await expect(page.getByTestId('render-variants').isDisabled()).resolves.toBe(true);
    await page.getByTestId('render-tab-settings').click();
    const note = page.getByTestId('render-preview-ignores');
    await expect(note.textContent()).resolves.toContain('the seed');
    await expect(note.textContent()).resolves.toContain('the λ table, do not change it');
    await shot(page.getByTestId('render-panel'), 'artist-preview-ignores');
    await page.getByTestId('render-tab-queue').click();

    // Two previews: the constant table now, the default table next. Same picture.
    await renderAndWait(page);
    await page.getByTestId('lambda-preset').selectOption('default');
    await renderAndWait(page);
    const cards = history(page);
    await expect(cards.count()).resolves.toBe(2);
    // Newest first; each card says its format and size.
    const labels = await cards.locator('.job__fingerprint').allTextContents();
    expect(labels[0]).toMatch(/^λ default /);
    expect(labels[1]).toMatch(/^λ constant /);
    for (const f of await cards.getByTestId('job-file').allTextContents())
      expect(f).toMatch(/^MP4 · \d+(\.\d)? (KB|MB)$/);

    await cards.nth(0).getByTestId('job-compare').check();
    await cards.nth(1).getByTestId('job-compare').check();
    await page.getByTestId('compare-button').click();
    const modal = page.getByTestId('compare-modal');
    await modal.waitFor();
    await expect(modal.getByTestId('compare-same').textContent()).resolves.toBe(
      'Same picture: these previews differ only in settings a preview does not use.',
    );
    const none = (await modal.getByTestId('compare-no-effect').textContent()) ?? '';
    expect(none).toContain('No effect on a preview');
    expect(none).toMatch(/λ table: default #[0-9a-f]{8} → constant #[0-9a-f]{8}/);
    await shot(modal, 'artist-compare-previews');
    await page.keyboard.press('Escape');
    // Both mp4s are the same bytes: the λ table did not change the preview.
    const dir = (await projectDir(studio))!;
    const mp4s = (await fs.readdir(path.join(dir, 'renders'))).filter((n) => n.endsWith('.mp4'));
    expect(mp4s).toHaveLength(2);
    const [a, b] = await Promise.all(mp4s.map((n) => fs.readFile(path.join(dir, 'renders', n))));
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('exports a finished render from its card to GIF at 24 fps, with progress, without rendering again', async () => {
    const card = history(page).nth(0);
    await card.getByTestId('job-export-button').click();
    const modal = page.getByTestId('export-render-modal');
    await modal.waitFor();
    await modal.getByTestId('export-format-gif').check();
    await modal.getByTestId('export-fps-24').check();
    const summary = (await modal.getByTestId('export-summary').textContent()) ?? '';
    expect(summary).toMatch(/^48 frames, 2\.0 s\. The 34 new frames follow the motion/);
    expect(summary).toContain("Read from the render's lossless master: nothing is compressed twice.");
    await shot(modal, 'artist-export-dialog');
    await modal.getByTestId('export-start').click();
    const made = card.getByTestId('job-export-file');
    await expect.poll(() => made.textContent(), { timeout: 90_000 }).toMatch(/^GIF · 24 fps · \d+(\.\d)? (KB|MB)/);
    await expect(made.locator('.job__exportname').getAttribute('title')).resolves.toMatch(
      /-24fps\.gif\n48 frames, the frames in between made by interpolation$/,
    );
    await page.keyboard.press('Escape');
    await closeToasts(page);
    await shot(page.getByTestId('render-panel'), 'artist-history');

    const dir = (await projectDir(studio))!;
    const gif = (await fs.readdir(path.join(dir, 'renders'))).find((n) => n.endsWith('-24fps.gif'))!;
    const probe = await probeVideo(path.join(dir, 'renders', gif));
    expect(probe).toMatchObject({ codec: 'gif', frames: 48 });
    // GIF delays are whole centiseconds: 24 fps is stored as about 23.98.
    expect(probe.fps).toBeCloseTo(24, 0);
    const sidecar = JSON.parse(await fs.readFile(path.join(dir, 'renders', `${gif}.json`), 'utf8'));
    expect(sidecar.kind).toBe('camtrack-export');
    expect(sidecar.source.readFrom).toBe('master');
    expect(sidecar.interpolation).toMatchObject({ method: 'minterpolate', fromFps: 7, toFps: 24 });
  });

  it('a reload returns to the project with its running render, shown in the header while its card is out of sight', async () => {
    // A render still running after the reload on any machine: 1000 steps of a slow variant of the
    // draft model (the same output, a few hundred milliseconds a step).
    const slow = path.join(studio.workspace, 'slow-draft');
    await writeSlowDraftModel(slow, 300);
    await page.getByTestId('render-tab-settings').click();
    await page.getByTestId('render-model-kind').getByRole('radio', { name: 'Model folder' }).click();
    await page.getByTestId('render-model-path').fill(slow);
    await page.getByTestId('render-model-use').click();
    await expect.poll(() => page.getByTestId('render-model-card').textContent()).toMatch(/slow test variant/);
    const steps = page.getByTestId('render-steps');
    await steps.fill('1000');
    await steps.press('Enter');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('1000 steps');
    await page.getByTestId('render-tab-queue').click();
    await page.getByTestId('render-button').click();
    // The edits are in the project's autosave (2 s after the last one) before the reload.
    const autosave = path.join((await projectDir(studio))!, 'project.autosave.json');
    await expect
      .poll(async () => (await fs.readFile(autosave, 'utf8').catch(() => '')).includes('"steps":1000'), {
        timeout: 15_000,
      })
      .toBe(true);
    const running = page.locator('[data-testid="job"][data-status="running"]');
    await running.waitFor({ timeout: 30_000 });
    const title = await page.getByTestId('project-title').textContent();
    expect(title).toMatch(/^●Synthetic orbit/);

    await page.reload();
    await page.waitForSelector('[data-testid="statusbar"]');
    // The sample was never saved: its edits come back from the autosave, as after any reload.
    const recovery = page.getByTestId('recovery-dialog');
    await recovery.waitFor({ timeout: 30_000 });
    await recovery.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toBe(title);
    await expect(page.getByTestId('welcome').count()).resolves.toBe(0);
    await expect(page.getByTestId('lambda-shape').textContent()).resolves.toContain('1000 steps');
    // The queue is back: two previews done, the draft render still running.
    await expect
      .poll(
        () => page.locator('[data-testid="job"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['running', 'done', 'done']);
    // In the settings tab the card is out of sight: the header shows the render.
    await page.getByTestId('render-tab-settings').click();
    const now = page.getByTestId('render-now');
    await now.waitFor();
    expect(await now.textContent()).toMatch(/^Rendering.*denoise step \d+ of 1000/);
    await shot(page.getByTestId('render-panel'), 'artist-running-after-reload');
    await now.click();
    await expect.poll(() => page.getByTestId('render-tab-queue').getAttribute('aria-selected')).toBe('true');
    await running.getByTestId('job-cancel').click();
    await expect.poll(() => running.count(), { timeout: 30_000 }).toBe(0);
  });

  it('the unsaved prompt saves: Save As names the project, then the new one opens', async () => {
    await menu(page, 'File', 'New');
    const prompt = page.getByTestId('unsaved-dialog');
    await prompt.waitFor();
    await shot(prompt, 'artist-unsaved-prompt');
    await page.getByTestId('unsaved-save').click();
    const name = page.getByRole('textbox', { name: 'Project name' });
    await name.fill('Shot');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toBe('Untitled');
    expect(existsSync(path.join(studio.workspace, 'Shot.camtrack', 'project.json'))).toBe(true);
  });

  it('Ctrl+Z in a number field drops typed text, then undoes; undoing back to the saved state leaves nothing to recover', async () => {
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /^Shot/ }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toBe('Shot');
    await page.getByTestId('render-tab-settings').click();
    const seed = page.getByTestId('render-seed');
    const saved = await seed.inputValue();
    await seed.fill('777');
    await seed.press('Enter');
    await expect.poll(() => page.locator('.titlebar .dirty').count()).toBe(1);
    // Typed but not entered: Ctrl+Z drops the typing, the project keeps 777.
    await seed.fill('12');
    await seed.press('Control+z');
    await expect(seed.inputValue()).resolves.toBe('777');
    // Nothing pending: Ctrl+Z, still in the field, undoes the project's change.
    const autosave = path.join(studio.workspace, 'Shot.camtrack', 'project.autosave.json');
    await expect.poll(() => existsSync(autosave), { timeout: 15_000 }).toBe(true);
    await seed.press('Control+z');
    await expect.poll(() => seed.inputValue()).toBe(saved);
    await expect.poll(() => page.locator('.titlebar .dirty').count()).toBe(0);
    // Back to the saved state: the autosave goes, and a reload reopens Shot with no recovery prompt.
    await expect.poll(() => existsSync(autosave), { timeout: 15_000 }).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toBe('Shot');
    await page.waitForTimeout(500);
    await expect(page.getByTestId('recovery-dialog').count()).resolves.toBe(0);
    // The whole project is back: the photo lifted by its depth in the 3D view.
    await expect
      .poll(() => canvasColours(page, '[data-testid="viewport"] canvas'), { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(40);
    await idle(page);
    await studio.screenshot('artist-reopened-after-reload');
    expect(await answerUnsaved(page)).toBe(false);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});

/** The open project's working folder: the one Untitled folder with renders in the studio's data. */
async function projectDir(studio: Studio): Promise<string | null> {
  const root = path.join(studio.dataDir, 'untitled');
  for (const n of await fs.readdir(root).catch(() => [] as string[]))
    if (existsSync(path.join(root, n, 'renders'))) return path.join(root, n);
  return null;
}
