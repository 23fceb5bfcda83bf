import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, mkdirSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../src-main/server/serve';
import { makeTestPhoto } from '../src-main/test/photo';
import { resolveFfmpeg } from '../src-main/engine/video';

const run = promisify(execFile);

/**
 * End-to-end harness: starts the studio in browser mode (the built UI in dist/renderer, a real
 * engine host process) on a free port with a fresh workspace and data folder, and opens it in
 * Debian's Chromium through playwright-core. WebGL runs on SwiftShader (no GPU here).
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
/** The repository's own test data (fixtures/): the end-to-end tests read nothing outside the checkout. */
export const FIXTURES = path.join(ROOT, 'fixtures');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Studio {
  server: RunningServer;
  browser: Browser;
  page: Page;
  workspace: string;
  dataDir: string;
  /** A scratch folder inside this studio's temporary folder (removed by close()). */
  scratch: string;
  /** A 1920x1080 JPEG photo with EXIF data that the tests made (see src-main/test/photo.ts). */
  photo(): Promise<string>;
  /** Page errors and console errors seen so far (tests assert there are none). */
  errors: string[];
  /** Opens the studio again in a new page (same server), e.g. after a reload. */
  reopen(): Promise<Page>;
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

export async function launchStudio(opts: { viewport?: { width: number; height: number } } = {}): Promise<Studio> {
  if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` before the end-to-end tests (npm test does).');
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = mkdtempSync(path.join(os.tmpdir(), 'camtrack-e2e-'));
  const workspace = path.join(base, 'workspace');
  const dataDir = path.join(base, 'data');
  const scratch = path.join(base, 'scratch');
  mkdirSync(scratch, { recursive: true });
  let photo: string | undefined;
  const server = await startServer({
    workspace,
    appDataDir: dataDir,
    rendererDir: path.join(ROOT, 'dist', 'renderer'),
    // The farm root a farm test makes (outside the workspace: given as `camtrack serve --farm-root` would).
    farmRoot: path.join(scratch, 'farm'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
  const errors: string[] = [];
  const open = async () => {
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon|GL Driver|WebGL/i.test(m.text())) errors.push(`console: ${m.text()}`);
    });
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="statusbar"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="statusbar"]')?.textContent?.includes('browser'),
    );
    return page;
  };
  const page = await open();
  return {
    server,
    browser,
    page,
    workspace,
    dataDir,
    scratch,
    async photo() {
      if (!photo) {
        photo = path.join(scratch, 'street_1920x1080.jpg');
        writeFileSync(photo, await makeTestPhoto());
      }
      return photo;
    },
    errors,
    reopen: open,
    async screenshot(name, p = page) {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await p.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Runs a File menu command of the in-page menu bar. */
export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.getByRole('button', { name: top, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** Chooses a file in the picker that a menu command opens. */
export async function menuWithFile(page: Page, top: string, item: string, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await menu(page, top, item);
  await (await chooser).setFiles(file);
}

/**
 * Answers the studio's unsaved-changes prompt (Save / Discard / Cancel) when it comes up within a
 * moment of the action that replaces the project; nothing happens when the project had no changes.
 */
export async function answerUnsaved(page: Page, choice: 'discard' | 'save' = 'discard'): Promise<boolean> {
  const button = page.getByTestId(`unsaved-${choice}`);
  const shown = await button.waitFor({ timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  if (shown) await button.click();
  return shown;
}

/** Waits until no operation is shown as busy in the status bar. */
export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.status--busy'));
}

/** Distinct coarse colours (4 bits a channel) in a canvas scaled to 64x40: how much picture it shows. */
export async function canvasColours(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const probe = document.createElement('canvas');
    probe.width = 64;
    probe.height = 40;
    const ctx = probe.getContext('2d')!;
    ctx.drawImage(c, 0, 0, 64, 40);
    const d = ctx.getImageData(0, 0, 64, 40).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] >> 4) * 256 + (d[i + 1] >> 4) * 16 + (d[i + 2] >> 4));
    return seen.size;
  }, selector);
}

/** Every frame of a video as RGB24 at its size, decoded by ffmpeg. */
export async function decodeFrames(file: string, width: number, height: number): Promise<Uint8Array[]> {
  const ffmpeg = await resolveFfmpeg();
  const { stdout } = await run(ffmpeg.path, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  const size = width * height * 3;
  const out: Uint8Array[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) out.push(new Uint8Array(stdout.subarray(o, o + size)));
  return out;
}

/**
 * An empty models folder of its own for the engine host, which inherits the environment: no SVD
 * model and no depth model installed. `restore` puts the environment back and removes the folder.
 */
export function emptyModelsDir(prefix: string): { dir: string; restore(): void } {
  const saved = process.env.CAMTRACK_MODELS_DIR;
  const dir = mkdtempSync(path.join(os.tmpdir(), `camtrack-${prefix}-models-`));
  process.env.CAMTRACK_MODELS_DIR = dir;
  return {
    dir,
    restore() {
      if (saved === undefined) delete process.env.CAMTRACK_MODELS_DIR;
      else process.env.CAMTRACK_MODELS_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
