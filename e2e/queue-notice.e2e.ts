import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchStudio, menu, idle, ARTIFACTS, ROOT, type Studio } from './harness';

/**
 * An unreadable queue.json (issue 12, item 7): the engine keeps it aside and starts an empty
 * queue, and the render panel says so, naming the file it was kept as, until dismissed; the
 * notice does not come back when the page is opened again. Screenshot: e2e/artifacts/queue-notice.png.
 */
const SAMPLE = path.join(ROOT, 'assets', 'samples', 'synthetic-orbit.camtrack');
const CORRUPT = '{"version": 1, "jobs": [{"id": "a", "status": "runn';

async function openOrbit(page: Page): Promise<void> {
  await menu(page, 'File', 'Open…');
  await page.getByRole('button', { name: /^Orbit/ }).click();
  await page.getByTestId('image-size').waitFor();
  await idle(page);
}

describe('an unreadable render queue file', () => {
  let studio: Studio;
  let page: Page;
  let project: string;
  beforeAll(async () => {
    studio = await launchStudio();
    page = studio.page;
    project = path.join(studio.workspace, 'Orbit.camtrack');
    await fs.cp(SAMPLE, project, { recursive: true });
    await fs.writeFile(path.join(project, 'queue.json'), CORRUPT);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('is kept aside and the queue panel tells the user where', async () => {
    await openOrbit(page);
    const notice = page.getByTestId('queue-notice');
    await notice.waitFor({ timeout: 20_000 });
    const aside = (await fs.readdir(project)).filter((n) => n.startsWith('queue.json.corrupt-'));
    expect(aside).toHaveLength(1);
    // The old bytes are kept, untouched, under the name the notice gives.
    await expect(fs.readFile(path.join(project, aside[0]), 'utf8')).resolves.toBe(CORRUPT);
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/The render queue file .*queue\.json could not be read \(.+\)\./);
    expect(text).toContain(`It was moved to ${path.join(project, aside[0])} and an empty queue was started.`);
    await expect(notice.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('render-panel').textContent()).resolves.toMatch(/No renders yet/);
    for (const close of await page.locator('.toast button').all())
      await close.click({ timeout: 500 }).catch(() => undefined);
    await page.getByTestId('render-panel').screenshot({ path: path.join(ARTIFACTS, 'queue-notice.png') });

    await page.getByTestId('queue-notice-dismiss').click();
    await notice.waitFor({ state: 'detached' });
    // Dismissed in the engine too: opening the studio again does not show it a second time.
    const again = await studio.reopen();
    await openOrbit(again);
    await expect.poll(() => again.getByTestId('render-panel').textContent()).toMatch(/No renders yet/);
    await expect(again.getByTestId('queue-notice').count()).resolves.toBe(0);
    expect(studio.errors).toEqual([]);
  });
});
