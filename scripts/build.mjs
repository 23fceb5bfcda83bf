#!/usr/bin/env node
// Builds the studio: the React UI with Vite, and the Electron main, preload, engine host, warp
// worker and `camtrack` command line with esbuild (CommonJS; native modules stay external and are
// unpacked from the asar by electron-builder). `--main` builds only the esbuild bundles (a few
// seconds: `npm install` runs it, so the CLI starts fast), `--renderer` only the UI. With
// `--if-possible` (npm install's prepare step) a missing esbuild (an install without dev
// dependencies) is a note, not a failure: bin/camtrack.mjs then runs the sources.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The bundles of the Node side into `outdir` (dist/main by default). */
export async function buildMain(outdir = path.join(root, 'dist/main')) {
  const { build: esbuild } = await import('esbuild');
  const external = ['electron', 'onnxruntime-node', 'sharp', 'ffmpeg-static', 'ws', 'bufferutil', 'utf-8-validate'];
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external,
    logLevel: 'warning',
    metafile: true,
    outdir,
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  };
  const entries = {
    main: 'src-main/electron/main.ts',
    preload: 'src-main/electron/preload.ts',
    host: 'src-main/host/entry.ts',
    // Worker threads the engine starts (frames warped in parallel): a bundle each, beside host.cjs.
    'warp.worker': 'src-main/engine/warp/warp.worker.ts',
    // Depth estimation runs its model in a worker thread (a cancel ends the thread).
    'depth.worker': 'src-main/engine/depth/estimate.worker.ts',
    cli: 'src-main/cli/main.ts',
  };
  // The command line loads each command's module only when it runs (src-main/cli/commands/index.ts):
  // each becomes a bundle of its own, cli-<module>.cjs beside cli.cjs, which the entry requires by
  // that name. cli.cjs itself holds only the program and the command list, so `camtrack --help`
  // compiles a small file instead of the whole engine.
  const commandModules = new Set();
  const splitCommands = {
    name: 'cli-command-modules',
    setup(b) {
      b.onResolve({ filter: /^\.\/[A-Za-z0-9_-]+$/ }, (args) => {
        if (
          args.kind !== 'dynamic-import' ||
          path.resolve(args.importer) !== path.join(root, 'src-main', 'cli', 'commands', 'index.ts')
        )
          return undefined;
        const name = args.path.slice(2);
        commandModules.add(name);
        return { path: `./cli-${name}.cjs`, external: true };
      });
    },
  };
  const inputs = new Set();
  const builds = Object.entries(entries).map(([name, file]) => [name, file, name === 'cli' ? [splitCommands] : []]);
  for (let i = 0; i < builds.length; i++) {
    const [name, file, plugins] = builds[i];
    const r = await esbuild({ ...common, plugins, entryPoints: { [name]: path.join(root, file) } });
    if (name === 'cli')
      for (const m of [...commandModules].sort()) builds.push([`cli-${m}`, `src-main/cli/commands/${m}.ts`, []]);
    // bin/camtrack.mjs runs cli.cjs only while none of these sources is newer (else it runs the sources).
    if (name !== 'main' && name !== 'preload')
      for (const f of Object.keys(r.metafile.inputs))
        if (!f.includes('node_modules')) inputs.add(path.relative(root, path.resolve(f)));
  }
  writeFileSync(path.join(outdir, 'cli.inputs.json'), JSON.stringify([...inputs].sort(), null, 1));
}

export async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.includes('--renderer') ? 'renderer' : process.argv.includes('--main') ? 'main' : 'all';
  if (only !== 'main') await buildRenderer();
  if (only !== 'renderer') {
    try {
      await buildMain();
    } catch (e) {
      if (!process.argv.includes('--if-possible')) throw e;
      console.log(
        `build: the CLI bundle was not built (${String(e?.message ?? e).split('\n')[0]}); camtrack runs from the sources`,
      );
      process.exit(0);
    }
  }
  console.log(`build: ${only} done`);
}
