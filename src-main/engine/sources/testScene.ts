import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FrameCamera } from '../camera/conventions';
import { encodePng } from '../image/encode';
import { writeNpy } from '../npy/npy';
import { poseAt } from '../scene/poses';
import { renderScene, sampleScene, type SceneRender } from '../scene/scene';

/**
 * A sparse-view data set for tests, made by the project's own ray caster: the sample scene seen
 * from a left and a right camera (photos, exact z-depth) written as a nerfstudio transforms.json,
 * the left depth as .npy and the right as a 16-bit PNG in millimetres, and the true render of a
 * camera halfway between them for comparisons.
 */
export const SPARSE_K = { width: 128, height: 64, fx: 80, fy: 80, cx: 64, cy: 32 };
export const SPARSE_CAMERAS: Record<'left' | 'middle' | 'right', FrameCamera> = {
  left: { c2w: poseAt([-0.9, 0.1, 0], -5), intrinsics: SPARSE_K },
  middle: { c2w: poseAt([0, 0.1, 0], 0), intrinsics: SPARSE_K },
  right: { c2w: poseAt([0.9, 0.1, 0], 5), intrinsics: SPARSE_K },
};

export async function writeSparseViewDataset(dir: string): Promise<{ transforms: string; truth: Record<'left' | 'middle' | 'right', SceneRender> }> {
  await fs.mkdir(dir, { recursive: true });
  const scene = sampleScene();
  const truth = {
    left: renderScene(scene, SPARSE_CAMERAS.left, 2),
    middle: renderScene(scene, SPARSE_CAMERAS.middle, 2),
    right: renderScene(scene, SPARSE_CAMERAS.right, 2),
  };
  const { width: w, height: h } = SPARSE_K;
  await fs.writeFile(path.join(dir, 'left.png'), await encodePng(truth.left.image));
  await fs.writeFile(path.join(dir, 'right.png'), await encodePng(truth.right.image));
  await fs.writeFile(path.join(dir, 'left_depth.npy'), writeNpy(truth.left.depth, [h, w]));
  const mm = Uint16Array.from(truth.right.depth, (z) => Math.min(65535, Math.round(z * 1000)));
  await fs.writeFile(path.join(dir, 'right_depth.png'), await sharp(mm, { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toBuffer());
  const matrix = (c2w: readonly number[]) => [0, 1, 2, 3].map((r) => c2w.slice(r * 4, r * 4 + 4));
  const transforms = {
    camera_model: 'OPENCV',
    fl_x: SPARSE_K.fx, fl_y: SPARSE_K.fy, cx: SPARSE_K.cx, cy: SPARSE_K.cy, w, h,
    depth_unit_scale_factor: 0.001,
    frames: [
      { file_path: 'left.png', depth_file_path: 'left_depth.npy', transform_matrix: matrix(SPARSE_CAMERAS.left.c2w) },
      { file_path: 'right.png', depth_file_path: 'right_depth.png', transform_matrix: matrix(SPARSE_CAMERAS.right.c2w) },
    ],
  };
  const file = path.join(dir, 'transforms.json');
  await fs.writeFile(file, JSON.stringify(transforms, null, 2));
  return { transforms: file, truth };
}
