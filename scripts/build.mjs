#!/usr/bin/env node
// Builds the studio: the React UI with Vite, and the Electron main, preload and engine host with
// esbuild (CommonJS; native modules stay external and are unpacked from the asar by electron-builder).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--renderer') ? 'renderer' : process.argv.includes('--main') ? 'main' : 'all';

if (only !== 'main') {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
if (only !== 'renderer') {
  const external = ['electron', 'onnxruntime-node', 'sharp', 'ffmpeg-static', 'ws', 'bufferutil', 'utf-8-validate'];
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external, logLevel: 'warning', define: { 'import.meta.url': 'importMetaUrl' }, banner: { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' } };
  await esbuild({ ...common, entryPoints: { main: path.join(root, 'src-main/electron/main.ts') }, outdir: path.join(root, 'dist/main'), outExtension: { '.js': '.cjs' } });
  await esbuild({ ...common, entryPoints: { preload: path.join(root, 'src-main/electron/preload.ts') }, outdir: path.join(root, 'dist/main'), outExtension: { '.js': '.cjs' } });
  await esbuild({ ...common, entryPoints: { host: path.join(root, 'src-main/host/entry.ts') }, outdir: path.join(root, 'dist/main'), outExtension: { '.js': '.cjs' } });
  // Worker threads the engine starts (frames warped in parallel): a bundle each, beside host.cjs.
  await esbuild({ ...common, entryPoints: { 'warp.worker': path.join(root, 'src-main/engine/warp/warp.worker.ts') }, outdir: path.join(root, 'dist/main'), outExtension: { '.js': '.cjs' } });
}
console.log(`build: ${only} done`);
