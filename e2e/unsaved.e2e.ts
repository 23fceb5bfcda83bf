import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menu, menuWithFile, type Studio } from './harness';
import { writeProjectFromFiles } from '../src-main/engine/project/fromFiles';

/** Nothing is lost: Open and New ask about unsaved changes, reload asks, and an Untitled project comes back. */
describe('unsaved changes in browser mode', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await launchStudio();
    // A saved project in the workspace, to open over the unsaved one.
    await writeProjectFromFiles(path.join(studio.workspace, 'Other.camtrack'), { imagePath: await studio.photo() });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const dirty = (page: Page) => page.locator('.titlebar .dirty').count();
  const untitledAutosaves = async () => {
    const root = path.join(studio.dataDir, 'untitled');
    const names = await fs.readdir(root).catch(() => [] as string[]);
    const found = await Promise.all(
      names.map((n) =>
        fs.stat(path.join(root, n, 'project.autosave.json')).then(
          () => n,
          () => null,
        ),
      ),
    );
    return found.filter(Boolean);
  };

  it('an Untitled project with a photo is offered back after the page is closed', async () => {
    const { page } = studio;
    await menuWithFile(page, 'File', 'Import Image…', await studio.photo());
    await page.getByTestId('image-size').waitFor();
    expect(await dirty(page)).toBe(1);
    // The page refuses to unload quietly (the browser then asks before a reload or close).
    expect(
      await page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      }),
    ).toBe(true);
    await expect.poll(untitledAutosaves, { timeout: 15_000 }).toHaveLength(1);

    const page2 = await studio.reopen();
    const dialog = page2.getByTestId('recovery-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/An Untitled project “Untitled” was autosaved at .* and never saved/);
    await studio.screenshot('unsaved-untitled-recovery', page2);
    await page2.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page2.getByTestId('image-size').textContent(), { timeout: 20_000 }).toBe('1920 × 1080');
    expect(await dirty(page2)).toBe(1);
    await page2.close();
  });

  it('File > Open asks before discarding unsaved changes; Cancel keeps them, OK opens', async () => {
    const { page } = studio;
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Other/ }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toBe('"Untitled" has unsaved changes. Discard them?');
    await expect(page.getByTestId('project-title').textContent()).resolves.toMatch(/Untitled/);
    expect(await dirty(page)).toBe(1);

    await page.keyboard.press('Escape');
    page.once('dialog', (d) => void d.accept());
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Other/ }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 20_000 }).toBe('Other');
    expect(await dirty(page)).toBe(0);
  });

  it('a clean project opens and reloads without asking', async () => {
    const { page } = studio;
    let asked = 0;
    const count = () => {
      asked += 1;
    };
    page.on('dialog', count);
    expect(
      await page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      }),
    ).toBe(false);
    await menu(page, 'File', 'New');
    await expect.poll(() => page.getByTestId('project-title').textContent()).toBe('Untitled');
    page.off('dialog', count);
    expect(asked).toBe(0);
  });

  it('had no page errors', () => {
    expect(studio.errors).toEqual([]);
  });
});
