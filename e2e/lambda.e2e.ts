import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchStudio, type Studio } from './harness';
import { computeLayout } from '../src-renderer/components/lambda/raster';

/**
 * The lambda heatmap editor in Chromium: painting, undo, selection fill, typed values, resampling
 * on a new frame count, import refusal; every table is read back through the editor's own JSON
 * export (the download the artist would get).
 */
interface Table {
  steps: number;
  frames: number;
  lambda: number[][];
}

async function exportTable(page: Page): Promise<Table> {
  const download = page.waitForEvent('download');
  await page.getByTestId('lambda-export').click();
  const d = await download;
  expect(d.suggestedFilename()).toMatch(/^lambda_\d+x\d+\.json$/);
  return JSON.parse(await fs.readFile((await d.path())!, 'utf8')) as Table;
}

/** Page coordinates of the centre of cell (row, col), from the editor's own layout. */
async function cellPoint(page: Page, table: { steps: number; frames: number }, row: number, col: number, dr = 0.5, dc = 0.5): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('lambda-canvas').boundingBox())!;
  const l = computeLayout(Math.floor(box.width), Math.floor(box.height), 1, table.steps, table.frames);
  return { x: box.x + l.mapX + ((col + dc) / table.frames) * l.mapW, y: box.y + l.mapY + ((row + dr) / table.steps) * l.mapH };
}

/** Cells where two tables differ, as "row,col". */
function diff(a: Table, b: Table): string[] {
  const out: string[] = [];
  a.lambda.forEach((r, i) => r.forEach((v, f) => v !== b.lambda[i][f] && out.push(`${i},${f}`)));
  return out;
}

async function setSliderToMin(page: Page, label: string): Promise<void> {
  const s = page.getByRole('slider', { name: label });
  await s.focus();
  await s.press('Home');
}

describe('lambda heatmap editor', () => {
  let studio: Studio;
  let page: Page;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
    await page.getByTestId('lambda-canvas').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the default table, labelled, with its legend', async () => {
    await expect(page.getByTestId('lambda-shape').textContent()).resolves.toContain('25 steps × 25 frames');
    await expect(page.getByTestId('lambda-grid').getAttribute('aria-label')).resolves.toMatch(/25 denoising steps .* by 25 frames/);
    await page.waitForTimeout(300);
    await studio.screenshot('lambda-default');
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/lambda-editor-default.png' });
  });

  it('paints a stroke that changes exactly the cells it crossed; undo restores the table exactly', async () => {
    const before = await exportTable(page);
    await page.getByRole('radio', { name: 'Add' }).click();
    await page.getByTestId('brush-amount').fill('0.1');
    await page.getByTestId('brush-amount').press('Enter');
    await setSliderToMin(page, 'Size');
    await setSliderToMin(page, 'Falloff');
    const from = await cellPoint(page, before, 5, 3);
    const to = await cellPoint(page, before, 5, 10);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    const after = await exportTable(page);
    const expected = Array.from({ length: 8 }, (_, k) => `5,${3 + k}`);
    expect(diff(before, after)).toEqual(expected);
    for (let f = 3; f <= 10; f++) expect(after.lambda[5][f]).toBeCloseTo(Math.min(1, before.lambda[5][f] + 0.1), 12);
    await expect(page.getByTestId('lambda-shape').textContent()).resolves.toContain('painted');
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/lambda-editor-painted.png' });

    // One stroke, one undo step: the exact previous table.
    await page.getByTestId('lambda-grid').focus();
    await page.keyboard.press('Control+z');
    const undone = await exportTable(page);
    expect(undone).toEqual(before);
    await page.keyboard.press('Control+Shift+z');
    expect(await exportTable(page)).toEqual(after);
  });
});
