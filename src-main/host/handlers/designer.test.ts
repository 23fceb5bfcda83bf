import { tempDir } from '../../test/tmp';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { createEngineService } from '../service';
import type { ApiOutputs } from '../../api/contract';
import type { ProjectDoc } from '../../engine/project/schema';
import { writeNpy } from '../../engine/npy/npy';
import { fovYFromFocal, renderIntrinsics, sourceFovY, sourceIntrinsics } from '../../engine/camera/intrinsics';
import { presetTrack } from '../../engine/camera/presets';
import { evaluateTrack } from '../../engine/camera/evaluate';

/**
 * The track designer's engine calls, end to end through the service: depth import and preview,
 * the look-through warp, and track files. A 64x48 photo with a flat wall at z = 4 (disparity
 * 2500 under the default mapping) makes every number hand-checkable.
 */
const W = 64;
const H = 48;

async function setup() {
  const base = tempDir('designer-');
  const svc = createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    () => undefined,
  );
  const created = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
  const px = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    px[i * 3] = (i % W) * 4;
    px[i * 3 + 1] = Math.floor(i / W) * 5;
    px[i * 3 + 2] = 128;
  }
  const png = await sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
  const img = (await svc.handle('image.import', {
    project: created.dir,
    name: 'wall.png',
    bytes: new Uint8Array(png),
  })) as ApiOutputs['image.import'];
  // A float .npy holds z-depth (depth/defaults.ts): a wall 4 units away.
  const z = new Float32Array(W * H).fill(4);
  for (const i of [0, 1, W, W + 1]) z[i] = NaN; // a 2x2 block without depth in the corner
  const dep = (await svc.handle('depth.import', {
    project: created.dir,
    name: 'wall.npy',
    bytes: writeNpy(z, [H, W]),
  })) as ApiOutputs['depth.import'];
  const doc: ProjectDoc = {
    ...created.doc,
    image: img.image,
    depth: dep.depth,
    render: { ...created.doc.render, width: W, height: H },
  };
  return { svc, dir: created.dir, doc, report: dep.report };
}

describe('track designer calls', () => {
  it("imports depth with a report and previews it with the photo's intrinsics on the grid", async () => {
    const { svc, dir, doc, report } = await setup();
    expect(doc.depth!.mapping).toEqual({ kind: 'depth', scale: 1, near: 1e-4, far: 1e6 });
    expect(report).toMatchObject({ width: W, height: H, valid: W * H - 4, invalid: 4, min: 4, max: 4, median: 4 });
    expect(report.warnings).toEqual([]);
    expect(report.histogram.counts.reduce((a, b) => a + b, 0)).toBe(W * H - 4);
    expect(report.notes.join(' ')).toMatch(/4 NaN/);
    const p = (await svc.handle('depth.preview', { project: dir, doc, maxSide: 32 })) as ApiOutputs['depth.preview'];
    expect([p.width, p.height]).toEqual([32, 24]);
    const k = sourceIntrinsics(W, H);
    expect(p.fx).toBeCloseTo(k.fx / 2, 12);
    expect(p.cx).toBe(16);
    expect(p.depth[32 * 12 + 16]).toBe(4);
    // The preview pixel covering the 2x2 block has no valid weight: no depth.
    expect(Number.isNaN(p.depth[0])).toBe(true);
    // A mapping edit is applied: disparity kind, scale 10 -> z = 10 / 4 = 2.5.
    const asDepth = {
      ...doc,
      depth: { ...doc.depth!, mapping: { kind: 'disparity' as const, scale: 10, near: 0.1, far: 100 } },
    };
    const p2 = (await svc.handle('depth.preview', {
      project: dir,
      doc: asDepth,
      maxSide: 32,
    })) as ApiOutputs['depth.preview'];
    expect(p2.depth[32 * 12 + 16]).toBeCloseTo(2.5, 6);
    expect(p2.report).toMatchObject({ min: 2.5, max: 2.5, invalid: 4 });
  });

  it('warps frame 0 to the photo itself and a trucked frame with holes on the side it uncovers', async () => {
    const { svc, dir, doc } = await setup();
    const k = sourceIntrinsics(W, H);
    const track = presetTrack(
      { kind: 'truck', distance: 0.5 },
      { numFrames: 5, fps: 7, sourceFovY: fovYFromFocal(k.fy, H), targetDepth: 4 },
    );
    const d = { ...doc, track };
    const f0 = (await svc.handle('warp.frame', {
      project: dir,
      doc: d,
      frame: 0,
      maxSide: 64,
    })) as ApiOutputs['warp.frame'];
    expect([f0.width, f0.height]).toEqual([W, H]);
    // Only the 2x2 block without depth, dilated by 2 and clipped at the corner (4x4), is a hole.
    expect(f0.holeFraction).toBeCloseTo(16 / (W * H), 12);
    const img = await sharp(Buffer.from(f0.png)).raw().toBuffer();
    expect(img[(10 * W + 20) * 3]).toBe(80); // red = x * 4 at (20, 10): the photo, unmoved
    const f4 = (await svc.handle('warp.frame', {
      project: dir,
      doc: d,
      frame: 4,
      maxSide: 64,
    })) as ApiOutputs['warp.frame'];
    // Camera 0.5 right of a wall 4 away: the image shifts left by fx * 0.5 / 4 = 55.4 * 0.125 = 6.9 px, uncovering the right edge.
    const { data: mask, info } = await sharp(Buffer.from(f4.maskPng)).raw().toBuffer({ resolveWithObject: true });
    const hole = (x: number, y: number) => mask[(y * W + x) * info.channels] > 127;
    expect(hole(W - 1, 24)).toBe(true);
    expect(hole(W - 6, 24)).toBe(true);
    expect(hole(W - 12, 24)).toBe(false);
    expect(hole(5, 24)).toBe(false);
    await expect(svc.handle('warp.frame', { project: dir, doc: d, frame: 5 })).rejects.toMatchObject({
      code: 'bad-input',
    });
    await expect(svc.handle('warp.frame', { project: dir, doc: { ...d, depth: null }, frame: 1 })).rejects.toThrow(
      /needs depth/,
    );
  });

  it('round-trips camera_path.json and the track JSON, and refuses bad files clearly', async () => {
    const { svc, doc } = await setup();
    const track = presetTrack(
      { kind: 'orbit', degreesPerFrame: 2 },
      { numFrames: 25, fps: 7, sourceFovY: 36, targetDepth: 4 },
    );
    const d = { ...doc, track };
    const ns = (await svc.handle('track.export', { doc: d, format: 'nerfstudio' })) as ApiOutputs['track.export'];
    expect(ns.fileName).toBe('camera_path.json');
    const back = (await svc.handle('track.import', {
      name: 'camera_path.json',
      text: ns.text,
      doc: d,
    })) as ApiOutputs['track.import'];
    const k = sourceIntrinsics(W, H);
    const a = evaluateTrack(track, k);
    const b = evaluateTrack(back.track, k);
    for (let f = 0; f < 25; f++) {
      for (let i = 0; i < 16; i++) expect(Math.abs(a[f].c2w[i] - b[f].c2w[i])).toBeLessThan(1e-6);
      expect(b[f].intrinsics.fy).toBeCloseTo(a[f].intrinsics.fy, 6);
    }
    // The path's first camera is the photo's: exported and imported back, the photo keeps its camera.
    expect(sourceFovY({ ...d, image: back.image! })).toBeCloseTo(sourceFovY(d), 9);
    // A path of another field of view gives the photo that camera: frame 0 and frame 1 render alike (no jump).
    const wide = JSON.parse(ns.text);
    for (const c of wide.camera_path) c.fov = 50;
    const imported = (await svc.handle('track.import', {
      name: 'camera_path.json',
      text: JSON.stringify(wide),
      doc: d,
    })) as ApiOutputs['track.import'];
    expect(imported.notes.join('. ')).toMatch(/the photo's camera is its first camera \(50° vertical, was 46.8°\)/);
    const after = { ...d, track: imported.track, image: imported.image! };
    const cams = evaluateTrack(after.track, renderIntrinsics(after).intrinsics);
    expect(fovYFromFocal(cams[0].intrinsics.fy, cams[0].intrinsics.height)).toBeCloseTo(50, 9);
    expect(cams[1].intrinsics.fy).toBeCloseTo(cams[0].intrinsics.fy, 9);
    const own = (await svc.handle('track.export', { doc: d, format: 'camtrack' })) as ApiOutputs['track.export'];
    expect(own.fileName).toBe('Untitled.track.json');
    const ownBack = (await svc.handle('track.import', {
      name: own.fileName,
      text: own.text,
      doc: d,
    })) as ApiOutputs['track.import'];
    expect(ownBack.track).toEqual(track);
    await expect(svc.handle('track.import', { name: 'x.json', text: 'not json', doc: d })).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/not JSON/),
    });
    await expect(svc.handle('track.import', { name: 'x.json', text: '{"frames": []}', doc: d })).rejects.toThrow(
      /neither a nerfstudio camera_path\.json/,
    );
    await expect(
      svc.handle('track.import', { name: 'x.json', text: '{"camera_path": [{"camera_to_world": [1]}]}', doc: d }),
    ).rejects.toThrow(/camera_to_world/);
  });

  // Issue 12, item 8: the old handler returned a track with fovY 0.5, which the project schema refuses.
  it('track.import refuses a camera path whose track the project schema would refuse', async () => {
    const { svc, doc } = await setup();
    const cam = (fov: number, x = 0) => ({
      camera_to_world: [1, 0, 0, x, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      fov,
      aspect: W / H,
    });
    const text = (cams: object[]) => JSON.stringify({ render_width: W, render_height: H, fps: 8, camera_path: cams });
    await expect(
      svc.handle('track.import', { name: 'c.json', text: text([cam(40), cam(0.5)]), doc }),
    ).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(
        /camera 1 of "camera_path" needs a vertical "fov" in degrees between 1 and 179 \(got 0\.5\)/,
      ),
    });
    await expect(
      svc.handle('track.import', { name: 'c.json', text: text([cam(40, -1e308), cam(40, 1e308)]), doc }),
    ).rejects.toThrow(/camera 0 .* units from the origin/);
    const ok = (await svc.handle('track.import', {
      name: 'c.json',
      text: text([cam(40), cam(30, 1)]),
      doc,
    })) as ApiOutputs['track.import'];
    expect(ok.track.keyframes.map((k) => k.fovY.toFixed(6))).toEqual(['40.000000', '30.000000']);
  });
});
