import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraPathFromFrames, stringifyCameraPath } from '../engine/camera/nerfstudio';
import { IDENTITY4, intrinsicsFromFovY } from '../engine/geometry/conventions';
import { encodePng } from '../engine/image/encode';
import { writeNpy } from '../engine/npy/npy';
import { poseAt } from '../engine/scene/poses';
import { renderScene, sampleScene } from '../engine/scene/scene';
import { cliBundleState } from '../../bin/freshness.mjs';
import { REPO_ROOT } from '../test/fixtures';
import { tempDir } from '../test/tmp';
import { registerAllCommands } from './commands';

const run = promisify(execFile);

describe('bin/camtrack.mjs picks the bundle only when it was built from the sources in the tree', () => {
  function app() {
    const root = tempDir('camtrack-bin-');
    mkdirSync(path.join(root, 'dist', 'main'), { recursive: true });
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src', 'a.ts'), '');
    writeFileSync(path.join(root, 'dist', 'main', 'cli.inputs.json'), '["src/a.ts"]');
    const past = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, 'src', 'a.ts'), past, past);
    writeFileSync(path.join(root, 'dist', 'main', 'cli.cjs'), '');
    return root;
  }

  it('fresh; stale when a source changed or is gone; stale without the bundle', () => {
    const root = app();
    expect(cliBundleState(root)).toEqual({ fresh: true, reason: 'built from the sources in the tree' });
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'src', 'a.ts'), future, future);
    expect(cliBundleState(root)).toEqual({ fresh: false, reason: 'src/a.ts changed since the last build' });
    rmSync(path.join(root, 'src', 'a.ts'));
    expect(cliBundleState(root).reason).toBe('src/a.ts is gone since the last build');
    rmSync(path.join(root, 'dist', 'main', 'cli.cjs'));
    expect(cliBundleState(root).reason).toBe('the CLI bundle is not built');
  });
});

describe('the bundled CLI (what `npm install` and `npm run build` make)', () => {
  // Built into its own folder inside the checkout (the app finds its root by walking up to package.json).
  const out = path.join(REPO_ROOT, 'dist', `cli-test-${process.pid}`);
  // What bin/camtrack.mjs does with a fresh bundle: require it and run main().
  const start = `require(${JSON.stringify(path.join(out, 'cli.cjs'))}).main(['node', 'camtrack', ...JSON.parse(process.env.ARGS)]).then((c) => { process.exitCode = c; })`;
  const cli = (...args: string[]) =>
    run(process.execPath, ['-e', start], { cwd: REPO_ROOT, env: { ...process.env, ARGS: JSON.stringify(args) } });
  beforeAll(async () => {
    const { buildMain } = (await import(path.join(REPO_ROOT, 'scripts', 'build.mjs'))) as {
      buildMain(outdir: string): Promise<void>;
    };
    await buildMain(out);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('lists every command the sources register, and each one answers --help', async () => {
    const program = new Command();
    await registerAllCommands(program);
    const names = program.commands.map((c) => c.name());
    expect(names.length).toBeGreaterThanOrEqual(10);
    const { stdout } = await cli('--help');
    for (const name of names) {
      expect(stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
      const help = await cli(name, '--help');
      expect(help.stdout).toMatch(new RegExp(`^Usage: camtrack ${name}\\b`));
    }
  });

  it('loads only the module of the command that runs: --help loads no command module, no sharp, onnxruntime-node or ws', async () => {
    // Every module file in require's cache once the command is done, as the bundle ran it.
    const loaded = async (...args: string[]) => {
      const probe = `require(${JSON.stringify(path.join(out, 'cli.cjs'))}).main(['node', 'camtrack', ...JSON.parse(process.env.ARGS)]).then((c) => { process.exitCode = c; process.stderr.write('LOADED' + JSON.stringify(Object.keys(require.cache))); })`;
      const r = await run(process.execPath, ['-e', probe], {
        cwd: REPO_ROOT,
        env: { ...process.env, ARGS: JSON.stringify(args) },
      });
      return (JSON.parse(r.stderr.slice(r.stderr.indexOf('LOADED') + 6)) as string[]).map((f) =>
        path.relative(REPO_ROOT, f),
      );
    };
    const heavy = (files: string[]) =>
      files.filter((f) => /node_modules[\\/](sharp|onnxruntime-node|ws|@img)[\\/]/.test(f));
    const commandModules = (files: string[]) =>
      files.filter((f) => /cli-[a-z]+\.cjs$/.test(f)).map((f) => path.basename(f));
    const help = await loaded('--help');
    expect(commandModules(help)).toEqual([]);
    expect(heavy(help)).toEqual([]);
    const lambda = await loaded('lambda', '--steps', '4', '--frames', '2');
    expect(commandModules(lambda)).toEqual(['cli-lambda.cjs']);
    expect(heavy(lambda)).toEqual([]);
    // A command module's own CamtrackError (its own copy of the class) still prints as one line with its code.
    const failed = await run(process.execPath, ['-e', start], {
      cwd: REPO_ROOT,
      env: { ...process.env, CAMTRACK_REDIS_URL: '', ARGS: JSON.stringify(['farm', 'status']) },
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^camtrack: Give the farm's Redis with --redis .* \[bad-input\]\n$/);
    // A heavy command still gets what it needs.
    const render = await loaded('render', '--help');
    expect(commandModules(render)).toEqual(['cli-render.cjs']);
  });

  it('computes what the sources compute (lambda table), and warps frames with its bundled worker', async () => {
    const { stdout } = await cli('lambda', '--steps', '4', '--frames', '3');
    const { defaultLambda } = await import('../engine/lambda/search');
    const { sigmasForSteps } = await import('../engine/schedule/sigmas');
    expect(JSON.parse(stdout).lambda.flat()).toEqual(Array.from(defaultLambda(sigmasForSteps(4), 3).table.data));

    const dir = tempDir('camtrack-bundle-warp-');
    const K = intrinsicsFromFovY(50, 96, 64);
    const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: K }, 1);
    writeFileSync(path.join(dir, 'photo.png'), await encodePng(shot.image));
    writeFileSync(path.join(dir, 'depth.npy'), writeNpy(shot.depth, [64, 96]));
    const cams = [0, 1, 2].map((i) => ({ c2w: poseAt([0.1 * i, 0, -0.1 * i], 2 * i), intrinsics: K }));
    writeFileSync(path.join(dir, 'path.json'), stringifyCameraPath(cameraPathFromFrames(cams, 10)));
    const warp = await cli(
      'warp',
      '--image',
      path.join(dir, 'photo.png'),
      '--depth',
      path.join(dir, 'depth.npy'),
      '--camera-path',
      path.join(dir, 'path.json'),
      '--out',
      path.join(dir, 'out'),
    );
    expect(JSON.parse(warp.stdout.trim().split('\n').pop()!)).toMatchObject({ frames: 3, width: 96, height: 64 });
  });
});
