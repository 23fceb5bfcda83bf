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

  it('fills a selection and sets typed values exactly where they should land', async () => {
    const before = await exportTable(page);
    await page.getByRole('radio', { name: /Select/ }).click();
    const a = await cellPoint(page, before, 10, 12);
    const b = await cellPoint(page, before, 12, 15);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('lambda-value').fill('0.25');
    await page.getByTestId('lambda-value').press('Enter');
    const filled = await exportTable(page);
    const region: string[] = [];
    for (let i = 10; i <= 12; i++) for (let f = 12; f <= 15; f++) region.push(`${i},${f}`);
    expect(diff(before, filled).sort()).toEqual(region.filter((k) => before.lambda[+k.split(',')[0]][+k.split(',')[1]] !== 0.25).sort());
    for (const k of region) expect(filled.lambda[+k.split(',')[0]][+k.split(',')[1]]).toBe(0.25);

    // A click moves the cell cursor; typing a number and Enter sets that cell.
    const c = await cellPoint(page, before, 2, 20);
    await page.mouse.click(c.x, c.y);
    await page.keyboard.type('0.4');
    await expect(page.locator('.lh-typing').textContent()).resolves.toContain('0.4');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lambda-live').textContent()).resolves.toBe('step 2, σ 422, frame 20, λ 0.400');
    // Arrow keys move the cursor: one step down, then type.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('0.6');
    await page.keyboard.press('Enter');
    const typed = await exportTable(page);
    expect(diff(filled, typed)).toEqual(['2,20', '3,20']);
    expect([typed.lambda[2][20], typed.lambda[3][20]]).toEqual([0.4, 0.6]);
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/lambda-editor-selection.png' });
  });

  it('resamples to a new frame count keeping the painted region, and undoes both together', async () => {
    const before = await exportTable(page);
    const field = page.getByTestId('frame-count');
    await field.fill('49');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('25 steps × 49 frames');
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringMatching(/resampled from 25 × 25 to 25 steps × 49 frames/));
    const after = await exportTable(page);
    expect(after.frames).toBe(49);
    // Old frame f sits at new frame 2f: the filled block (frames 12..15) spans new frames 24..30.
    for (let i = 10; i <= 12; i++) for (let f = 24; f <= 30; f++) expect(after.lambda[i][f]).toBeCloseTo(0.25, 12);
    expect(after.lambda[2][40]).toBeCloseTo(0.4, 12);
    expect(after.lambda[3][40]).toBeCloseTo(0.6, 12);
    for (let i = 0; i < 25; i++) expect(after.lambda[i][0]).toBe(1);
    await page.waitForTimeout(200);
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/lambda-editor-resampled.png' });

    await page.getByTestId('lambda-grid').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('25 steps × 25 frames');
    expect(await exportTable(page)).toEqual(before);
    await expect(field.inputValue()).resolves.toBe('25');
  });

  it('refuses a bad file with the parser\'s message and resamples a table of another shape', async () => {
    const before = await exportTable(page);
    await page.getByTestId('lambda-import').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('0.5,abc\n') });
    await expect.poll(() => page.locator('.toast--error').allTextContents()).toContainEqual(expect.stringContaining('bad.csv: line 1, column 2 is "abc", not a number.'));
    expect(await exportTable(page)).toEqual(before);
    const rows = Array.from({ length: 50 }, () => [1, ...Array.from({ length: 24 }, (_, f) => (f + 1) / 24)].join(',')).join('\n');
    await page.getByTestId('lambda-import').setInputFiles({ name: 'ramp.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
    await expect.poll(() => page.locator('.toast--success').allTextContents()).toContainEqual(expect.stringContaining('Imported ramp.csv (50 × 25), resampled to 25 steps × 25 frames.'));
    const imported = await exportTable(page);
    for (let f = 1; f < 25; f++) expect(imported.lambda[7][f]).toBeCloseTo(f / 24, 12);
  });

  it('the default preset: (v1, v2, v3) editable, an invalid triple refused with the table unchanged', async () => {
    await page.getByRole('button', { name: 'Reset to default' }).click();
    await expect(page.getByTestId('lambda-v1').inputValue()).resolves.toBe('0.001');
    const def = await exportTable(page);
    await page.getByTestId('lambda-v3').fill('50');
    await page.getByTestId('lambda-v3').press('Enter');
    const v3 = await exportTable(page);
    expect(diff(def, v3).length).toBeGreaterThan(0);
    await page.getByTestId('lambda-v1').fill('0.5');
    await page.getByTestId('lambda-v1').press('Enter');
    await expect(page.getByTestId('lambda-preset-error').textContent()).resolves.toContain('table is unchanged');
    expect(await exportTable(page)).toEqual(v3);
    await expect(page.getByTestId('lambda-v1').inputValue()).resolves.toBe('0.001');
  });

  it('paints with a soft brush on a 100-frame table (screenshot)', async () => {
    const field = page.getByTestId('frame-count');
    await field.fill('100');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('25 steps × 100 frames');
    await page.getByRole('radio', { name: /Brush/ }).click();
    await page.getByRole('radio', { name: 'Set' }).click();
    await page.getByTestId('brush-amount').fill('0.55');
    await page.getByTestId('brush-amount').press('Enter');
    const size = page.getByRole('slider', { name: 'Size' });
    await size.focus();
    for (let k = 0; k < 8; k++) await size.press('ArrowRight');
    const t = { steps: 25, frames: 100 };
    const pts = [[3, 20], [10, 40], [16, 55], [20, 85]];
    const p0 = await cellPoint(page, t, pts[0][0], pts[0][1]);
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    for (const [r, c] of pts.slice(1)) {
      const p = await cellPoint(page, t, r, c);
      await page.mouse.move(p.x, p.y, { steps: 15 });
    }
    await page.mouse.up();
    const hover = await cellPoint(page, t, 12, 70);
    await page.mouse.move(hover.x, hover.y);
    await page.waitForTimeout(200);
    await expect(page.getByTestId('lambda-readout').textContent()).resolves.toMatch(/^step 12, σ [0-9.]+, frame 70, λ /);
    await studio.screenshot('lambda-studio');
    await page.getByTestId('lambda-editor').screenshot({ path: 'e2e/artifacts/lambda-editor-100.png' });
    expect(studio.errors).toEqual([]);
  });
});
