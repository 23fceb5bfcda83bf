import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The application's root folder (where package.json, assets/ and sigmas/ live), found by walking up
 * from this module. The same code then works from the TypeScript sources (src-main/engine/util),
 * from the bundles (dist/main/*.cjs) and from inside a packaged app.asar.
 */
let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'camtrack-studio') return (cached = { root: dir, version: json.version ?? '0.0.0' });
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Camtrack Studio cannot find its own folder (package.json named camtrack-studio).');
    dir = parent;
  }
}

export function appRoot(): string {
  return find().root;
}

export function appVersion(): string {
  return find().version;
}

/** A path inside the application folder, e.g. appPath('assets', 'models', 'draft'). */
export function appPath(...parts: string[]): string {
  return path.join(find().root, ...parts);
}
