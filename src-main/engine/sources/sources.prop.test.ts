import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAll, checkTextScaling, judge, mutatedBytes, mutatedJsonText, show } from '../../test/fuzz';
import { expectPositionWithinLimits } from '../../test/statedLimits';
import { PixelIntrinsics, Pose } from '../project/schema';
import { parseMvsnetCamera, type MvsnetCamera } from './mvsnet';
import { parseTransforms, type TransformsView } from './transforms';

/** Property-based tests of the sparse-view importers: nerfstudio transforms.json and MVSNet camera files. */
const pose = (x: number, yaw: number) => {
  const c = Math.cos(yaw),
    s = Math.sin(yaw);
  return [
    [c, 0, s, x],
    [0, 1, 0, 0.1],
    [-s, 0, c, -0.2],
    [0, 0, 0, 1],
  ];
};
const TRANSFORMS = {
  fl_x: 500,
  fl_y: 500,
  cx: 320,
  cy: 240,
  w: 640,
  h: 480,
  frames: [
    { file_path: 'images/a.png', depth_file_path: 'depth/a.npy', transform_matrix: pose(0, 0) },
    { file_path: 'images/b.png', depth_file_path: 'depth/b.png', transform_matrix: pose(0.5, 0.1), fl_x: 510 },
  ],
};

function acceptViews(views: TransformsView[]): void {
  expect(views.length).toBeGreaterThan(0);
  for (const v of views) {
    expect(Pose.safeParse(v.c2w).success).toBe(true);
    expect(PixelIntrinsics.safeParse(v.intrinsics).success).toBe(true);
    expect(Number.isInteger(v.width) && v.width > 0 && Number.isInteger(v.height) && v.height > 0).toBe(true);
    expectPositionWithinLimits([v.c2w[3], v.c2w[7], v.c2w[11]], v.name);
    expect(v.mapping.scale > 0 && Number.isFinite(v.mapping.scale)).toBe(true);
  }
}

function acceptCamera(c: MvsnetCamera): void {
  expect(c.w2c).toHaveLength(16);
  expect(c.K).toHaveLength(9);
  for (const v of [...c.w2c, ...c.K]) expect(Number.isFinite(v)).toBe(true);
  expect(c.K[0] > 0 && c.K[4] > 0).toBe(true);
  // The camera's centre, -R^T t, within the stated distance, as for every importer (issue 24).
  const w = c.w2c;
  expectPositionWithinLimits(
    [0, 1, 2].map((k) => -(w[k] * w[3] + w[4 + k] * w[7] + w[8 + k] * w[11])),
    'the MVSNet camera',
  );
}

const CAM =
  'extrinsic\n1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n\nintrinsic\n361.5 0 82.9\n0 360.4 66.4\n0 0 1\n\n425 2.5\n';

describe('sparse-view importers, property-based', () => {
  it('transforms.json: every mutated or random file gives schema-valid views or is refused clearly', async () => {
    await checkAll(mutatedJsonText([TRANSFORMS]), (text) =>
      judge(
        () => parseTransforms(text, '/x/transforms.json'),
        { accept: acceptViews },
        () => show(text),
      ),
    );
  });

  it('transforms.json: a view far out is refused, naming it (the first view becomes the origin)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1e6 + 1, 1e9, 1e308, -1e308), fc.integer({ min: 0, max: 1 }), (x, i) => {
        const t = structuredClone(TRANSFORMS);
        t.frames[i].transform_matrix[0][3] = x;
        expect(() => parseTransforms(JSON.stringify(t), '/x/transforms.json')).toThrow(
          new RegExp(`frame ${i} is .* units from the origin`),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('MVSNet camera files: every mutated or random file parses finite or is refused clearly', async () => {
    const cam = CAM;
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    await checkAll(mutatedBytes([enc.encode(cam), enc.encode(cam.replace('\n\n425 2.5\n', ''))]), (bytes) =>
      judge(
        () => parseMvsnetCamera(dec.decode(bytes), 'cam.txt'),
        { accept: acceptCamera },
        () => show(dec.decode(bytes)),
      ),
    );
  });

  it('transforms.json and MVSNet camera files: texts up to 2 MiB parse or are refused clearly, in time linear in their size', async () => {
    await checkTextScaling([JSON.stringify(TRANSFORMS)], (text) => parseTransforms(text, '/x/transforms.json'), {
      accept: acceptViews,
    });
    await checkTextScaling(
      [CAM],
      (text) => parseMvsnetCamera(text, 'cam.txt'),
      { accept: acceptCamera },
      { units: ['1', '0', '.', 'e', '-', ' ', '\n', '\t', 'extrinsic', 'intrinsic', 'NaN', '1e308 '] },
    );
  });
});
