import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSparseViewDataset } from '../src-main/engine/sources/testScene';
import { writeProjectFromTransforms } from '../src-main/engine/sources/project';
import { launchStudio, menu, idle, type Studio } from './harness';

describe('sparse views in the studio', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the source views with their frustums, and a view can be turned off (one undo step)', async () => {
    const page = studio.page;
    const data = await writeSparseViewDataset(path.join(studio.scratch, 'views'));
    await writeProjectFromTransforms(path.join(studio.workspace, 'Pair.camtrack'), data.transforms, { numFrames: 9 });
    await menu(page, 'File', 'Open…');
    await page.getByRole('button', { name: /^Pair/ }).click();
    await page.getByTestId('sources-list').waitFor();
    await idle(page);
    expect(await page.getByTestId('section-sources').textContent()).toContain('Source views (1 of 1 on)');
    await studio.screenshot('sources-on');
    await page.getByLabel('Use right.png').click();
    await expect.poll(() => page.getByTestId('section-sources').textContent()).toContain('Source views (0 of 1 on)');
    await idle(page);
    await studio.screenshot('sources-off');
    await menu(page, 'Edit', 'Undo');
    await expect.poll(() => page.getByTestId('section-sources').textContent()).toContain('Source views (1 of 1 on)');
    await fs.rm(path.join(studio.scratch, 'views'), { recursive: true, force: true });
    expect(studio.errors).toEqual([]);
  });
});
