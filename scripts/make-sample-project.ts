/**
 * Makes assets/samples/synthetic-orbit.camtrack, the project that renders out of the box:
 *
 * - the photo: the project's synthetic scene (src-main/engine/scene) ray-cast at 512x288 from the
 *   source camera with exactly the intrinsics the studio assumes for a photo without EXIF (60
 *   degree horizontal field of view, principal point at the centre), so the depth and the camera
 *   the render assumes agree exactly;
 * - its exact z-depth (float32 .npy, mapping 'depth', scale 1);
 * - a 14-frame orbit (0.8 degrees per frame, counter-clockwise) around a point straight ahead at
 *   the median scene depth, at 7 fps;
 * - render settings small enough for the CPU: 320x192 (crop), 25 steps, the built-in draft model,
 *   and the reference's default lambda table for 25 x 14.
 *
 * Deterministic: running it again writes the same files.
 *
 *   npx tsx scripts/make-sample-project.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IDENTITY4 } from '../src-main/engine/geometry/conventions';
import { fovYFromFocal, sourceIntrinsics } from '../src-main/engine/camera/intrinsics';
import { presetTrack } from '../src-main/engine/camera/presets';
import { computeFit, placeIntrinsics } from '../src-main/engine/image/fit';
import { encodePng } from '../src-main/engine/image/encode';
import { writeNpy } from '../src-main/engine/npy/npy';
import { writeProjectFromFiles } from '../src-main/engine/sources/fromFiles';
import { renderScene, sampleScene } from '../src-main/engine/scene/scene';
import { appPath } from '../src-main/engine/util/appRoot';

const SAMPLE_PROJECT = appPath('assets', 'samples', 'synthetic-orbit.camtrack');
const PHOTO = { width: 512, height: 288 };
const RENDER = { width: 320, height: 192 };
const FRAMES = 14;
const FPS = 7;
const NOW = new Date('2026-11-25T00:00:00.000Z');

const k = sourceIntrinsics(PHOTO.width, PHOTO.height);
const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: k }, 3);
const depths = Array.from(shot.depth)
  .filter((z) => z > 0)
  .sort((a, b) => a - b);
const medianDepth = depths[Math.floor(depths.length / 2)];

// The orbit keeps the photo's focal length: the source camera's fov at the render framing.
const renderK = placeIntrinsics(k, computeFit(PHOTO.width, PHOTO.height, RENDER.width, RENDER.height, 'crop'));
const track = presetTrack(
  { kind: 'orbit', degreesPerFrame: 0.8, direction: 'ccw' },
  {
    numFrames: FRAMES,
    fps: FPS,
    sourceFovY: fovYFromFocal(renderK.fy, renderK.height),
    targetDepth: Math.round(medianDepth * 100) / 100,
  },
);

const tmp = await mkdtemp(path.join(os.tmpdir(), 'camtrack-sample-'));
try {
  const imagePath = path.join(tmp, 'synthetic.png');
  const depthPath = path.join(tmp, 'synthetic_depth.npy');
  await writeFile(imagePath, await encodePng(shot.image));
  await writeFile(depthPath, writeNpy(shot.depth, [PHOTO.height, PHOTO.width]));
  await rm(SAMPLE_PROJECT, { recursive: true, force: true });
  await writeProjectFromFiles(SAMPLE_PROJECT, {
    imagePath,
    depthPath,
    mapping: { kind: 'depth', scale: 1, near: 1e-4, far: 1000 },
    track,
    // Guidance 1 throughout: the draft UNet's unconditional pass has no image to follow, so a guidance
    // scale g renders the draft's Gaussian mean g times brighter (exact, but not what a preview wants).
    render: {
      ...RENDER,
      fit: 'crop',
      steps: 25,
      seed: 42,
      model: 'draft',
      executionProvider: 'auto',
      format: 'mp4',
      decodeChunk: 7,
      guidanceMin: 1,
      guidanceMax: 1,
    },
    name: 'Synthetic orbit (sample)',
    now: NOW,
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
process.stdout.write(
  `wrote ${SAMPLE_PROJECT}: ${PHOTO.width}x${PHOTO.height} photo, depth ${depths[0].toFixed(2)}..${depths[depths.length - 1].toFixed(2)}, ${FRAMES}-frame orbit around z = ${medianDepth.toFixed(2)}, render ${RENDER.width}x${RENDER.height}\n`,
);
