import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSparseViewDataset } from '../src-main/test/sparseViews';
import { writeProjectFromTransforms } from '../src-main/engine/sources/project';
import { readSidecar } from '../src-main/engine/render/sidecar';
import { probeVideo } from '../src-main/engine/video';
import { launchStudio, menu, idle, ARTIFACTS as ARTIFACTS_DIR, FIXTURES, type Studio } from './harness';

/** Vertices of a named object in the 3D view's scene (0 when it is not in the scene). */
const vertices = (page: Studio['page'], name: string) =>
  page.evaluate((n) => window.camtrackView?.vertices(n) ?? 0, name);

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

  it('makes a project from an MVSNet folder in the UI (welcome view), shows both depth meshes, hides a view that is turned off, and renders a preview from both', async () => {
    const page = await studio.reopen();
    await page.getByTestId('welcome-views').click();
    const dialog = page.getByTestId('views-dialog');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByTestId('views-choose').click();
    await (await chooser).setFiles(path.join(FIXTURES, 'dtu_scan1_mvsnet'));
    await expect
      .poll(() => dialog.getByTestId('views-found').textContent())
      .toMatch(/MVSNet folder dtu_scan1_mvsnet: 2 views/);
    expect(await dialog.getByLabel('View 1').isChecked()).toBe(true);
    expect(await dialog.getByLabel('View 2').isChecked()).toBe(true);
    await dialog.getByLabel('Frames').fill('9');
    await studio.screenshot('views-dialog', page);
    await dialog.getByTestId('views-create').click();
    await page.getByTestId('sources-list').waitFor();
    await idle(page);
    expect(await page.getByTestId('section-sources').textContent()).toContain('Source views (1 of 1 on)');
    expect(await page.getByTestId('sources-list').textContent()).toContain('00000002.png');
    expect(await page.getByTestId('project-title').textContent()).toContain('dtu_scan1_mvsnet');

    // Both photos lifted by their own depth: the photo's mesh at the origin, view 2's at its camera.
    await expect.poll(() => vertices(page, 'depth-mesh'), { timeout: 20_000 }).toBeGreaterThan(1000);
    await expect.poll(() => vertices(page, 'source-mesh-view-1'), { timeout: 20_000 }).toBeGreaterThan(1000);
    expect(await vertices(page, 'source-view-view-1')).toBeGreaterThan(0);
    const canvas = page.getByTestId('viewport').locator('canvas').first();
    await page.waitForTimeout(500);
    const on = await canvas.screenshot({ path: path.join(ARTIFACTS_DIR, 'sources-dtu-on.png') });

    // Off: its frustum and its mesh leave the scene, and the picture changes.
    await page.getByLabel('Use 00000002.png').click();
    await expect.poll(() => vertices(page, 'source-mesh-view-1')).toBe(0);
    expect(await vertices(page, 'source-view-view-1')).toBe(0);
    expect(await vertices(page, 'depth-mesh')).toBeGreaterThan(1000);
    await page.waitForTimeout(500);
    const off = await canvas.screenshot({ path: path.join(ARTIFACTS_DIR, 'sources-dtu-off.png') });
    expect(Buffer.compare(on, off)).not.toBe(0);
    await page.getByLabel('Use 00000002.png').click();
    await expect.poll(() => vertices(page, 'source-mesh-view-1')).toBeGreaterThan(1000);

    // A preview render (no model installed here) from both views.
    await page.getByTestId('render-button').click();
    const done = page.locator('[data-testid="job"][data-status="done"]');
    await expect.poll(() => done.count(), { timeout: 120_000, interval: 500 }).toBe(1);
    expect(await page.locator('[data-testid="job-error"]').allTextContents()).toEqual([]);
    await studio.screenshot('sources-dtu-rendered', page);
    const [work] = (await fs.readdir(path.join(studio.dataDir, 'untitled'))).filter((n) => n.startsWith('Views-'));
    const renders = path.join(studio.dataDir, 'untitled', work, 'renders');
    const video = (await fs.readdir(renders)).find((n) => n.endsWith('.mp4'))!;
    expect((await probeVideo(path.join(renders, video))).frames).toBe(9);
    const side = await readSidecar(path.join(renders, `${video}.json`));
    expect(side.sources?.map((v) => v.name)).toEqual(['00000002.png']);
    expect(side.anchors?.frames).toEqual([8]);

    // Saved like any new project: into the workspace, with both views' assets.
    await menu(page, 'File', 'Save As…');
    await page.getByLabel('Project name').fill('Scan1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() =>
        fs.stat(path.join(studio.workspace, 'Scan1.camtrack', 'project.json')).then(
          () => true,
          () => false,
        ),
      )
      .toBe(true);
    const saved = JSON.parse(await fs.readFile(path.join(studio.workspace, 'Scan1.camtrack', 'project.json'), 'utf8'));
    expect(saved.sources.map((v: { name: string }) => v.name)).toEqual(['00000002.png']);
    expect(studio.errors).toEqual([]);
  });

  it('File › New Project from Views… takes a transforms.json folder', async () => {
    const page = await studio.reopen();
    const data = await writeSparseViewDataset(path.join(studio.scratch, 'set'));
    await menu(page, 'File', 'New Project from Views…');
    const dialog = page.getByTestId('views-dialog');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByTestId('views-choose').click();
    await (await chooser).setFiles(path.dirname(data.transforms));
    await expect
      .poll(() => dialog.getByTestId('views-found').textContent())
      .toMatch(/set\/transforms\.json and 4 photo and depth files/);
    await dialog.getByTestId('views-create').click();
    await page.getByTestId('sources-list').waitFor();
    await idle(page);
    expect(await page.getByTestId('sources-list').textContent()).toContain('right.png');
    await expect.poll(() => vertices(page, 'source-mesh-view-1'), { timeout: 20_000 }).toBeGreaterThan(1000);
    await page.waitForTimeout(500);
    await studio.screenshot('sources-transforms-ui', page);
    expect(studio.errors).toEqual([]);
  });
});
