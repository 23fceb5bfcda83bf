#!/usr/bin/env node
// `npm start`: builds the studio, then runs it in Electron. Electron downloads its binary on first
// use; when that fails (no network, a proxy) this says what happened and what to do, and points to
// the browser mode, instead of ending in install.js's stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The installed Electron binary in `electronDir` (node_modules/electron), or null. */
function installedBinary(electronDir) {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/** The last meaningful line of an installer's output: the error, without its stack. */
export function reasonOf(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at /.test(l));
  const err = lines.find((l) => /error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|status code|getaddrinfo/i.test(l));
  return (err ?? lines.at(-1) ?? 'the download failed').slice(0, 300);
}

export function electronMissingMessage(reason) {
  return [
    'Camtrack Studio could not start: the Electron binary is not installed, and fetching it failed.',
    `  Reason: ${reason}`,
    '  Electron downloads it (about 100 MB) on the first start. To fix:',
    '    - with network access, run `node node_modules/electron/install.js`, then `npm start` again;',
    '      behind a proxy, set HTTPS_PROXY (or ELECTRON_MIRROR for a mirror) first;',
    '    - or run the same studio in your browser, without Electron: `npx camtrack serve`.',
  ].join('\n');
}

/** The Electron binary, downloading it if needed: { bin } or { error } with a readable message. */
export function electronBinary(electronDir = path.join(root, 'node_modules', 'electron')) {
  if (!existsSync(path.join(electronDir, 'package.json'))) {
    return {
      error:
        'Camtrack Studio could not start: Electron is not installed (run `npm install`), or run the studio in your browser with `npx camtrack serve`.',
    };
  }
  const ready = installedBinary(electronDir);
  if (ready) return { bin: ready };
  process.stdout.write('Fetching the Electron binary (first start only)…\n');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8' });
  const bin = r.status === 0 ? installedBinary(electronDir) : null;
  if (bin) return { bin };
  return { error: electronMissingMessage(reasonOf(`${r.stdout ?? ''}\n${r.stderr ?? ''}\n${r.error?.message ?? ''}`)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const found = electronBinary();
  if (found.error) {
    process.stderr.write(`${found.error}\n`);
    process.exit(1);
  }
  const child = spawn(found.bin, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
