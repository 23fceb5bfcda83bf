import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { importCameraPath } from '../camera/nerfstudio';
import { assetFileName, sha256Hex, writeAsset } from '../project/assets';
import { createProject } from '../project/create';
import { projectNameFromDir } from '../project/layout';
import type { AssetRef, RenderSettings, Track, VideoFrame, VideoInput } from '../project/schema';
import { assertWritableProjectDir, saveProject, type SavedProject } from '../project/store';
import { CamtrackError } from '../util/errors';
import { decodeVideoFrames, probeInputVideo } from './decode';
import { listDepthSequence, readSequenceDepth } from './depthSequence';
import { checkVideoSize } from './limits';

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
  render?: Partial<RenderSettings>;
  name?: string;
  now?: Date;
  signal?: AbortSignal;
  /** Called as frames are stored: done of total. */
  onProgress?(done: number, total: number): void;
}

export async function writeProjectFromVideo(dir: string, videoPath: string, depthDir: string, opts: ProjectFromVideoOptions = {}): Promise<SavedProject> {
  const probe = await probeInputVideo(videoPath);
  const seq = await listDepthSequence(depthDir, opts.depthUnitScale);
  const videoName = path.basename(videoPath);
  if (probe.frames !== seq.files.length)
    throw new CamtrackError('bad-input', `The video ${videoName} has ${probe.frames} frames, but the depth folder ${path.basename(depthDir)} holds ${seq.files.length} depth files: give one depth file per video frame.`);
  if (opts.cameraPath !== undefined && opts.numFrames !== undefined)
    throw new CamtrackError('bad-input', 'A camera path sets the frame count (one frame per camera): leave out the frame count.');
  // The camera path's frame count is only known once it is parsed at the frame size: parse it for
  // its count first at the probed size, again at the decoded (upright) size below.
  const wanted = opts.cameraPath !== undefined ? importCameraPath(opts.cameraPath, { width: probe.width, height: probe.height }).track.numFrames : opts.numFrames ?? probe.frames;
  const used = Math.min(probe.frames, wanted);
  checkVideoSize(videoName, used, probe.width, probe.height);
  await assertWritableProjectDir(path.resolve(dir));

  const decoded = await decodeVideoFrames(videoPath, probe, used, opts.signal);
  try {
    if (decoded.files.length < used)
      throw new CamtrackError('bad-file', `The video ${videoName} decoded to ${decoded.files.length} frames, but ffprobe counted ${probe.frames}; the file may be damaged.`);
    const frames: VideoFrame[] = [];
    let size: { width: number; height: number } | null = null;
    let depthSize: { width: number; height: number } | null = null;
    let first: { image: AssetRef; depth: AssetRef } | null = null;
    for (let k = 0; k < used; k++) {
      if (opts.signal?.aborted) throw new CamtrackError('cancelled', 'The video import was cancelled.');
      const png = await fs.readFile(decoded.files[k]);
      const meta = await sharp(png).metadata();
      const w = meta.width ?? 0, h = meta.height ?? 0;
      if (!size) size = { width: w, height: h };
      else if (w !== size.width || h !== size.height)
        throw new CamtrackError('bad-file', `Frame ${k} of the video ${videoName} is ${w}x${h}, frame 0 is ${size.width}x${size.height}; a video input keeps one size.`);
      const image = await store(dir, 'image', png, 'png');

      const depthFile = seq.files[k];
      const depthBytes = await fs.readFile(depthFile);
      const raw = await readSequenceDepth(depthFile, depthBytes);
      if (!depthSize) {
        depthSize = { width: raw.width, height: raw.height };
        // Depth of another resolution is resized onto the frame (nearest); another shape would misplace it.
        if (Math.abs(raw.width / raw.height - size.width / size.height) > 0.01 * (size.width / size.height))
          throw new CamtrackError('bad-input', `The depth file ${path.basename(depthFile)} is ${raw.width}x${raw.height}, the video ${videoName} ${size.width}x${size.height}: the depth must have the video's shape (the same aspect ratio).`);
      } else if (raw.width !== depthSize.width || raw.height !== depthSize.height) {
        throw new CamtrackError('bad-file', `The depth file ${path.basename(depthFile)} is ${raw.width}x${raw.height}, the first depth file ${path.basename(seq.files[0])} ${depthSize.width}x${depthSize.height}; every depth file of a video has one size.`);
      }
      const depth = await store(dir, 'depth', depthBytes, seq.kind);
      frames.push({ image, depth });
      if (k === 0) first = { image, depth };
      opts.onProgress?.(k + 1, used);
    }
    const { width, height } = size!;
    const track: Track | undefined = opts.cameraPath !== undefined ? importCameraPath(opts.cameraPath, { width, height }).track : undefined;
    const fps = opts.fps ?? (probe.fps !== null ? Math.min(240, probe.fps) : undefined);
    const doc = createProject(opts.name ?? projectNameFromDir(dir), {
      numFrames: track?.numFrames ?? wanted,
      ...(fps !== undefined && { fps }),
      ...(opts.render && { render: opts.render }),
      ...(opts.now && { now: opts.now }),
      ...(track && { fovY: track.keyframes[0].fovY }),
      image: { asset: first!.image, originalName: `${videoName} frame 0`, width, height },
      depth: { source: { type: 'file', asset: first!.depth, originalName: path.basename(seq.files[0]) }, mapping: seq.mapping },
    });
    if (track) doc.track = opts.fps !== undefined ? { ...track, fps: opts.fps } : track;
    const video: VideoInput = { originalName: videoName, depthFolder: path.basename(path.resolve(depthDir)), width, height, fps: probe.fps, frames, mapping: seq.mapping };
    doc.video = video;
    return await saveProject(dir, doc, [], opts.now ? { now: () => opts.now as Date } : {});
  } finally {
    await decoded.dispose();
  }
}

/** Writes one asset straight into the project folder (content-addressed), returning its reference. */
async function store(dir: string, kind: 'image' | 'depth', bytes: Uint8Array, ext: string): Promise<AssetRef> {
  const sha256 = sha256Hex(bytes);
  const file = assetFileName(kind, sha256, ext);
  await writeAsset(dir, { name: file, bytes });
  return { file, sha256 };
}
