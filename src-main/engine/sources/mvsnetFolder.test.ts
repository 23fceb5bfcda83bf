import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { fixture } from '../../test/fixtures';
import { openProject } from '../project/store';
import { parseViewList, readMvsnetFolder } from './mvsnetFolder';
import { writeProjectFromMvsnet, writeProjectFromTransforms } from './project';
import { parseTransforms } from './transforms';
import { writeSparseViewDataset, writeSparseViewMvsnet } from '../../test/sparseViews';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-mvsnet-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const DTU = fixture('dtu_scan1_mvsnet');

/** A copy of the DTU folder to break. */
async function dtuCopy(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.cp(DTU, dir, { recursive: true });
  return dir;
}

describe('the MVSNet / DTU folder importer', () => {
  it('reads DTU scan 1: K as written, and the pose of an OpenCV world-to-camera file as camera-to-world in GL axes', async () => {
    const views = await readMvsnetFolder(DTU, { views: [2, 1] });
    expect(views.map((v) => v.name)).toEqual(['00000002.png', '00000001.png']);
    const v1 = views[1];
    expect(v1).toMatchObject({
      width: 160,
      height: 128,
      intrinsics: { fx: 361.54125, fy: 360.3975, cx: 82.90075, cy: 66.383625 },
      mapping: { kind: 'depth', scale: 1 },
    });
    expect(v1.depthPath).toBe(path.join(DTU, 'depths', '00000001.pfm'));
    // From the file by the textbook formulas: the centre is -R^T t, and the camera looks along R's third row (GL -z).
    const R = [
      [0.0333426, -0.891497, 0.451799],
      [0.428953, 0.421062, 0.799191],
      [-0.902711, 0.167153, 0.396449],
    ];
    const t = [-295.083, -501.735, 407.882];
    const centre = [0, 1, 2].map((c) => -(R[0][c] * t[0] + R[1][c] * t[1] + R[2][c] * t[2]));
    expect([v1.c2w[3], v1.c2w[7], v1.c2w[11]].map((x, i) => x - centre[i]).every((d) => Math.abs(d) < 1e-9)).toBe(true);
    for (let r = 0; r < 3; r++) {
      expect(v1.c2w[r * 4 + 0]).toBeCloseTo(R[0][r], 12); // x right: same in both conventions
      expect(v1.c2w[r * 4 + 1]).toBeCloseTo(-R[1][r], 12); // GL +y is OpenCV -y
      expect(v1.c2w[r * 4 + 2]).toBeCloseTo(-R[2][r], 12); // GL +z is OpenCV -z
    }
    // Every view by default, in number order.
    expect((await readMvsnetFolder(DTU)).map((v) => v.name)).toEqual(['00000001.png', '00000002.png']);
  });

  it('a scene imported from transforms.json and from an MVSNet folder lands on the same poses, intrinsics and track', async () => {
    const ns = await writeSparseViewDataset(path.join(root, 'ns'));
    await writeSparseViewMvsnet(path.join(root, 'mvs'));
    const a = (await writeProjectFromTransforms(path.join(root, 'A.camtrack'), ns.transforms, { numFrames: 7 })).doc;
    const b = (
      await writeProjectFromMvsnet(path.join(root, 'B.camtrack'), path.join(root, 'mvs'), {
        views: [23, 26],
        numFrames: 7,
      })
    ).doc;
    expect(b.sources).toHaveLength(1);
    expect(b.image!.intrinsics).toEqual(a.image!.intrinsics);
    expect(b.sources[0].image.intrinsics).toEqual(a.sources[0].image.intrinsics);
    for (let i = 0; i < 16; i++) expect(b.sources[0].c2w[i]).toBeCloseTo(a.sources[0].c2w[i], 9);
    expect(b.track.keyframes.map((k) => k.frame)).toEqual(a.track.keyframes.map((k) => k.frame));
    for (const [ka, kb] of a.track.keyframes.map((k, i) => [k, b.track.keyframes[i]] as const)) {
      for (let j = 0; j < 3; j++) expect(kb.position[j]).toBeCloseTo(ka.position[j], 9);
      expect(kb.fovY).toBeCloseTo(ka.fovY, 9);
    }
    // The project on disk holds both views' assets and opens again.
    const reopened = await openProject(path.join(root, 'B.camtrack'));
    expect(reopened.doc.sources[0].name).toBe('00000026.png');
    expect(reopened.doc.sources[0].depth.mapping).toMatchObject({ kind: 'depth', scale: 1 });
  });

  it('refuses what it cannot use with a message naming the file and the problem', async () => {
    await expect(readMvsnetFolder(path.join(root, 'nowhere'))).rejects.toThrow(
      /is not an MVSNet folder: it has no cams\/ folder/,
    );
    await expect(readMvsnetFolder(DTU, { views: [1, 23] })).rejects.toThrow(
      /View 23 is not in .*cams: it holds views 1, 2/,
    );
    await expect(readMvsnetFolder(DTU, { views: [1, 1] })).rejects.toThrow(/View 1 is listed twice/);

    const noDepth = await dtuCopy('nodepth');
    await fs.rm(path.join(noDepth, 'depths', '00000002.pfm'));
    await expect(readMvsnetFolder(noDepth)).rejects.toThrow(/View 2 has no depth map .*00000002\.pfm or \.npy/);

    const noImage = await dtuCopy('noimage');
    await fs.rm(path.join(noImage, 'images', '00000001.png'));
    await expect(readMvsnetFolder(noImage)).rejects.toThrow(
      /View 1 has a camera \(cams\/00000001_cam\.txt\) but no photo/,
    );

    const corrupt = await dtuCopy('corrupt');
    await fs.writeFile(path.join(corrupt, 'cams', '00000002_cam.txt'), 'extrinsic\n1 0 0\n');
    await expect(readMvsnetFolder(corrupt)).rejects.toThrow(/cams\/00000002_cam\.txt is not an MVSNet camera file/);
    await fs.writeFile(
      path.join(corrupt, 'cams', '00000002_cam.txt'),
      'extrinsic\n2 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n\nintrinsic\n100 0 80\n0 100 64\n0 0 1\n',
    );
    await expect(readMvsnetFolder(corrupt)).rejects.toThrow(
      /00000002_cam\.txt: the extrinsic is not a rigid camera pose/,
    );

    const badImage = await dtuCopy('badimage');
    await fs.writeFile(path.join(badImage, 'images', '00000002.png'), 'not a picture');
    await expect(readMvsnetFolder(badImage)).rejects.toThrow(/images\/00000002\.png is not a readable image/);

    const badDepth = await dtuCopy('baddepth');
    await fs.writeFile(path.join(badDepth, 'depths', '00000001.pfm'), 'Pf\n160 128\n-1\nshort');
    await expect(readMvsnetFolder(badDepth)).rejects.toThrow(/00000001\.pfm/);

    // The full-size photo beside K and depth for 160x128: another aspect, refused before anything is written.
    const fullSize = await dtuCopy('fullsize');
    await fs.rm(path.join(fullSize, 'images', '00000001.png'));
    await fs.copyFile(fixture('dtu_scan1', '000001.jpg'), path.join(fullSize, 'images', '00000001.jpg'));
    await expect(readMvsnetFolder(fullSize)).rejects.toThrow(
      /depth map depths\/00000001\.pfm is 160x128 and the photo images\/00000001\.jpg 1600x1200: they must show the same view/,
    );

    // K written for a smaller grid than the photo (same aspect): the principal point gives it away.
    const bigger = await dtuCopy('bigger');
    const sharp = (await import('sharp')).default;
    await fs.writeFile(
      path.join(bigger, 'images', '00000002.png'),
      await sharp(path.join(DTU, 'images', '00000002.png'))
        .resize(640, 512)
        .png()
        .toBuffer(),
    );
    await expect(readMvsnetFolder(bigger)).rejects.toThrow(
      /principal point \(82\.90\d*, 66\.38\d*\) is far from the centre of the 640x512 photo/,
    );
  });

  it('--views parses view numbers and refuses anything else', () => {
    expect(parseViewList('23,26')).toEqual([23, 26]);
    expect(parseViewList(' 1 , 2 ')).toEqual([1, 2]);
    expect(() => parseViewList('23;26')).toThrow(/view numbers separated by commas/);
    expect(() => parseViewList('-1,2')).toThrow(/view numbers/);
  });
});

describe('camtrack project new --mvsnet', () => {
  it('makes a sparse-view project from the views asked for, the first the photo', async () => {
    const r = await runCli(
      'project',
      'new',
      path.join(root, 'Scan'),
      '--mvsnet',
      DTU,
      '--views',
      '2,1',
      '--frames',
      '9',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { doc } = await openProject(path.join(root, 'Scan.camtrack'));
    expect(doc.image).toMatchObject({ originalName: '00000002.png', width: 160, height: 128 });
    expect(doc.image!.intrinsics!.cx).toBeCloseTo(82.900625, 9);
    expect(doc.sources.map((v) => [v.name, v.enabled])).toEqual([['00000001.png', true]]);
    expect(doc.track.numFrames).toBe(9);
    expect(doc.track.keyframes.map((k) => k.frame)).toEqual([0, 8]);
  });

  it('says what is wrong with the flags or the folder', async () => {
    const views = await runCli('project', 'new', path.join(root, 'X'), '--views', '1,2');
    expect(views.code).not.toBe(0);
    expect(views.err).toMatch(/--views picks views of an MVSNet folder: give --mvsnet DIR too/);
    const both = await runCli('project', 'new', path.join(root, 'X'), '--mvsnet', DTU, '--transforms', 't.json');
    expect(both.err).toMatch(/Give --transforms or --mvsnet, not both/);
    const bad = await runCli('project', 'new', path.join(root, 'X'), '--mvsnet', DTU, '--views', '1-2');
    expect(bad.err).toMatch(/view numbers separated by commas/);
    const missing = await runCli('project', 'new', path.join(root, 'X'), '--mvsnet', DTU, '--views', '1,7');
    expect(missing.err).toMatch(/View 7 is not in .*cams: it holds views 1, 2/);
    await expect(fs.stat(path.join(root, 'X.camtrack'))).rejects.toThrow();
  });
});

describe('transforms.json paths confined to its folder', () => {
  const doc = (file: string, depth = 'd.npy') =>
    JSON.stringify({
      fl_x: 1,
      fl_y: 1,
      cx: 1,
      cy: 1,
      w: 2,
      h: 2,
      frames: [
        { file_path: file, depth_file_path: depth, transform_matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] },
      ],
    });
  it('a path leading out of the folder is refused by name when confined, and read as given otherwise', () => {
    const file = path.join(root, 'set', 'transforms.json');
    expect(() => parseTransforms(doc('../secret.png'), file, { confine: true })).toThrow(
      /frame 0: "file_path" \.\.\/secret\.png leads outside the folder of the transforms\.json/,
    );
    expect(() => parseTransforms(doc('a.png', '/etc/passwd'), file, { confine: true })).toThrow(
      /"depth_file_path" \/etc\/passwd leads outside/,
    );
    expect(() => parseTransforms(doc('images/../../x.png'), file, { confine: true })).toThrow(/leads outside/);
    expect(parseTransforms(doc('images/../a.png'), file, { confine: true })[0].imagePath).toBe(
      path.join(root, 'set', 'a.png'),
    );
    expect(parseTransforms(doc('../secret.png'), file)[0].imagePath).toBe(path.join(root, 'secret.png'));
  });
});
