import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * How to start a worker thread whose code is `sourceFile` (a path relative to the calling module)
 * or, in a build, the bundle `bundleName` beside the bundle that calls this. Running from
 * TypeScript source (tsx, vitest), a tiny bootstrap registers tsx in the worker and imports the
 * source. `callerUrl` is the caller's import.meta.url (the build defines it for CommonJS bundles).
 */
export function workerSpec(
  callerUrl: string | undefined,
  sourceFile: string,
  bundleName: string,
): { file: URL | string; eval: boolean } {
  const here = callerUrl || undefined;
  if (here && /\.[cm]?ts$/.test(here)) {
    const tsxDir = path.dirname(createRequire(here).resolve('tsx/package.json'));
    const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const entry = new URL(sourceFile, here).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return { file: code, eval: true };
  }
  const dir = here ? path.dirname(fileURLToPath(here)) : __dirname;
  return { file: path.join(dir, bundleName), eval: false };
}
