/**
 * Makes the sample in assets/scene/: the project's synthetic scene ray-cast at 1024x576 from the
 * source camera (identity pose, 50 degree vertical field of view), its exact z-depth as float32
 * .npy, and a 25-frame camera_path.json (a gentle dolly-in with a turn) to warp it along.
 * Deterministic: running it again rewrites the same files.
 *
 *   npx tsx scripts/make-sample-scene.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDENTITY4, intrinsicsFromFovY } from '../src-main/engine/geometry/conventions';
import { cameraPathFromFrames, stringifyCameraPath } from '../src-main/engine/camera/nerfstudio';
import { encodePng } from '../src-main/engine/image/encode';
import { writeNpy } from '../src-main/engine/npy/npy';
import { poseAt } from '../src-main/engine/scene/poses';
import { renderScene, sampleScene } from '../src-main/engine/scene/scene';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets/scene');
const WIDTH = 1024;
const HEIGHT = 576;
const FOV_Y = 50;
const FRAMES = 25;

const k = intrinsicsFromFovY(FOV_Y, WIDTH, HEIGHT);
const shot = renderScene(sampleScene(), { c2w: IDENTITY4, intrinsics: k }, 3);
await mkdir(OUT, { recursive: true });
await writeFile(path.join(OUT, 'sample.png'), await encodePng(shot.image));
await writeFile(path.join(OUT, 'sample_depth.npy'), writeNpy(shot.depth, [HEIGHT, WIDTH]));
const cameras = Array.from({ length: FRAMES }, (_, i) => {
  const t = i / (FRAMES - 1);
  return { c2w: poseAt([0.6 * t, 0.1 * t, -0.8 * t], 6 * t), intrinsics: k };
});
await writeFile(path.join(OUT, 'camera_path.json'), stringifyCameraPath(cameraPathFromFrames(cameras, 10)));
let zMin = Infinity,
  zMax = 0;
for (const z of shot.depth)
  if (z > 0) {
    zMin = Math.min(zMin, z);
    zMax = Math.max(zMax, z);
  }
process.stdout.write(
  `wrote ${OUT}: sample.png, sample_depth.npy (z ${zMin.toFixed(3)}..${zMax.toFixed(3)}), camera_path.json (${FRAMES} cameras)\n`,
);
