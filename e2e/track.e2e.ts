import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menuWithFile, idle, canvasColours, ARTIFACTS, type Studio } from './harness';
import { writeNpy } from '../src-main/engine/npy/npy';

/**
 * A street-like depth map for the 16:9 photo, 480x270 (the engine stretches depth over the
 * photo): a ground plane receding from 3 to 40 units towards the horizon, sky at 60, and a block
 * standing at 6 units left of centre so the mesh must tear at its edges. Stored as z-depth in a
 * float .npy, which is what such a file holds by default (depth/defaults.ts).
 */
function streetDepth(w = 480, h = 270): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const below = (y + 0.5) / h - 0.42; // horizon a little above the middle
      let z = below > 0 ? Math.min(40, 1.2 / below) : 60;
      if (x > w * 0.18 && x < w * 0.38 && y > h * 0.3 && y < h * 0.85) z = Math.min(z, 6);
      out[y * w + x] = z;
    }
  }
  // A few pixels without depth: the report must count them.
  for (let i = 0; i < 40; i++) out[i] = NaN;
  return out;
}

async function fieldValue(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).inputValue();
}

async function setField(page: Page, testId: string, value: string): Promise<void> {
  const f = page.getByTestId(testId);
  await f.fill(value);
  await f.press('Enter');
}

describe('camera track designer in browser mode', () => {
  let studio: Studio;
  let tmp: string;
  let PHOTO: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-track-e2e-'));
    await fs.writeFile(path.join(tmp, 'street_depth.npy'), writeNpy(streetDepth(), [270, 480]));
    studio = await launchStudio();
    PHOTO = await studio.photo();
  });
  afterAll(async () => {
    await studio?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('imports the photo and its depth, and reports the depth', async () => {
    const { page } = studio;
    await menuWithFile(page, 'File', 'Import Image…', PHOTO);
    await page.getByTestId('image-size').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-depth').click();
    await (await chooser).setFiles(path.join(tmp, 'street_depth.npy'));
    await idle(page);
    // The photo came with a plane (a shape and its report) until the file replaced it.
    await expect
      .poll(() => page.getByTestId('depth-source').textContent(), { timeout: 20_000 })
      .toBe('street_depth.npy');
    await expect.poll(() => page.getByTestId('depth-invalid').textContent(), { timeout: 20_000 }).toMatch(/^40 px/);
    // z as stored: the nearest ground row is at about 2.1 units, the sky at 60.
    const range = (await page.getByTestId('depth-range').textContent())!.split('–').map((s) => Number(s.trim()));
    expect(range[0]).toBeGreaterThan(1.5);
    expect(range[0]).toBeLessThan(3.5);
    expect(range[1]).toBeCloseTo(60, 3);
    await expect(page.getByTestId('depth-kind').inputValue()).resolves.toBe('depth');
    await expect(page.getByTestId('depth-scale').inputValue()).resolves.toBe('1');
    // The mesh is drawn: the viewport is full of the photo's colours.
    await page.waitForTimeout(1000);
    expect(await canvasColours(page, '[data-testid="viewport"] canvas')).toBeGreaterThan(40);
  });

  it('sets the frame count from the native badges and flags nothing for the draft model', async () => {
    const { page } = studio;
    await expect(fieldValue(page, 'frame-count')).resolves.toBe('25');
    await page.getByRole('button', { name: '14', exact: true }).click();
    await expect.poll(() => fieldValue(page, 'frame-count')).toBe('14');
    await expect(page.getByTestId('statusbar').textContent()).resolves.toContain('Frames: 14');
    // Invalid counts are refused with a message and the field keeps the track's value.
    await setField(page, 'frame-count', '1.5');
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/whole number/);
    await expect(fieldValue(page, 'frame-count')).resolves.toBe('14');
    await setField(page, 'frame-count', '25');
    await expect.poll(() => fieldValue(page, 'frame-count')).toBe('25');
    await expect(fieldValue(page, 'fps')).resolves.toBe('7');
    await expect(page.getByTestId('frame-count-flag').count()).resolves.toBe(0);
  });

  it('applies an orbit preset: keys on the timeline, a track in the view', async () => {
    const { page } = studio;
    await page.getByTestId('preset-kind').selectOption('orbit');
    await setField(page, 'preset-degreesPerFrame', '1.5');
    await page.getByTestId('apply-preset').click();
    // 24 frames at 1.5 degrees: a key every 10 frames (15 degrees) and the last frame.
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(4);
    await expect(page.getByTestId('key-24').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('frame-count').inputValue()).resolves.toBe('25');
    // Applying is one undo step: undo brings back the lone source key, redo the preset.
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(4);
  });

  it('moves a keyframe through its fields, and undo brings the value back', async () => {
    const { page } = studio;
    await page.getByTestId('key-20').click();
    await page.getByTestId('keyframe-fields').waitFor();
    const before = await fieldValue(page, 'key-pos-x');
    const moved = String(Math.round((Number(before) + 1.25) * 1000) / 1000);
    await setField(page, 'key-pos-x', moved);
    await expect.poll(() => fieldValue(page, 'key-pos-x')).toBe(moved);
    // Undo from the ruler (Ctrl+Z is global outside text fields).
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => fieldValue(page, 'key-pos-x')).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => fieldValue(page, 'key-pos-x')).toBe(moved);
    // Refused input: not a number.
    await setField(page, 'key-pos-y', 'abc');
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/not a number/);
  });

  it('inserts, copies, pastes and deletes keys from the keyboard', async () => {
    const { page } = studio;
    const ruler = page.getByTestId('ruler');
    await ruler.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('frame-readout').textContent()).resolves.toMatch(/^5 \//);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(5);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+v');
    await expect.poll(() => page.getByTestId('key-7').count()).toBe(1);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('key-7').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('key-7').count()).toBe(1);

    // Dragging a diamond retimes its key (one undo step).
    const from = (await page.getByTestId('key-10').boundingBox())!;
    const to = (await page.getByTestId('key-7').boundingBox())!;
    const step = (to.x - from.x) / -3; // pixels per frame
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 4; i++)
      await page.mouse.move(from.x + from.width / 2 + step * 0.5 * i, from.y + from.height / 2);
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('key-12').count()).toBe(1);
    await expect(page.getByTestId('key-10').count()).resolves.toBe(0);
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('key-10').count()).toBe(1);
    await expect(page.getByTestId('key-12').count()).resolves.toBe(0);
  });

  it('drags the selected key with the gizmo as one undo step, and measures the view', async () => {
    const { page } = studio;
    await page.getByTestId('key-20').click();
    const read = async () => Promise.all(['x', 'y', 'z'].map((a) => fieldValue(page, `key-pos-${a}`).then(Number)));
    const before = await read();
    await page.waitForTimeout(500);
    const [px, py] = await page.evaluate((p) => window.camtrackView!.toPage(p), before as [number, number, number]);
    await page.mouse.move(px, py);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(px + i * 10, py - i * 4);
    await page.mouse.up();
    await expect.poll(async () => (await read()).some((v, i) => Math.abs(v - before[i]) > 1e-3)).toBe(true);
    // The whole drag is one step: a single undo restores the key.
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(read).toEqual(before);

    // Drawing cost of the 3D view (SwiftShader here: a software GPU on a shared 2-core machine),
    // with the photo as a mesh and as points.
    const ms = async () => page.evaluate(() => window.camtrackView!.renderMs(10));
    const mesh = await ms();
    await page.getByRole('button', { name: 'Points', exact: true }).click();
    await page.waitForTimeout(500);
    const points = await ms();
    await page.getByTestId('viewport').screenshot({ path: path.join(ARTIFACTS, 'track-viewport-points.png') });
    await page.getByRole('button', { name: 'Mesh', exact: true }).click();
    await page.waitForTimeout(500);
    await page.getByTestId('viewport').screenshot({ path: path.join(ARTIFACTS, 'track-viewport-mesh.png') });
    console.log(
      `viewport render, 1600x1000 window: photo as mesh ${mesh.toFixed(1)} ms, as points ${points.toFixed(1)} ms per frame`,
    );
  });

  it('shows the look-through warped view with its holes, and screenshots', async () => {
    const { page } = studio;
    await page.getByTestId('ruler').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await page.getByTestId('toggle-lookthrough').click();
    await page.getByTestId('lookthrough-holes').waitFor({ timeout: 30_000 });
    const holes = Number((await page.getByTestId('lookthrough-holes').textContent())!.match(/([\d.]+)%/)![1]);
    // Frame 10 of the orbit is 15 degrees round the scene: disocclusions beside the block must show.
    expect(holes).toBeGreaterThan(0.5);
    expect(holes).toBeLessThan(60);
    await page.waitForTimeout(800);
    await studio.screenshot('track-viewport');
    await page.getByTestId('lookthrough').screenshot({ path: path.join(ARTIFACTS, 'track-lookthrough.png') });
    expect(await canvasColours(page, '.lookthrough__canvas')).toBeGreaterThan(30);
    // The live camera view of the same frame, beside the engine's warp of it.
    await page.getByTestId('toggle-camera-view').click();
    await page.waitForTimeout(1500);
    await page.getByTestId('viewport').screenshot({ path: path.join(ARTIFACTS, 'track-camera-view.png') });
    expect(await canvasColours(page, '[data-testid="viewport"] canvas')).toBeGreaterThan(40);
    await page.getByTestId('toggle-camera-view').click();
  });

  it('exports camera_path.json and imports it back to the same poses; refuses a bad file', async () => {
    const { page } = studio;
    const download = page.waitForEvent('download');
    await page.getByTestId('export-nerfstudio').click();
    const file = path.join(tmp, 'camera_path.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(exported.camera_path).toHaveLength(25);
    expect(exported.render_width).toBe(1024);
    expect(exported.camera_path[0].camera_to_world).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

    let chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-track').click();
    await (await chooser).setFiles(file);
    await idle(page);
    // One key per camera.
    await expect.poll(() => page.locator('.ruler .diamond').count()).toBe(25);
    const again = page.waitForEvent('download');
    await page.getByTestId('export-nerfstudio').click();
    const file2 = path.join(tmp, 'camera_path_2.json');
    await (await again).saveAs(file2);
    const reimported = JSON.parse(await fs.readFile(file2, 'utf8'));
    for (let f = 0; f < 25; f++) {
      const a = exported.camera_path[f].camera_to_world as number[];
      const b = reimported.camera_path[f].camera_to_world as number[];
      for (let i = 0; i < 16; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
      expect(Math.abs(exported.camera_path[f].fov - reimported.camera_path[f].fov)).toBeLessThan(1e-6);
    }

    await fs.writeFile(path.join(tmp, 'bad.json'), '{"camera_path": [{"camera_to_world": [1, 2, 3]}]}');
    chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-track').click();
    await (await chooser).setFiles(path.join(tmp, 'bad.json'));
    const toast = page.locator('.toast--error').last();
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/camera_to_world/);
    await expect(page.locator('.ruler .diamond').count()).resolves.toBe(25);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
