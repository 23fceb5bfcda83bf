import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menu, type Studio } from './harness';
import { computeLayout, WINDOW_BAND } from '../src-renderer/components/lambda/raster';

/**
 * Tracks longer than the model in Chromium: the 360° orbit preset on the sample makes a 96-frame
 * track that renders in five 25-frame windows; the lambda editor shows the windows and edits them
 * together (one edit lands on the same frame of every window) or apart; the queue shows the window
 * being rendered. Tables are read back through the editor's JSON export.
 */
interface Table {
  steps: number;
  frames: number;
  lambda: number[][];
}

async function exportTable(page: Page): Promise<Table> {
  const download = page.waitForEvent('download');
  await page.getByTestId('lambda-export').click();
  return JSON.parse(await fs.readFile((await (await download).path())!, 'utf8')) as Table;
}

/** Page coordinates of cell (row, col) in a map laid out with the window strip. */
async function cellPoint(
  page: Page,
  t: { steps: number; frames: number },
  row: number,
  col: number,
): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('lambda-canvas').boundingBox())!;
  const l = computeLayout(Math.floor(box.width), Math.floor(box.height), 1, t.steps, t.frames, WINDOW_BAND);
  return {
    x: box.x + l.mapX + ((col + 0.5) / t.frames) * l.mapW,
    y: box.y + l.mapY + ((row + 0.5) / t.steps) * l.mapH,
  };
}

function diff(a: Table, b: Table): string[] {
  const out: string[] = [];
  a.lambda.forEach((r, i) => r.forEach((v, f) => v !== b.lambda[i][f] && out.push(`${i},${f}`)));
  return out;
}

async function dab(page: Page, t: Table, row: number, col: number): Promise<void> {
  const p = await cellPoint(page, t, row, col);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.up();
}

describe('a track in windows', () => {
  let studio: Studio;
  let page: Page;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
    await menu(page, 'File', 'Open Sample Project');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="project-title"]')?.textContent?.includes('Synthetic orbit'),
    );
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('the 360° orbit preset makes 96 frames that render in five windows, shown on the timeline and in the lambda editor', async () => {
    await page.getByTestId('preset-kind').selectOption('orbit360');
    await expect(page.getByTestId('preset-frames').inputValue()).resolves.toBe('96');
    await page.getByTestId('apply-preset').click();
    await expect.poll(() => page.getByTestId('frame-count').inputValue()).toBe('96');
    await expect
      .poll(() => page.getByTestId('frame-count-windows').textContent())
      .toBe('Windows of 25 frames (render settings): renders in 5 overlapping windows of 25.');
    await expect
      .poll(() => page.getByTestId('lambda-windows').textContent())
      .toContain('5 windows of 25 frames, overlap 4 (0–24, 21–45, 42–66, 63–87, 71–95)');
    await expect(page.getByTestId('lambda-shape').textContent()).resolves.toContain('× 96 frames');
    await page.waitForTimeout(300);
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/windows-lambda-editor.png' });
    await studio.screenshot('windows-orbit360');
  });

  it('together: one brush dab lands on the same frame of every window; undo takes it back; apart: only the cell', async () => {
    await page.getByRole('radio', { name: 'Set' }).click();
    await page.getByTestId('brush-amount').fill('0.125');
    await page.getByTestId('brush-amount').press('Enter');
    for (const label of ['Size', 'Falloff']) {
      const s = page.getByRole('slider', { name: label });
      await s.focus();
      await s.press('Home');
    }
    const before = await exportTable(page);
    expect([before.steps, before.frames]).toEqual([25, 96]);

    await page.getByTestId('windows-together').click();
    await expect(page.getByTestId('windows-together').getAttribute('aria-checked')).resolves.toBe('true');
    await dab(page, before, 5, 10);
    const together = await exportTable(page);
    // Window 1's frame 10 in windows starting at 0, 21, 42, 63 and 71.
    expect(diff(before, together)).toEqual(['5,10', '5,31', '5,52', '5,73', '5,81']);
    for (const f of [10, 31, 52, 73, 81]) expect(together.lambda[5][f]).toBe(0.125);
    // The readout names where the hovered frame is in the windows.
    const hover = await cellPoint(page, before, 5, 22);
    await page.mouse.move(hover.x, hover.y);
    await expect
      .poll(() => page.getByTestId('lambda-readout').textContent())
      .toContain('frame 22 (window 1 frame 22, window 2 frame 1)');
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/windows-lambda-together.png' });

    await page.getByTestId('lambda-grid').focus();
    await page.keyboard.press('Control+z');
    expect(await exportTable(page)).toEqual(before);

    await page.getByTestId('windows-apart').click();
    await dab(page, before, 7, 12);
    expect(diff(before, await exportTable(page))).toEqual(['7,12']);
  });

  it('renders the orbit preview in windows: the queue names each window, the sidecar lists them', async () => {
    // Every progress line the job shows, as it shows it.
    await page.evaluate(() => {
      const w = window as unknown as { stages: string[] };
      w.stages = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.job__stage')) if (el.textContent) w.stages.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('render-button').click();
    const job = page.getByTestId('history-list').getByTestId('job').first();
    await job.waitFor({ timeout: 120_000 });
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    const stages = await page.evaluate(() => (window as unknown as { stages: string[] }).stages);
    const windows = [...new Set(stages.map((s) => /window (\d)\/5/.exec(s)?.[1]).filter(Boolean))];
    console.log(`queue lines seen: ${[...new Set(stages)].slice(0, 12).join(' | ')}`);
    expect(windows).toEqual(['1', '2', '3', '4', '5']);

    const untitled = path.join(studio.dataDir, 'untitled');
    const sampleDir = (await fs.readdir(untitled)).find((n) => n.startsWith('Sample-'))!;
    const rendersDir = path.join(untitled, sampleDir, 'renders');
    const sidecar = (await fs.readdir(rendersDir)).find((n) => n.endsWith('.mp4.json'))!;
    const side = JSON.parse(await fs.readFile(path.join(rendersDir, sidecar), 'utf8'));
    expect(side.windows.list).toHaveLength(5);
    expect(side.output.frames).toBe(96);
  }, 180_000);
});
