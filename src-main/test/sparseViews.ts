import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FrameCamera } from '../engine/geometry/conventions';
import { encodePng } from '../engine/image/encode';
import { writeNpy } from '../engine/npy/npy';
import { poseAt } from '../engine/scene/poses';
import { renderScene, sampleScene, type SceneRender } from '../engine/scene/scene';

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

export async function writeSparseViewDataset(
  dir: string,
): Promise<{ transforms: string; truth: Record<'left' | 'middle' | 'right', SceneRender> }> {
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
  await fs.writeFile(
    path.join(dir, 'right_depth.png'),
    await sharp(mm, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer(),
  );
  const matrix = (c2w: readonly number[]) => [0, 1, 2, 3].map((r) => c2w.slice(r * 4, r * 4 + 4));
  const transforms = {
    camera_model: 'OPENCV',
    fl_x: SPARSE_K.fx,
    fl_y: SPARSE_K.fy,
    cx: SPARSE_K.cx,
    cy: SPARSE_K.cy,
    w,
    h,
    depth_unit_scale_factor: 0.001,
    frames: [
      { file_path: 'left.png', depth_file_path: 'left_depth.npy', transform_matrix: matrix(SPARSE_CAMERAS.left.c2w) },
      {
        file_path: 'right.png',
        depth_file_path: 'right_depth.png',
        transform_matrix: matrix(SPARSE_CAMERAS.right.c2w),
      },
    ],
  };
  const file = path.join(dir, 'transforms.json');
  await fs.writeFile(file, JSON.stringify(transforms, null, 2));
  return { transforms: file, truth };
}

/**
 * The same two views as an MVSNet folder (cams/, images/, depths/ as .npy), for the second
 * importer. The extrinsic is written the way MVSNet defines it, by hand: an OpenCV camera looks
 * down +z with y down, so its rotation's rows are the GL camera's x, -y and -z axes in world
 * coordinates, and t = -R C for the camera centre C.
 */
export async function writeSparseViewMvsnet(
  dir: string,
): Promise<{ truth: Record<'left' | 'middle' | 'right', SceneRender> }> {
  const scene = sampleScene();
  const truth = {
    left: renderScene(scene, SPARSE_CAMERAS.left, 2),
    middle: renderScene(scene, SPARSE_CAMERAS.middle, 2),
    right: renderScene(scene, SPARSE_CAMERAS.right, 2),
  };
  const { width: w, height: h, fx, fy, cx, cy } = SPARSE_K;
  for (const sub of ['cams', 'images', 'depths']) await fs.mkdir(path.join(dir, sub), { recursive: true });
  const views = [
    ['00000023', 'left'],
    ['00000026', 'right'],
  ] as const;
  for (const [id, side] of views) {
    const m = SPARSE_CAMERAS[side].c2w;
    const axis = (c: number, sign: number) => [sign * m[c], sign * m[4 + c], sign * m[8 + c]];
    const R = [axis(0, 1), axis(1, -1), axis(2, -1)];
    const C = [m[3], m[7], m[11]];
    const t = R.map((row) => -(row[0] * C[0] + row[1] * C[1] + row[2] * C[2]));
    const ext = R.map((row, i) => [...row, t[i]].join(' '))
      .concat('0 0 0 1')
      .join('\n');
    const text = `extrinsic\n${ext}\n\nintrinsic\n${fx} 0 ${cx}\n0 ${fy} ${cy}\n0 0 1\n\n0.5 0.01\n`;
    await fs.writeFile(path.join(dir, 'cams', `${id}_cam.txt`), text);
    await fs.writeFile(path.join(dir, 'images', `${id}.png`), await encodePng(truth[side].image));
    await fs.writeFile(path.join(dir, 'depths', `${id}.npy`), writeNpy(truth[side].depth, [h, w]));
  }
  return { truth };
}
