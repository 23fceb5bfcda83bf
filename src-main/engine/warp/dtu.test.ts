import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures';
import { cvPoseToGl, rigidInverse, type FrameCamera, type Intrinsics } from '../geometry/conventions';
import { applyDepthMapping } from '../depth/mapping';
import { readDepthFile } from '../depth/read';
import { loadImageFile } from '../image/load';
import { resampleImage } from '../image/resample';
import { psnr, type RgbImage } from '../image/types';
import { prepareSource, warpFrame } from './forward';

/** MVSNet camera file: a 4x4 world-to-camera extrinsic (OpenCV axes) and a 3x3 K. */
async function readMvsnetCamera(file: string, width: number, height: number): Promise<FrameCamera> {
  const nums = (await readFile(file, 'utf8'))
    .split(/\s+/)
    .filter((t) => t && !/[a-z]/i.test(t))
    .map(Number);
  const w2c = nums.slice(0, 16);
  const k = nums.slice(16, 25);
  const intrinsics: Intrinsics = { width, height, fx: k[0], fy: k[4], cx: k[2], cy: k[5] };
  // camera-to-world in OpenCV axes, then into our GL-axes pose.
  return { c2w: cvPoseToGl(rigidInverse(w2c)), intrinsics };
}

/** The README's pipeline: 1600x1200 -> 800x600 -> crop 640x512 at (80, 44) -> /4: x' = x/8 - 20, y' = y/8 - 11. */
async function dtuView(n: string): Promise<RgbImage> {
  const img = (await loadImageFile(fixture('dtu_scan1', `${n}.jpg`))).image;
  return resampleImage(img, {
    srcWidth: 1600,
    srcHeight: 1200,
    width: 160,
    height: 128,
    scaleX: 1 / 8,
    scaleY: 1 / 8,
    offsetX: 20,
    offsetY: 11,
  });
}

describe('real cameras (DTU scan 1)', () => {
  it('warping view 1 into camera 2 gains at least 4 dB over the unwarped view', async () => {
    const [v1, v2] = [await dtuView('000001'), await dtuView('000002')];
    const cam1 = await readMvsnetCamera(fixture('dtu_scan1', '000001.txt'), 160, 128);
    const cam2 = await readMvsnetCamera(fixture('dtu_scan1', '000002.txt'), 160, 128);
    const mapping = { kind: 'depth', scale: 1, near: 1, far: 5000 } as const;
    const d1 = applyDepthMapping(await readDepthFile(fixture('dtu_scan1', '000001.pfm')), mapping).depth;
    const d2 = applyDepthMapping(await readDepthFile(fixture('dtu_scan1', '000002.pfm')), mapping).depth;
    const src = prepareSource({ image: v1, depth: d1.z, intrinsics: cam1.intrinsics, c2w: cam1.c2w });
    const w = warpFrame(src, cam2);
    // Compare where both have content: the warp is not a hole and view 2 sees the object.
    const both = (p: number) => !w.holes[p] && d2.z[p] > 0;
    let count = 0;
    for (let p = 0; p < 160 * 128; p++) if (both(p)) count++;
    expect(count).toBeGreaterThan(3000);
    const warped = psnr({ width: 160, height: 128, data: w.image }, v2, both);
    const unwarped = psnr(v1, v2, both);
    console.log(
      `DTU view 1 -> camera 2: warped ${warped.toFixed(2)} dB, unwarped ${unwarped.toFixed(2)} dB, gain ${(warped - unwarped).toFixed(2)} dB over ${count} pixels`,
    );
    expect(warped - unwarped).toBeGreaterThanOrEqual(4);
  });
});
