import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from '../test/fixtures';

// electron-builder cannot run here (no Electron binary, no network), so its configuration is kept
// correct by validating it against the JSON schema that electron-builder itself ships.
/** The parts of electron-builder.yml these tests read. */
interface BuilderConfig {
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  asar: boolean;
  asarUnpack: string[];
  extraMetadata: { main: string };
  files: string[];
  electronFuses: Record<string, boolean>;
}

const require = createRequire(import.meta.url);
const schema = require('app-builder-lib/scheme.json') as object;
const config = parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a configuration with a typo (the check is real)', () => {
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
    expect(validate({ ...config, linux: { target: 'AppImage', category: 42 } })).toBe(false);
  });

  it('packages Linux AppImage and deb, Windows nsis and macOS dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('unpacks the native modules and the ffmpeg binary from the asar archive', () => {
    expect(config.asar).toBe(true);
    for (const mod of ['onnxruntime-node', 'sharp', 'ffmpeg-static']) {
      expect(config.asarUnpack.some((p: string) => p.startsWith(`node_modules/${mod}/`))).toBe(true);
    }
    // ONNX Runtime opens model files natively: the draft model must live outside the archive too.
    expect(config.asarUnpack).toContain('assets/models/draft/**/*');
  });

  it('starts the built main process and ships the draft model', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'assets/models/draft/**/*']));
  });

  // Issue 12, item 11. Key names as electron-builder 26's FuseOptionsV1 (app-builder-lib/scheme.json).
  it('flips the Electron fuses that let other code run as the app', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const fuseKeys = Object.keys(
      (schema as { definitions: Record<string, { properties: object }> }).definitions.FuseOptionsV1.properties,
    );
    expect(fuseKeys).toEqual(expect.arrayContaining(Object.keys(config.electronFuses)));
    // A misspelt fuse is refused by the schema (so the check above is against real names).
    expect(validate({ ...config, electronFuses: { runAsnode: false } })).toBe(false);
    // onlyLoadAppFromAsar needs the app in an asar.
    expect(config.asar).toBe(true);
  });
});
