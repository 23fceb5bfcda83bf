import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src-main/test/tmp';
import { electronBinary } from './start.mjs';

/** A stand-in for node_modules/electron whose install.js does what `script` says. */
function fakeElectron(script: string): string {
  const dir = path.join(tempDir('camtrack-start-'), 'electron');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"electron","version":"45.0.0"}');
  writeFileSync(path.join(dir, 'install.js'), script);
  return dir;
}

describe('npm start when Electron has no binary', () => {
  it('says the download failed, why, and points to camtrack serve, without a stack trace', () => {
    const dir = fakeElectron(
      `console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async FetchDownloader.download (x.js:46:30)'); process.exit(1);`,
    );
    const r = electronBinary(dir);
    expect(r.bin).toBeUndefined();
    expect(r.error).toContain('the Electron binary is not installed, and fetching it failed');
    expect(r.error).toContain('Reason: TypeError: fetch failed');
    expect(r.error).toContain('npx camtrack serve');
    expect(r.error).toContain('node node_modules/electron/install.js');
    expect(r.error).not.toMatch(/^\s+at /m);
  });

  it('uses the binary once the download worked', () => {
    const dir = fakeElectron(
      `const fs = require('fs'), p = require('path'); fs.mkdirSync(p.join(__dirname, 'dist')); fs.writeFileSync(p.join(__dirname, 'dist', 'electron'), ''); fs.writeFileSync(p.join(__dirname, 'path.txt'), 'electron');`,
    );
    expect(electronBinary(dir)).toEqual({ bin: path.join(dir, 'dist', 'electron') });
  });

  it('names npm install when Electron itself is missing', () => {
    expect(electronBinary(path.join(tempDir('camtrack-start-'), 'nothing')).error).toMatch(
      /npm install.*npx camtrack serve/,
    );
  });
});
