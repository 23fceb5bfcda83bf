import path from 'node:path';
import { presetTrack } from '../engine/camera/presets';
import { sourceFovY } from '../engine/camera/intrinsics';
import { openProject } from '../engine/project/store';
import { writeProjectFromFiles } from '../engine/sources/fromFiles';
import { depthAsset, type LambdaDoc, type ProjectDoc, type RenderSettings } from '../engine/project/schema';
import { appPath } from '../engine/util/appRoot';

/** The committed sample project (scripts/make-sample-project.ts). */
export function sampleProjectDir(): string {
  return appPath('assets', 'samples', 'synthetic-orbit.camtrack');
}

export interface TinyProjectOptions {
  frames?: number;
  degreesPerFrame?: number;
  render?: Partial<RenderSettings>;
  lambda?: LambdaDoc;
}

/**
 * A small project for tests, made from the sample project's photo and depth (read in place): a
 * short orbit at a small render size on the CPU, so a whole render takes well under a second of model time.
 */
export async function writeTinyProject(dir: string, opts: TinyProjectOptions = {}): Promise<ProjectDoc> {
  const sample = await openProject(sampleProjectDir());
  const frames = opts.frames ?? 4;
  const render: Partial<RenderSettings> = {
    width: 128,
    height: 64,
    fit: 'crop',
    steps: 4,
    seed: 7,
    model: 'draft',
    executionProvider: 'cpu',
    format: 'mp4',
    decodeChunk: 3,
    ...opts.render,
  };
  const track = presetTrack(
    { kind: 'orbit', degreesPerFrame: opts.degreesPerFrame ?? 2 },
    {
      numFrames: frames,
      fps: 7,
      sourceFovY: sourceFovY({ ...sample.doc, render: { ...sample.doc.render, ...render } }),
      targetDepth: 5.8,
    },
  );
  const assets = path.join(sample.dir, 'assets');
  const saved = await writeProjectFromFiles(dir, {
    imagePath: path.join(assets, sample.doc.image!.asset.file),
    depthPath: path.join(assets, depthAsset(sample.doc.depth!)!.file),
    mapping: sample.doc.depth!.mapping,
    track,
    render,
    ...(opts.lambda && { lambda: opts.lambda }),
    name: 'tiny',
  });
  return saved.doc;
}
