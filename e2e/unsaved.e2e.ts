import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menu, menuWithFile, type Studio } from './harness';
import { writeProjectFromFiles } from '../src-main/engine/sources/fromFiles';

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
    expect(await dialog.textContent()).toMatch(
      /Your work on the Untitled project “Untitled” was autosaved at .* but never saved\. Recover it to carry on where you left off, or start a new project instead\./,
    );
    await expect(dialog.getByRole('button', { name: 'Start a new project' }).count()).resolves.toBe(1);
    await studio.screenshot('unsaved-untitled-recovery', page2);
    await page2.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page2.getByTestId('image-size').textContent(), { timeout: 20_000 }).toBe('1920 × 1080');
    expect(await dirty(page2)).toBe(1);
    await page2.close();
  });

  it('File > Open asks about unsaved changes in the studio: Cancel keeps them, Discard opens', async () => {
    const { page } = studio;
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Other/ }).click();
    const prompt = page.getByTestId('unsaved-dialog');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain(
      '“Untitled” has changes that are not saved. Save them before going on?',
    );
    // Never saved: its Save asks for a name first.
    await expect(page.getByTestId('unsaved-save').textContent()).resolves.toBe('Save As…');
    await studio.screenshot('unsaved-prompt');
    await prompt.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(prompt.count()).resolves.toBe(0);
    await expect(page.getByTestId('project-title').textContent()).resolves.toMatch(/Untitled/);
    expect(await dirty(page)).toBe(1);

    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /Other/ }).click();
    await page.getByTestId('unsaved-discard').click();
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
