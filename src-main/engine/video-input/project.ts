import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { importCameraPath } from '../camera/nerfstudio';
import { assetFileName, sha256Hex, writeAsset } from '../project/assets';
import { createProject } from '../project/create';
import { projectNameFromDir } from '../project/layout';
import type { AssetRef, DepthMapping, RenderSettings, Track, VideoFrame, VideoInput } from '../project/schema';
import { assertWritableProjectDir, saveProject, type SavedProject } from '../project/store';
import { CamtrackError } from '../util/errors';
import { decodeVideoFrames, probeInputVideo } from './decode';
import { listDepthSequence, readSequenceDepth } from './depthSequence';
import { checkVideoSize } from './limits';
import { estimateDepth, loadDepthModel } from '../depth/estimate';
import { mappingForDisparity } from '../depth/defaults';
import { depthModelHint, installedDepthModel, verifyDepthModel } from '../depth/models';
import type { RawDepth } from '../depth/types';
import { decodeImage } from '../image/load';
import type { RgbImage } from '../image/types';
import { writeNpy } from '../npy/npy';
import { readRegularFile } from '../util/readBytes';
import type { VideoProbe } from '../video/probe';

/**
 * A project from a video and its per-frame depth (dynamic scenes). The video's frame count must
 * equal the depth folder's file count. Frames are decoded with ffmpeg to PNG assets and the depth
 * files stored as they are, both content-addressed, written one at a time (a long clip is never
 * held in memory whole); the document is written last, so a failed import leaves no project.
 * Frame 0 becomes the project's photo and depth. The track: a camera path when given (its frame
 * count and fps), else the source camera held still over `numFrames` frames (default: as many as
 * the video has), at the video's frame rate.
 */
export interface ProjectFromVideoOptions {
  /** Scale of 16-bit depth PNGs (z = scale * value); default 0.001. */
  depthUnitScale?: number;
  /** camera_path.json text; its first camera is the video's camera. */
  cameraPath?: string;
  /** Frames of the track (without a camera path); only the first this many video frames are imported. */
  numFrames?: number;
  fps?: number;
  /** Frame 0's vertical field of view at the render size: the camera the video was shot with (a camera path's first camera sets it too). */
  fovY?: number;
  render?: Partial<RenderSettings>;
  name?: string;
  now?: Date;
  signal?: AbortSignal;
  /**
   * Estimate each frame's depth with Depth Anything V2 (the installed model, or this model file)
   * instead of reading a depth folder (pass null as the folder).
   */
  estimateDepth?: { model?: string };
  /** Called as frames are stored: done of total. */
  onProgress?(done: number, total: number): void;
}

export async function writeProjectFromVideo(
  dir: string,
  videoPath: string,
  depthDir: string | null,
  opts: ProjectFromVideoOptions = {},
): Promise<SavedProject> {
  if ((depthDir === null) === !opts.estimateDepth)
    throw new CamtrackError(
      'bad-input',
      'A video needs its depth: a folder of depth files, or depth estimation (not both).',
    );
  const probe = await probeInputVideo(videoPath);
  const videoName = path.basename(videoPath);
  const estimator = opts.estimateDepth ? await frameDepthEstimator(opts.estimateDepth.model) : null;
  try {
    return await importVideo(dir, videoPath, videoName, probe, depthDir, estimator, opts);
  } finally {
    await estimator?.release();
  }
}

async function importVideo(
  dir: string,
  videoPath: string,
  videoName: string,
  probe: VideoProbe,
  depthDir: string | null,
  estimator: FrameDepthEstimator | null,
  opts: ProjectFromVideoOptions,
): Promise<SavedProject> {
  const seq = depthDir !== null ? await listDepthSequence(depthDir, opts.depthUnitScale) : null;
  if (seq && depthDir !== null && probe.frames !== seq.files.length)
    throw new CamtrackError(
      'bad-input',
      `The video ${videoName} has ${probe.frames} frames, but the depth folder ${path.basename(depthDir)} holds ${seq.files.length} depth files: give one depth file per video frame.`,
    );
  if (opts.cameraPath !== undefined && opts.numFrames !== undefined)
    throw new CamtrackError(
      'bad-input',
      'A camera path sets the frame count (one frame per camera): leave out the frame count.',
    );
  // The camera path's frame count is only known once it is parsed at the frame size: parse it for
  // its count first at the probed size, again at the decoded (upright) size below.
  const wanted =
    opts.cameraPath !== undefined
      ? importCameraPath(opts.cameraPath, { width: probe.width, height: probe.height }).track.numFrames
      : (opts.numFrames ?? probe.frames);
  const used = Math.min(probe.frames, wanted);
  checkVideoSize(videoName, used, probe.width, probe.height);
  await assertWritableProjectDir(path.resolve(dir));

  const decoded = await decodeVideoFrames(videoPath, probe, used, opts.signal);
  try {
    if (decoded.files.length < used)
      throw new CamtrackError(
        'bad-file',
        `The video ${videoName} decoded to ${decoded.files.length} frames, but ffprobe counted ${probe.frames}; the file may be damaged.`,
      );
    const frames: VideoFrame[] = [];
    let estimatedMapping: DepthMapping | null = null;
    let size: { width: number; height: number } | null = null;
    let depthSize: { width: number; height: number } | null = null;
    let first: { image: AssetRef; depth: AssetRef } | null = null;
    for (let k = 0; k < used; k++) {
      if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The video import was cancelled.');
      const png = await fs.readFile(decoded.files[k]);
      const meta = await sharp(png).metadata();
      const w = meta.width ?? 0,
        h = meta.height ?? 0;
      if (!size) size = { width: w, height: h };
      else if (w !== size.width || h !== size.height)
        throw new CamtrackError(
          'bad-file',
          `Frame ${k} of the video ${videoName} is ${w}x${h}, frame 0 is ${size.width}x${size.height}; a video input keeps one size.`,
        );
      const image = await store(dir, 'image', png, 'png');

      const depthFile = seq ? seq.files[k] : `frame_${k}.npy`;
      let depthBytes: Uint8Array;
      let raw: RawDepth;
      if (estimator) {
        raw = await estimator.estimate((await decodeImage(png, { name: `frame ${k} of ${videoName}` })).image);
        depthBytes = writeNpy(raw.values instanceof Float32Array ? raw.values : Float32Array.from(raw.values), [
          raw.height,
          raw.width,
        ]);
        // One mapping for the whole clip, from frame 0 (median at MEDIAN_DEPTH units): the frames keep one scale.
        if (k === 0) estimatedMapping = mappingForDisparity(raw.values);
      } else {
        depthBytes = await readRegularFile(depthFile);
        raw = await readSequenceDepth(depthFile, depthBytes);
      }
      // Estimated depth is on the model's grid (multiples of 14, the frame's aspect kept) and is resized onto the frame at render time.
      if (seq) checkDepthSize(raw, depthSize, size, path.basename(depthFile), path.basename(seq.files[0]), videoName);
      if (!depthSize) depthSize = { width: raw.width, height: raw.height };
      const depth = await store(dir, 'depth', depthBytes, seq ? seq.kind : 'npy');
      frames.push({ image, depth });
      if (k === 0) first = { image, depth };
      opts.onProgress?.(k + 1, used);
    }
    const { width, height } = size!;
    const mapping: DepthMapping = seq ? seq.mapping : estimatedMapping!;
    const track: Track | undefined =
      opts.cameraPath !== undefined ? importCameraPath(opts.cameraPath, { width, height }).track : undefined;
    const fps = opts.fps ?? (probe.fps !== null ? Math.min(240, probe.fps) : undefined);
    const doc = createProject(opts.name ?? projectNameFromDir(dir), {
      numFrames: track?.numFrames ?? wanted,
      ...(fps !== undefined && { fps }),
      ...(opts.render && { render: opts.render }),
      ...(opts.now && { now: opts.now }),
      ...(track ? { fovY: track.keyframes[0].fovY } : opts.fovY !== undefined && { fovY: opts.fovY }),
      image: { asset: first!.image, originalName: `${videoName} frame 0`, width, height },
      depth: estimator
        ? { source: { type: 'model', asset: first!.depth, model: estimator.model }, mapping: mapping }
        : { source: { type: 'file', asset: first!.depth, originalName: path.basename(seq!.files[0]) }, mapping },
    });
    if (track) doc.track = opts.fps !== undefined ? { ...track, fps: opts.fps } : track;
    const video: VideoInput = {
      originalName: videoName,
      depthFolder: depthDir !== null ? path.basename(path.resolve(depthDir)) : `estimated by ${estimator!.model}`,
      width,
      height,
      fps: probe.fps,
      frames,
      mapping,
    };
    doc.video = video;
    return await saveProject(dir, doc, [], opts.now ? { now: () => opts.now as Date } : {});
  } finally {
    await decoded.dispose();
  }
}

/** A depth file of the folder: the video's aspect ratio (first file), then the first file's size. */
function checkDepthSize(
  raw: RawDepth,
  first: { width: number; height: number } | null,
  frame: { width: number; height: number },
  name: string,
  firstName: string,
  videoName: string,
): void {
  if (!first) {
    // Depth of another resolution is resized onto the frame (nearest); another shape would misplace it.
    if (Math.abs(raw.width / raw.height - frame.width / frame.height) > 0.01 * (frame.width / frame.height))
      throw new CamtrackError(
        'bad-input',
        `The depth file ${name} is ${raw.width}x${raw.height}, the video ${videoName} ${frame.width}x${frame.height}: the depth must have the video's shape (the same aspect ratio).`,
      );
  } else if (raw.width !== first.width || raw.height !== first.height) {
    throw new CamtrackError(
      'bad-file',
      `The depth file ${name} is ${raw.width}x${raw.height}, the first depth file ${firstName} ${first.width}x${first.height}; every depth file of a video has one size.`,
    );
  }
}

interface FrameDepthEstimator {
  model: string;
  estimate(image: RgbImage): Promise<RawDepth>;
  release(): Promise<void>;
}

/** Depth Anything V2 loaded once for the whole clip. */
async function frameDepthEstimator(file?: string): Promise<FrameDepthEstimator> {
  let modelFile = file;
  if (!modelFile) {
    const installed = await installedDepthModel();
    if (!installed) throw new CamtrackError('not-found', depthModelHint());
    modelFile = installed.file;
    await verifyDepthModel(modelFile);
  }
  const model = await loadDepthModel(modelFile);
  return {
    model: `${path.basename(path.dirname(model.file))}/${path.basename(model.file)}`,
    estimate: (image) => estimateDepth(model, image),
    release: () => model.session.release(),
  };
}

/** Writes one asset straight into the project folder (content-addressed), returning its reference. */
async function store(dir: string, kind: 'image' | 'depth', bytes: Uint8Array, ext: string): Promise<AssetRef> {
  const sha256 = sha256Hex(bytes);
  const file = assetFileName(kind, sha256, ext);
  await writeAsset(dir, { name: file, bytes });
  return { file, sha256 };
}
