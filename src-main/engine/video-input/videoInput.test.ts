import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli';
import { tinyModelDir } from '../../test/tinySvd';
import { evaluateTrack } from '../camera/evaluate';
import { fovYFromFocal } from '../camera/intrinsics';
import { positionQuaternionFromPose } from '../camera/pose';
import { writeNpy } from '../npy/npy';
import { buildTestDepthModel } from '../../test/depthModel';
import { decodeDepth } from '../depth/read';
import { openProject, saveProjectAs } from '../project/store';
import { renderFromSidecar } from '../render/fromSidecar';
import { specFromDoc } from '../farm/spec';
import { parseProjectText, referencedAssets } from '../project/parse';
import { depthAsset, PROJECT_SCHEMA_VERSION, type Keyframe, type ProjectDoc } from '../project/schema';
import { renderIntrinsics } from '../camera/intrinsics';
import { renderProject } from '../render/render';
import { readSidecar } from '../render/sidecar';
import { poseAt } from '../scene/poses';
import { renderScene } from '../scene/scene';
import { writeProjectFromFiles } from '../sources/fromFiles';
import { defaultLambdaDoc } from '../project/create';
import { CamtrackError } from '../util/errors';
import { checkVideoSize, MAX_VIDEO_FRAMES } from './limits';
import { sortNaturally } from './depthSequence';
import { sourceFrameFor } from './track';
import {
  ballCentre,
  ballCentroid,
  frameTime,
  movingScene,
  writeMovingVideoDataset,
  type VideoDataset,
} from '../../test/videoScene';
import { writeProjectFromVideo } from './project';

/**
 * Video input (dynamic scenes, issue 15): a ray-cast scene with a magenta ball moving left to
 * right, encoded to a 6-frame H.264 clip with exact per-frame depth. The oracle: the rendered
 * frames show the ball where the scene at time k puts it, seen from the track's camera k; a
 * project of the first frame alone (a still photo) keeps it where it was.
 */
const W = 128,
  H = 72,
  N = 6;
let root: string;
let data: VideoDataset;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-video-input-'));
  data = await writeMovingVideoDataset(path.join(root, 'data'), { frames: N, width: W, height: H });
}, 60_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const errorOf = async (p: Promise<unknown>): Promise<CamtrackError> => {
  try {
    await p;
  } catch (e) {
    return e as CamtrackError;
  }
  throw new Error('expected a refusal');
};

/** Keys from the source camera to a camera 0.5 to the right, turned 5 degrees left, on the last frame. */
function movingTrack(doc: ProjectDoc, frames = N): ProjectDoc {
  const fovY = fovYFromFocal(data.intrinsics.fy, H);
  const { position, quaternion } = positionQuaternionFromPose(poseAt([0.5, 0, 0], 5));
  const key: Keyframe = {
    id: 'end',
    frame: frames - 1,
    position,
    orientation: { kind: 'quaternion', q: quaternion },
    fovY,
    easing: 'linear',
  };
  return { ...doc, track: { ...doc.track, numFrames: frames, keyframes: [{ ...doc.track.keyframes[0], fovY }, key] } };
}

const previewOf = (doc: ProjectDoc): ProjectDoc => ({
  ...doc,
  render: { ...doc.render, model: 'preview', width: W, height: H },
});

describe('importing a video with per-frame depth', () => {
  it("camtrack project new --video --video-depth: one PNG asset per frame, the depth files as they are, frame 0 as the photo, the video's frame rate", async () => {
    const r = await runCli(
      'project',
      'new',
      path.join(root, 'Clip'),
      '--video',
      data.video,
      '--video-depth',
      data.depthDir,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.video).toMatchObject({
      originalName: 'clip.mp4',
      depthFolder: 'depth',
      frames: N,
      width: W,
      height: H,
      fps: 7,
    });
    const { doc, dir } = await openProject(path.join(root, 'Clip.camtrack'));
    expect(doc.track.numFrames).toBe(N);
    expect(doc.track.fps).toBe(7);
    expect(doc.video!.frames).toHaveLength(N);
    expect(doc.image!.asset).toEqual(doc.video!.frames[0].image);
    expect(depthAsset(doc.depth!)).toEqual(doc.video!.frames[0].depth);
    expect(doc.video!.mapping).toMatchObject({ kind: 'depth', scale: 1 });
    // Each decoded frame is the ray-cast frame (H.264 4:4:4 at crf 8: within a few levels on average).
    for (const k of [0, N - 1]) {
      const png = await fs.readFile(path.join(dir, 'assets', doc.video!.frames[k].image.file));
      const { data: px } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      let err = 0;
      for (let i = 0; i < px.length; i++) err += Math.abs(px[i] / 255 - data.truth[k].image.data[i]);
      expect(err / px.length).toBeLessThan(0.02);
    }
    // The depth of frame 3 is stored byte for byte.
    const stored = await fs.readFile(path.join(dir, 'assets', doc.video!.frames[3].depth.file));
    expect(Buffer.compare(stored, await fs.readFile(path.join(data.depthDir, 'frame_3.npy')))).toBe(0);
  });

  it('--frames N imports the first N frames; a 16-bit PNG depth sequence takes the stated unit scale', async () => {
    const pngData = await writeMovingVideoDataset(path.join(root, 'pngdata'), {
      frames: 3,
      width: W,
      height: H,
      depth: 'png',
    });
    const doc = (
      await writeProjectFromVideo(path.join(root, 'Png.camtrack'), pngData.video, pngData.depthDir, {
        numFrames: 2,
        depthUnitScale: 0.001,
      })
    ).doc;
    expect(doc.video!.frames).toHaveLength(2);
    expect(doc.track.numFrames).toBe(2);
    expect(doc.video!.mapping).toMatchObject({ kind: 'depth', scale: 0.001 });
  });

  it("a version-2 project opens as version 3 with no video; a video project lists every frame's assets as referenced", async () => {
    const { doc } = await openProject(path.join(root, 'Clip.camtrack'));
    const v2 = { ...doc, schemaVersion: 2 } as Record<string, unknown>;
    delete v2.video;
    const parsed = parseProjectText(JSON.stringify(v2), 'old.json');
    expect(parsed.migratedFrom).toBe(2);
    expect(parsed.doc.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(parsed.doc.video).toBeUndefined();
    // Frame 0 is the photo and depth, listed once; frames 1..5 add an image and a depth each.
    expect(referencedAssets(doc)).toHaveLength(2 + 2 * (N - 1));
  });

  it('orders depth files naturally and holds the last source frame past the end of the video', () => {
    expect(sortNaturally(['frame_10.npy', 'frame_2.npy', 'frame_1.npy', 'frame_0.npy'])).toEqual([
      'frame_0.npy',
      'frame_1.npy',
      'frame_2.npy',
      'frame_10.npy',
    ]);
    expect([0, 3, 5, 6, 20].map((f) => sourceFrameFor(f, 6))).toEqual([0, 3, 5, 5, 5]);
  });

  it("refuses a depth folder whose file count is not the video's, naming both counts", async () => {
    const dir = path.join(root, 'short-depth');
    await fs.cp(data.depthDir, dir, { recursive: true });
    await fs.rm(path.join(dir, 'frame_5.npy'));
    const e = await errorOf(writeProjectFromVideo(path.join(root, 'Short.camtrack'), data.video, dir));
    expect(e.message).toBe(
      `The video clip.mp4 has 6 frames, but the depth folder short-depth holds 5 depth files: give one depth file per video frame.`,
    );
    await expect(fs.stat(path.join(root, 'Short.camtrack'))).rejects.toThrow();
  });

  it('refuses NaN depth, depth files of different sizes or of another shape than the video, naming the file', async () => {
    const copy = async (name: string) => {
      const dir = path.join(root, name);
      await fs.cp(data.depthDir, dir, { recursive: true });
      return dir;
    };
    const nan = await copy('nan-depth');
    const d = new Float32Array(W * H).fill(2);
    d[17] = NaN;
    d[99] = NaN;
    await fs.writeFile(path.join(nan, 'frame_4.npy'), writeNpy(d, [H, W]));
    expect((await errorOf(writeProjectFromVideo(path.join(root, 'Nan.camtrack'), data.video, nan))).message).toBe(
      'The depth file frame_4.npy holds 2 NaN or infinite values (of 9216); every pixel needs a depth (0 for none).',
    );

    const sizes = await copy('size-depth');
    await fs.writeFile(path.join(sizes, 'frame_2.npy'), writeNpy(new Float32Array(64 * 36).fill(2), [36, 64]));
    expect((await errorOf(writeProjectFromVideo(path.join(root, 'Sizes.camtrack'), data.video, sizes))).message).toBe(
      'The depth file frame_2.npy is 64x36, the first depth file frame_0.npy 128x72; every depth file of a video has one size.',
    );

    const square = path.join(root, 'square-depth');
    await fs.mkdir(square);
    for (let k = 0; k < N; k++)
      await fs.writeFile(path.join(square, `d${k}.npy`), writeNpy(new Float32Array(64 * 64).fill(2), [64, 64]));
    expect(
      (await errorOf(writeProjectFromVideo(path.join(root, 'Square.camtrack'), data.video, square))).message,
    ).toContain("The depth file d0.npy is 64x64, the video clip.mp4 128x72: the depth must have the video's shape");
  });

  it('refuses a damaged video naming the file, a missing one, and a folder mixing .npy and .png', async () => {
    const bad = path.join(root, 'broken.mp4');
    const bytes = await fs.readFile(data.video);
    await fs.writeFile(bad, bytes.subarray(0, 64));
    const e = await errorOf(writeProjectFromVideo(path.join(root, 'Broken.camtrack'), bad, data.depthDir));
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain(`The video ${bad} cannot be read`);
    expect(
      (
        await errorOf(
          writeProjectFromVideo(path.join(root, 'Gone.camtrack'), path.join(root, 'nope.mp4'), data.depthDir),
        )
      ).message,
    ).toBe(`The video ${path.join(root, 'nope.mp4')} does not exist.`);
    const mixed = path.join(root, 'mixed-depth');
    await fs.cp(data.depthDir, mixed, { recursive: true });
    await fs.writeFile(path.join(mixed, 'frame_9.png'), Buffer.alloc(1));
    expect(
      (await errorOf(writeProjectFromVideo(path.join(root, 'Mixed.camtrack'), data.video, mixed))).message,
    ).toContain('mixes .npy and .png files');
  });

  it('caps the frame count, the frame size and the total pixels with a message that says what to do', () => {
    expect(() => checkVideoSize('a.mp4', MAX_VIDEO_FRAMES + 1, 64, 64)).toThrow(
      `a.mp4 has ${MAX_VIDEO_FRAMES + 1} frames; a video input may have at most ${MAX_VIDEO_FRAMES}`,
    );
    expect(() => checkVideoSize('a.mp4', 10, 7680, 4320)).toThrow('a.mp4 is 7680x4320; a video input may have at most');
    expect(() => checkVideoSize('a.mp4', 1000, 3840, 2160)).toThrow(/gigapixels in all/);
    expect(() => checkVideoSize('a.mp4', 1000, 1920, 1080)).not.toThrow();
  });

  it('--estimate-depth: Depth Anything V2 per frame (the test model), one disparity mapping for the clip from frame 0', async () => {
    const model = path.join(root, 'depth-model.onnx');
    await fs.writeFile(model, buildTestDepthModel());
    const r = await runCli(
      'project',
      'new',
      path.join(root, 'Estimated'),
      '--video',
      data.video,
      '--estimate-depth',
      '--depth-model',
      model,
      '--frames',
      '3',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { doc, dir } = await openProject(path.join(root, 'Estimated.camtrack'));
    expect(doc.video!.frames).toHaveLength(3);
    expect(doc.video!.mapping).toMatchObject({ kind: 'disparity', near: 0.05, far: 1000 });
    expect(doc.depth!.source).toMatchObject({ type: 'model', model: `${path.basename(root)}/depth-model.onnx` });
    expect(doc.video!.depthFolder).toBe(`estimated by ${path.basename(root)}/depth-model.onnx`);
    // On the model's grid (short side 518, multiples of 14, the frame's aspect): 924x518 for a 128x72 frame.
    const raw = await decodeDepth(await fs.readFile(path.join(dir, 'assets', doc.video!.frames[2].depth.file)));
    expect([raw.width, raw.height]).toEqual([924, 518]);
    const still = await renderProject({ projectDir: dir, doc: previewOf(doc), out: path.join(root, 'estimated.mp4') });
    for (let k = 0; k < 3; k++)
      expect(
        Math.abs(ballCentroid(still.frames[k], W, H, 255).x - ballCentroid(data.truth[k].image.data, W, H).x),
      ).toBeLessThan(1);
  });

  it('the CLI refuses --video without --video-depth, and with --image', async () => {
    const a = await runCli('project', 'new', path.join(root, 'X'), '--video', data.video);
    expect(a.code).toBe(1);
    expect(a.err).toContain('--video needs --video-depth DIR (one depth file per frame) or --estimate-depth.');
    const b = await runCli(
      'project',
      'new',
      path.join(root, 'Y'),
      '--video',
      data.video,
      '--video-depth',
      data.depthDir,
      '--image',
      data.video,
    );
    expect(b.code).toBe(1);
    expect(b.err).toContain('--video brings its own frames and depth');
  });
});

describe('rendering a video project: frame k warped from video frame k (NVS-Solver dynamic mode)', () => {
  let videoDoc: ProjectDoc;
  let videoDir: string;
  let stillDir: string;
  let stillDoc: ProjectDoc;
  beforeAll(async () => {
    videoDir = path.join(root, 'Moving.camtrack');
    videoDoc = (await writeProjectFromVideo(videoDir, data.video, data.depthDir)).doc;
    // The same first frame and depth as a still photo project.
    stillDir = path.join(root, 'Still.camtrack');
    const first = path.join(videoDir, 'assets', videoDoc.image!.asset.file);
    const depth = path.join(videoDir, 'assets', depthAsset(videoDoc.depth!)!.file);
    stillDoc = (
      await writeProjectFromFiles(stillDir, {
        imagePath: first,
        depthPath: depth,
        mapping: videoDoc.depth!.mapping,
        numFrames: N,
      })
    ).doc;
  }, 60_000);

  it('with the camera still, the ball moves as in the video; from the still photo it does not', async () => {
    const moving = await renderProject({
      projectDir: videoDir,
      doc: previewOf(videoDoc),
      out: path.join(root, 'still-cam.mp4'),
    });
    const still = await renderProject({
      projectDir: stillDir,
      doc: previewOf(stillDoc),
      out: path.join(root, 'still-photo.mp4'),
    });
    const cm = moving.frames.map((f) => ballCentroid(f, W, H, 255));
    const cs = still.frames.map((f) => ballCentroid(f, W, H, 255));
    const truth = data.truth.map((t) => ballCentroid(t.image.data, W, H));
    console.log(
      `video preview, still camera: ball x ${cm.map((c) => c.x.toFixed(1)).join(' ')} (truth ${truth.map((c) => c.x.toFixed(1)).join(' ')}); still photo ${cs.map((c) => c.x.toFixed(1)).join(' ')}`,
    );
    for (let k = 0; k < N; k++) {
      expect(Math.abs(cm[k].x - truth[k].x)).toBeLessThan(1);
      expect(Math.abs(cm[k].y - truth[k].y)).toBeLessThan(1);
      expect(Math.abs(cs[k].x - truth[0].x)).toBeLessThan(1);
    }
    expect(truth[N - 1].x - truth[0].x).toBeGreaterThan(40);
    const side = await readSidecar(moving.sidecarPath);
    expect(side.video?.frames).toHaveLength(N);
  });

  it("with the camera moving, each frame shows the ball of time k from the track's camera k", async () => {
    const doc = previewOf(movingTrack(videoDoc));
    const r = await renderProject({ projectDir: videoDir, doc, out: path.join(root, 'moving-cam.mp4') });
    const still = await renderProject({
      projectDir: stillDir,
      doc: previewOf(movingTrack(stillDoc)),
      out: path.join(root, 'moving-cam-still.mp4'),
    });
    const cameras = evaluateTrack(doc.track, renderIntrinsics(doc).intrinsics);
    const errs: number[] = [],
      stillErrs: number[] = [],
      counts: string[] = [];
    for (let k = 0; k < N; k++) {
      const truth = renderScene(movingScene(frameTime(k, N)), cameras[k], 2);
      const want = ballCentroid(truth.image.data, W, H);
      const got = ballCentroid(r.frames[k], W, H, 255);
      const fromStill = ballCentroid(still.frames[k], W, H, 255);
      errs.push(Math.hypot(got.x - want.x, got.y - want.y));
      stillErrs.push(Math.hypot(fromStill.x - want.x, fromStill.y - want.y));
      counts.push(`${got.count}/${want.count}`);
    }
    console.log(
      `video preview, moving camera: ball centroid error per frame ${errs.map((e) => e.toFixed(2)).join(' ')} px, still photo ${stillErrs.map((e) => e.toFixed(2)).join(' ')} px; ball pixels ${counts.join(' ')} (ball at x = ${ballCentre(0)[0]} .. ${ballCentre(1)[0]})`,
    );
    for (let k = 0; k < N; k++) {
      // Within the warp's own accuracy at the ball's silhouette; the still photo is off by 18 to 89 px.
      expect(errs[k]).toBeLessThan(2.5);
      // The still photo's ball stays at its time-0 place in the world: k > 0 is off by the ball's motion.
      if (k > 0) expect(stillErrs[k]).toBeGreaterThan(5);
    }
  });

  it('a re-render from the sidecar gives the same frames; Save As carries every frame; the farm refuses a video project', async () => {
    const first = await renderProject({
      projectDir: videoDir,
      doc: previewOf(movingTrack(videoDoc)),
      out: path.join(root, 'again-a.mp4'),
    });
    const again = await renderFromSidecar(first.sidecarPath, { out: path.join(root, 'again-b.mp4') });
    expect(again.frames.length).toBe(N);
    again.frames.forEach((f, k) => expect(Buffer.compare(Buffer.from(f), Buffer.from(first.frames[k]))).toBe(0));

    const copy = await saveProjectAs(videoDir, path.join(root, 'Copy.camtrack'), videoDoc);
    const reopened = await openProject(copy.dir);
    expect(reopened.doc.video?.frames).toEqual(videoDoc.video!.frames);
    for (const f of videoDoc.video!.frames) await fs.access(path.join(copy.dir, 'assets', f.depth.file));

    expect(() =>
      specFromDoc({
        doc: videoDoc,
        sigmas: [1, 0],
        model: { name: 'draft', family: 'draft', dtype: 'float32', files: [] } as never,
        outputName: 'x.mp4',
        submittedFrom: 'test',
      }),
    ).toThrow(
      'The render farm renders single-photo projects: this one renders from a source video. Render it locally.',
    );
  });

  it('a track longer than the video holds the last source frame', async () => {
    const doc = previewOf({
      ...videoDoc,
      track: { ...videoDoc.track, numFrames: N + 3 },
      lambda: defaultLambdaDoc(videoDoc.render.steps, N + 3),
    });
    const r = await renderProject({ projectDir: videoDir, doc, out: path.join(root, 'long.mp4') });
    const last = ballCentroid(r.frames[N - 1], W, H, 255);
    for (let k = N; k < N + 3; k++)
      expect(Math.abs(ballCentroid(r.frames[k], W, H, 255).x - last.x)).toBeLessThan(0.01);
  });

  it('draft model render guided with lambda 1: the ball moves in the generated frames; from the still photo it stays', async () => {
    const draft = (d: ProjectDoc): ProjectDoc => ({
      ...d,
      render: { ...d.render, model: 'draft', executionProvider: 'cpu', steps: 4, width: W, height: 64, decodeChunk: N },
    });
    // Lambda 1 everywhere: every valid latent element is the warped view's (the draft alone would hold the photo).
    const resized = (d: ProjectDoc): ProjectDoc => ({
      ...d,
      lambda: {
        steps: 4,
        frames: N,
        values: new Array(4 * N).fill(1),
        lambdaMin: 0,
        preset: { kind: 'constant', value: 1 },
      },
    });
    const moving = await renderProject({
      projectDir: videoDir,
      doc: draft(resized(videoDoc)),
      out: path.join(root, 'draft.mp4'),
    });
    const still = await renderProject({
      projectDir: stillDir,
      doc: draft(resized(stillDoc)),
      out: path.join(root, 'draft-still.mp4'),
    });
    const cm = moving.frames.map((f) => ballCentroid(f, W, 64, 255));
    const cs = still.frames.map((f) => ballCentroid(f, W, 64, 255));
    console.log(
      `draft model: ball x ${cm.map((c) => c.x.toFixed(1)).join(' ')}; still photo ${cs.map((c) => c.x.toFixed(1)).join(' ')}`,
    );
    for (let k = 1; k < N; k++) expect(cm[k].x - cm[k - 1].x).toBeGreaterThan(12);
    expect(cm[N - 1].x - cm[0].x).toBeGreaterThan(80);
    expect(Math.abs(cs[N - 1].x - cs[0].x)).toBeLessThan(3);
    // In overlapping windows (4 frames, overlap 2): window 2 is conditioned on window 1's last frame, its
    // frames still warped from their own video frames, so the ball keeps moving across the seam.
    const windowed = await renderProject({
      projectDir: videoDir,
      doc: { ...draft(resized(videoDoc)), render: { ...draft(videoDoc).render, windowFrames: 4, windowOverlap: 2 } },
      out: path.join(root, 'draft-windows.mp4'),
    });
    const cw = windowed.frames.map((f) => ballCentroid(f, W, 64, 255));
    console.log(
      `draft model in windows ${JSON.stringify((await readSidecar(windowed.sidecarPath)).windows?.list)}: ball x ${cw.map((c) => c.x.toFixed(1)).join(' ')}`,
    );
    expect((await readSidecar(windowed.sidecarPath)).windows?.list).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 6 },
    ]);
    for (let k = 1; k < N; k++) expect(cw[k].x - cw[k - 1].x).toBeGreaterThan(12);
  }, 120_000);

  it('the tiny SVD fixture renders a video project through onnxruntime: the sidecar records the video and the frames follow the video, not the photo', async () => {
    const frames = 14;
    const tiny = (d: ProjectDoc): ProjectDoc => ({
      ...d,
      track: { ...d.track, numFrames: frames },
      lambda: {
        steps: 2,
        frames,
        values: new Array(2 * frames).fill(1),
        lambdaMin: 0,
        preset: { kind: 'constant', value: 1 },
      },
      render: {
        ...d.render,
        model: tinyModelDir('fp32'),
        executionProvider: 'cpu',
        steps: 2,
        width: W,
        height: 64,
        decodeChunk: frames,
      },
    });
    const moving = await renderProject({ projectDir: videoDir, doc: tiny(videoDoc), out: path.join(root, 'tiny.mp4') });
    const still = await renderProject({
      projectDir: stillDir,
      doc: tiny(stillDoc),
      out: path.join(root, 'tiny-still.mp4'),
    });
    expect((await readSidecar(moving.sidecarPath)).video?.originalName).toBe('clip.mp4');
    const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    const d = moving.frames.map((f, k) => diff(f, still.frames[k]));
    console.log(`tiny SVD: mean |video - still photo| per frame ${d.map((v) => v.toFixed(2)).join(' ')}`);
    // Random weights: the pixels mean nothing, but frames past the first are guided to other latents.
    expect(Math.max(...d.slice(N - 1))).toBeGreaterThan(1);
  }, 180_000);
});
