import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { launchStudio, menu, menuWithFile, idle, canvasColours, FIXTURES, type Studio } from './harness';

describe('studio shell in browser mode', () => {
  let studio: Studio;
  let PHOTO: string;
  beforeAll(async () => {
    studio = await launchStudio();
    PHOTO = await studio.photo();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('starts with a clean untitled project and the full layout', async () => {
    const { page } = studio;
    for (const id of ['viewport', 'timeline', 'lambda-editor', 'render-panel', 'inspector', 'statusbar']) {
      await expect(page.getByTestId(id).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByTestId('project-title').textContent()).resolves.toBe('Untitled');
    const status = await page.getByTestId('statusbar').textContent();
    expect(status).toContain('Frames: 25');
    expect(status).toContain('Steps: 25');
  });

  it('imports the photo through File > Import Image and shows it', async () => {
    const { page } = studio;
    await menuWithFile(page, 'File', 'Import Image…', PHOTO);
    await page.getByTestId('image-size').waitFor();
    await expect(page.getByTestId('image-size').textContent()).resolves.toBe('1920 × 1080');
    await expect(page.getByTestId('image-name').textContent()).resolves.toBe('street_1920x1080.jpg');
    // The title shows the unsaved-changes marker.
    await expect(page.locator('.titlebar .dirty').count()).resolves.toBe(1);
    // The photo is drawn in the viewport: the canvas is no longer only the background colour.
    const colours = () => canvasColours(page, '[data-testid="viewport"] canvas');
    // The texture loads asynchronously: poll until the photo's colours appear.
    await expect.poll(colours, { timeout: 20_000, interval: 500 }).toBeGreaterThan(40);
    await studio.screenshot('studio-imported-photo');
  });

  it('saves as a project folder, reloads the page and reopens the same state', async () => {
    const { page } = studio;
    await menu(page, 'File', 'Save As…');
    await page.getByLabel('Project name').fill('Street');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await idle(page);
    const dir = path.join(studio.workspace, 'Street.camtrack');
    await expect
      .poll(
        () =>
          fs.stat(path.join(dir, 'project.json')).then(
            () => true,
            () => false,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    expect(saved.name).toBe('Street');
    expect(saved.image.width).toBe(1920);
    await expect(page.locator('.titlebar .dirty').count()).resolves.toBe(0);

    // A fresh page (same engine) opens the project from the workspace.
    const page2 = await studio.reopen();
    await menu(page2, 'File', 'Open…');
    await page2.getByRole('button', { name: /Street/ }).click();
    await page2.getByTestId('image-size').waitFor();
    await expect(page2.getByTestId('project-title').textContent()).resolves.toBe('Street');
    await expect(page2.getByTestId('image-size').textContent()).resolves.toBe('1920 × 1080');
    await page2.close();
  });

  it('refuses a corrupt project with a clear message and leaves it untouched', async () => {
    const dir = path.join(studio.workspace, 'Broken.camtrack');
    await fs.mkdir(dir, { recursive: true });
    const bad = '{"schemaVersion": 1, "name": "Broken",';
    await fs.writeFile(path.join(dir, 'project.json'), bad);
    const { page } = studio;
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Broken/ }).click();
    const toast = page.locator('.toast--error').last();
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/project\.json/);
    await expect(fs.readFile(path.join(dir, 'project.json'), 'utf8')).resolves.toBe(bad);
    // The open project is still the one we had.
    await expect(page.getByTestId('project-title').textContent()).resolves.toBe('Street');
  });

  it('autosaves edits into the project folder without touching project.json', async () => {
    const { page } = studio;
    const dir = path.join(studio.workspace, 'Street.camtrack');
    const before = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
    // Another photo (PNG data behind a .jpg name: the format is sniffed from the bytes).
    await menuWithFile(page, 'File', 'Import Image…', path.join(FIXTURES, 'dtu_scan1', '000001.jpg'));
    await expect.poll(() => page.getByTestId('image-size').textContent(), { timeout: 20_000 }).toBe('1600 × 1200');
    await expect(page.locator('.titlebar .dirty').count()).resolves.toBe(1);
    await expect
      .poll(
        () =>
          fs.stat(path.join(dir, 'project.autosave.json')).then(
            () => true,
            () => false,
          ),
        { timeout: 10_000 },
      )
      .toBe(true);
    await expect(fs.readFile(path.join(dir, 'project.json'), 'utf8')).resolves.toBe(before);
  });

  it('imports a photo by drag and drop', async () => {
    const { page } = studio;
    const b64 = (await fs.readFile(PHOTO)).toString('base64');
    await page.evaluate(async (data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
      const target = document.querySelector('[data-testid="viewport"]')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await expect.poll(() => page.getByTestId('image-name').textContent(), { timeout: 20_000 }).toBe('dropped.jpg');
    await expect(page.getByTestId('image-size').textContent()).resolves.toBe('1920 × 1080');
  });

  it('lists the saved project under File > Open Recent', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'File', exact: true }).click();
    await expect(page.getByRole('menuitem', { name: 'Street' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await page.mouse.click(800, 500);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
