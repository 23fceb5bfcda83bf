import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menu, idle, ROOT, type Studio } from './harness';

/** The interaction traps a newcomer met (issue 14): menus, names, icons, fields, the 3D view and a 1000-frame heatmap. */
describe('a newcomer finds the studio unsurprising', () => {
  let studio: Studio;
  let page: Page;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
    cpSync(path.join(ROOT, 'assets/samples/synthetic-orbit.camtrack'), path.join(studio.workspace, 'Orbit.camtrack'), {
      recursive: true,
    });
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Orbit/ }).click();
    await page.getByTestId('image-size').waitFor();
    await idle(page);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
  });

  it('closes an open menu with Escape, and the key goes no further', async () => {
    await page.getByRole('button', { name: 'File', exact: true }).click();
    await expect(page.getByRole('menu').count()).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'File', exact: true }).getAttribute('aria-expanded')).resolves.toBe(
      'false',
    );
  });

  it('draws transport and tool icons as SVG, not symbols the font may lack', async () => {
    for (const label of ['First frame', 'Last frame', 'Play']) {
      const button = page.getByRole('button', { name: label, exact: true });
      await expect(button.locator('svg').count()).resolves.toBe(1);
      await expect(button.textContent()).resolves.toBe('');
    }
    await expect(page.getByRole('radio', { name: 'Brush' }).locator('svg').count()).resolves.toBe(1);
    const text = await page.locator('body').textContent();
    for (const glyph of ['⏮', '⏭', '⏸', '🖌', '⬚']) expect(text).not.toContain(glyph);
  });

  it('names the views as Blender does, frames the path and draws frustums at the keys unless asked for all', async () => {
    await expect(page.getByTestId('toggle-camera-view').textContent()).resolves.toContain('Camera view');
    await expect(page.getByTestId('toggle-lookthrough').textContent()).resolves.toContain('Warp preview');
    await expect(page.getByTestId('frame-all').textContent()).resolves.toContain('Frame All');
    const frustumVertices = () => page.evaluate(() => window.camtrackView?.vertices('track-frustums') ?? -1);
    // The sample: 14 frames, keys at frames 0 and 13; a frustum is 10 segments (20 vertices).
    await expect.poll(frustumVertices).toBe(2 * 20);
    await page.getByTestId('frustums-all').click();
    await expect.poll(frustumVertices).toBe(14 * 20);
    await page.getByTestId('frustums-keys').click();
    await expect.poll(frustumVertices).toBe(2 * 20);
    // Framed: the path's ends (the source camera at the origin and the last key) are both inside the view.
    const box = (await page.getByTestId('viewport').boundingBox())!;
    const ends = await page.evaluate(() => [window.camtrackView!.toPage([0, 0, 0])]);
    for (const [x, y] of ends) {
      expect(x).toBeGreaterThan(box.x);
      expect(x).toBeLessThan(box.x + box.width);
      expect(y).toBeGreaterThan(box.y);
      expect(y).toBeLessThan(box.y + box.height);
    }
    await studio.screenshot('newcomer-3d-view');
  });

  it('shows the focal length in mm beside the fov, and either sets the other', async () => {
    // Select the last key (frame 13) through the timeline's key marker.
    await page.getByTestId('key-13').click();
    await page.getByTestId('keyframe-fields').waitFor();
    const fov = Number(await page.getByTestId('key-fov').inputValue());
    const mm = Number(await page.getByTestId('key-focal-mm').inputValue());
    // Landscape render size: f = 18 / (aspect * tan(fovY / 2)), a 36 mm sensor across the width.
    const { render } = JSON.parse(readFileSync(path.join(studio.workspace, 'Orbit.camtrack', 'project.json'), 'utf8'));
    const aspect = render.width / render.height;
    expect(aspect).toBeGreaterThan(1);
    expect(mm).toBeCloseTo(18 / (aspect * Math.tan((fov * Math.PI) / 360)), 1);
    await page.getByTestId('key-focal-mm').fill('50');
    await page.getByTestId('key-focal-mm').press('Enter');
    await expect
      .poll(async () => Number(await page.getByTestId('key-fov').inputValue()))
      .toBeCloseTo((Math.atan(18 / 50 / aspect) * 360) / Math.PI, 3);
    await expect(page.getByTestId('key-focal-mm').inputValue()).resolves.toBe('50');
    // A refused value says what was kept, and the message goes as soon as the user types again.
    await page.getByTestId('key-focal-mm').fill('-5');
    await page.getByTestId('key-focal-mm').press('Enter');
    await expect(page.getByTestId('key-focal-mm-error').textContent()).resolves.toBe(
      'The focal length must be above 0 mm. Kept 50.',
    );
    await page.getByTestId('key-focal-mm').fill('4');
    await expect(page.getByTestId('key-focal-mm-error').count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });

  it('says why an out-of-range brush value is refused', async () => {
    await page.getByRole('radio', { name: 'Brush' }).click();
    await page.getByTestId('brush-amount').fill('1.5');
    await page.getByTestId('brush-amount').press('Enter');
    await expect(page.getByTestId('brush-amount-error').textContent()).resolves.toBe(
      'λ is between 0 and 1 (got 1.5). Kept 0.8.',
    );
    await expect(page.getByTestId('brush-amount').inputValue()).resolves.toBe('0.8');
  });

  it('exports from File › Export…: the track, the camera path and the λ table, and says why there is no video yet', async () => {
    await menu(page, 'File', 'Export…');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-render').isDisabled()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain('No finished video yet');
    const lambda = page.waitForEvent('download');
    await dialog.getByTestId('export-lambda-format').selectOption('csv');
    await dialog.getByTestId('export-lambda').click();
    const lambdaFile = await lambda;
    expect(lambdaFile.suggestedFilename()).toBe('lambda_25x14.csv');
    const csv = readFileSync((await lambdaFile.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(25);
    expect(csv[0].split(',')).toHaveLength(14);
    const cameraPath = page.waitForEvent('download');
    await dialog.getByTestId('export-camera-path').click();
    const cp = await cameraPath;
    expect(cp.suggestedFilename()).toMatch(/camera_path\.json$/);
    expect(JSON.parse(readFileSync((await cp.path())!, 'utf8')).camera_path).toHaveLength(14);
    await studio.screenshot('newcomer-export-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows a 1000-frame heatmap whole: the right edge of the map is frame 999', async () => {
    const f = page.getByTestId('frame-count');
    await f.fill('1000');
    await f.press('Enter');
    await expect.poll(() => page.getByTestId('lambda-shape').textContent()).toContain('1000 frames');
    const map = (await page.getByTestId('lambda-canvas').boundingBox())!;
    await page.mouse.move(map.x + map.width - 6, map.y + map.height / 2);
    await expect.poll(() => page.getByTestId('lambda-readout').textContent()).toMatch(/frame 99\d\b/);
    // Anywhere on the map: the frame under the pointer is its share of the map's width (axis 86 px, pad 4 px).
    const x = map.x + 86 + 0.3 * (map.width - 90);
    await page.mouse.move(x, map.y + map.height / 2);
    await expect
      .poll(async () => Number(/frame (\d+)/.exec((await page.getByTestId('lambda-readout').textContent()) ?? '')?.[1]))
      .toBeGreaterThanOrEqual(298);
    expect(
      Number(/frame (\d+)/.exec((await page.getByTestId('lambda-readout').textContent()) ?? '')?.[1]),
    ).toBeLessThanOrEqual(301);
    await studio.screenshot('newcomer-heatmap-1000');
    expect(studio.errors).toEqual([]);
  });
});
