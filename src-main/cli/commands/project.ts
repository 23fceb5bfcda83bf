import type { Command } from 'commander';
import { readCheckedAsset } from '../../engine/project/assets';
import { CamtrackError, toErrorInfo } from '../../engine/util/errors';
import { createProject } from '../../engine/project/create';
import { saveProject, openProject, type OpenedProject } from '../../engine/project/store';
import { writeProjectFromFiles } from '../../engine/sources/fromFiles';
import { withProjectExtension, projectNameFromDir } from '../../engine/project/layout';
import type { DepthMapping, DepthShape, ProjectDoc } from '../../engine/project/schema';
import { shapeName } from '../../engine/depth/shapes';
import { addDepthShapeFlags, depthShapeFromFlags, type DepthShapeFlags } from '../depthShapeFlags';
import { depthWarnings } from '../../engine/depth/defaults';
import type { DepthReport } from '../../engine/depth/mapping';
import { readDepthSource } from '../../engine/depth/source';
import { noteLine, numberOption, printJson, rangeOption, warnLine } from '../io';
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';
import { estimateImageDepth } from '../../engine/depth/estimateImage';
import { loadImageFile } from '../../engine/image/load';
import { writeNpyFile } from '../../engine/npy/file';
import { importCameraPath } from '../../engine/camera/nerfstudio';
import type { Track } from '../../engine/project/schema';
import { checkRegularFile, readRegularText } from '../../engine/util/readBytes';
import { writeProjectFromMvsnet, writeProjectFromTransforms } from '../../engine/sources/project';
import { parseViewList } from '../../engine/sources/mvsnetFolder';
import { writeProjectFromVideo } from '../../engine/video-input';
import { orbit360Doc, ORBIT360_DEFAULT_FRAMES } from '../../engine/render/orbitShowcase';
import { LIMITS } from '../../engine/util/limits';

/** What `project info` prints: the facts a person or a script checks, not the whole document. */
export function projectSummary(p: OpenedProject): Record<string, unknown> {
  const d: ProjectDoc = p.doc;
  return {
    dir: p.dir,
    name: d.name,
    schemaVersion: d.schemaVersion,
    ...(p.migratedFrom !== undefined && { migratedFrom: p.migratedFrom }),
    createdAt: d.createdAt,
    modifiedAt: d.modifiedAt,
    image: d.image && {
      file: d.image.asset.file,
      originalName: d.image.originalName,
      width: d.image.width,
      height: d.image.height,
    },
    depth: d.depth && {
      source: d.depth.source.type,
      ...(d.depth.source.type === 'shape'
        ? { shape: d.depth.source.shape, description: shapeName(d.depth.source.shape) }
        : { file: d.depth.source.asset.file }),
      mapping: d.depth.mapping,
    },
    sources: d.sources.map((v) => ({
      id: v.id,
      name: v.name,
      enabled: v.enabled,
      width: v.image.width,
      height: v.image.height,
      position: [v.c2w[3], v.c2w[7], v.c2w[11]],
    })),
    ...(d.video && {
      video: {
        originalName: d.video.originalName,
        depthFolder: d.video.depthFolder,
        frames: d.video.frames.length,
        width: d.video.width,
        height: d.video.height,
        fps: d.video.fps,
        depthMapping: d.video.mapping,
      },
    }),
    track: { numFrames: d.track.numFrames, fps: d.track.fps, keyframes: d.track.keyframes.length },
    lambda: {
      steps: d.lambda.steps,
      frames: d.lambda.frames,
      lambdaMin: d.lambda.lambdaMin,
      preset: d.lambda.preset.kind,
    },
    render: {
      steps: d.render.steps,
      width: d.render.width,
      height: d.render.height,
      model: d.render.model,
      format: d.render.format,
      seed: d.render.seed,
    },
    autosave: p.autosave ? { savedAt: p.autosave.savedAt } : null,
    ...(p.autosaveProblem && { autosaveProblem: p.autosaveProblem }),
  };
}

interface NewOptions extends DepthShapeFlags {
  name?: string;
  image?: string;
  depth?: string;
  depthKind?: string;
  depthScale?: number;
  near?: number;
  far?: number;
  frames?: number;
  fps?: number;
  steps?: number;
  fov?: number;
  cameraPath?: string;
  transforms?: string;
  mvsnet?: string;
  views?: string;
  video?: string;
  videoDepth?: string;
  depthUnitScale?: number;
  estimateDepth?: boolean;
  depthModel?: string;
  orbit?: string;
}

/** The depth shape of the options, or the default plane for a photo given nothing else (cli/depthShapeFlags.ts). */
function shapeOption(o: NewOptions): DepthShape | null {
  // A shape beside a depth file or an estimate is refused here; views and videos bring their own
  // depth too, but a shape beside them is refused by the caller, with its own message.
  const fileOrModel = !!(o.depth || o.estimateDepth);
  const viewsOrVideo = !!(o.video || o.transforms || o.mvsnet);
  return depthShapeFromFlags(o, {
    image: !!o.image,
    ownDepth: fileOrModel || (o.depthShape === undefined && viewsOrVideo),
    sources: '--depth, --estimate-depth',
  });
}

/** The plausibility check of a depth file's mapping, on stderr (engine/depth/defaults.ts). */
function warnDepth(report: DepthReport | null): void {
  if (report) for (const w of depthWarnings(report)) warnLine(w);
}

/** `--orbit 360`: the track becomes the full orbit around the scene's focus point (engine/render/orbitShowcase). */
async function withOrbit(
  saved: { dir: string; doc: ProjectDoc },
  orbit: string | undefined,
): Promise<{ dir: string; doc: ProjectDoc }> {
  if (orbit === undefined) return saved;
  return saveProject(saved.dir, await orbit360Doc(saved.dir, saved.doc));
}

/** A camera_path.json as a track at the photo's size (render_width/height in the file win), and what the import changed. */
async function cameraPathTrack(file: string, image: string): Promise<{ track: Track; notes: string[] }> {
  const text = await readRegularText(file).catch((e: unknown) => {
    if (e instanceof CamtrackError) throw e;
    throw new CamtrackError('not-found', `The camera path ${file} cannot be read: ${toErrorInfo(e).message}`);
  });
  // The photo is imported after this (which names a missing one): a FIFO must not hold sharp first.
  await checkRegularFile(image).catch((e: unknown) => {
    if (e instanceof CamtrackError) throw e;
  });
  const meta = await sharp(image)
    .metadata()
    .catch(() => null);
  const upright =
    meta && (meta.orientation ?? 1) >= 5
      ? { width: meta.height, height: meta.width }
      : { width: meta?.width, height: meta?.height };
  const { track, notes } = importCameraPath(text, { width: upright.width, height: upright.height });
  notes.push(`the photo's camera is the path's first camera (${+track.keyframes[0].fovY.toFixed(2)}° vertical)`);
  return { track, notes };
}

export function registerProject(program: Command): void {
  const project = program.command('project').description('create, inspect and check NAME.camtrack project folders');

  addDepthShapeFlags(
    project
      .command('new')
      .description(
        'create a project folder (".camtrack" is added to the name), optionally from an image and a depth file',
      )
      .argument('<path>', 'the project folder to create')
      .option('--name <name>', 'display name (default: the folder name)')
      .option('--image <file>', 'source photo (PNG, JPEG or WebP)')
      .option('--depth <file>', 'depth file (.npy, PFM, 16-bit PNG or TIFF); needs --image')
      .option(
        '--depth-kind <kind>',
        "what the depth file holds: depth or disparity (default by the file: float .npy/.pfm/TIFF and 16-bit PNG hold depth, an 8-bit PNG and a depth model's output disparity)",
      )
      .option(
        '--depth-scale <n>',
        'z = scale * v (depth; default 1, 0.001 for a 16-bit PNG: millimetres) or scale / v (disparity; default: the median pixel at 4 units)',
        numberOption('depth-scale'),
      )
      .option('--near <n>', 'nearest z kept (default 1e-4 for depth, 0.05 for disparity)', numberOption('near'))
      .option('--far <n>', 'farthest z kept (default 1e6 for depth, 1000 for disparity)', numberOption('far')),
  )
    .option('--frames <n>', 'frames of the track (default 25)', rangeOption('frames', LIMITS.frames))
    .option('--fps <n>', 'frames per second (default 7)', numberOption('fps'))
    .option('--steps <n>', 'denoising steps (default 25)', rangeOption('steps', LIMITS.steps))
    .option(
      '--transforms <file>',
      'a nerfstudio transforms.json: posed photos with depth (sparse views); the first frame is the photo',
    )
    .option(
      '--mvsnet <dir>',
      'an MVSNet / DTU folder (cams/NNNNNNNN_cam.txt, images/, depths/ as .pfm or .npy): posed photos with depth (sparse views)',
    )
    .option(
      '--views <list>',
      'with --mvsnet: the view numbers to use, e.g. 23,26; the first is the photo (default: every view in cams/)',
    )
    .option(
      '--video <file>',
      'a video (any format ffmpeg reads) of a moving scene; frame k of the track is warped from video frame k (needs --video-depth)',
    )
    .option(
      '--video-depth <dir>',
      'a folder with one depth file per video frame, ordered by name: .npy z-depth, or 16-bit PNG times --depth-unit-scale',
    )
    .option(
      '--depth-unit-scale <n>',
      'z-depth per unit of a 16-bit depth PNG of --video-depth (default 0.001: millimetres)',
      numberOption('depth-unit-scale'),
    )
    .option(
      '--fov <degrees>',
      "the photo's camera: frame 0's vertical field of view at the render size (default: 60° across the photo)",
      numberOption('fov'),
    )
    .option('--estimate-depth', 'estimate the depth with Depth Anything V2 (the installed model, or --depth-model)')
    .option('--depth-model <file>', 'the Depth Anything V2 model.onnx for --estimate-depth')
    .option(
      '--camera-path <file>',
      "a nerfstudio camera_path.json as the track: one key per camera, its frame count and fps, the photo's camera from its first camera (with --transforms: in the views' world, default a track through the views)",
    )
    .option(
      '--orbit <degrees>',
      `360: the track is a full orbit around the scene's focus point (the median depth), --frames frames (default ${ORBIT360_DEFAULT_FRAMES}), rendered in windows; needs --image and depth`,
    )
    .action(async (target: string, o: NewOptions) => {
      const dir = withProjectExtension(target);
      if (o.orbit !== undefined) {
        if (o.orbit.trim() !== '360')
          throw new CamtrackError(
            'bad-input',
            `--orbit takes 360, a full orbit (got "${o.orbit}"); for a partial orbit write a track with \`camtrack track preset orbit --degrees-per-frame D\` and pass it as --camera-path.`,
          );
        if (!o.image)
          throw new CamtrackError(
            'bad-input',
            "--orbit 360 needs --image (and its depth: --depth, --estimate-depth or --depth-shape): the orbit turns around the depth's focus point.",
          );
        if (o.cameraPath || o.transforms || o.mvsnet || o.video)
          throw new CamtrackError(
            'bad-input',
            '--orbit 360 makes the track from one photo: leave out --camera-path, --transforms, --mvsnet and --video.',
          );
        o.frames ??= ORBIT360_DEFAULT_FRAMES;
      }
      if (o.depth && !o.image)
        throw new CamtrackError('bad-input', '--depth needs --image: a depth file belongs to a photo.');
      if (o.fov !== undefined) {
        if (o.cameraPath)
          throw new CamtrackError(
            'bad-input',
            "--camera-path brings the photo's camera (its first camera's field of view): leave out --fov.",
          );
        if (o.transforms || o.mvsnet)
          throw new CamtrackError(
            'bad-input',
            `${o.transforms ? '--transforms' : '--mvsnet'} brings calibrated cameras: leave out --fov.`,
          );
        if (!o.image && !o.video)
          throw new CamtrackError('bad-input', "--fov sets the photo's camera: give --image (or --video) too.");
      }
      if (o.depthKind !== undefined && o.depthKind !== 'depth' && o.depthKind !== 'disparity') {
        throw new CamtrackError('bad-input', `--depth-kind must be "depth" or "disparity" (got "${o.depthKind}").`);
      }
      // What is left out takes the default for the depth's values (engine/depth/defaults.ts).
      const mapping: Partial<DepthMapping> = {
        ...(o.depthKind !== undefined && { kind: o.depthKind as DepthMapping['kind'] }),
        ...(o.depthScale !== undefined && { scale: o.depthScale }),
        ...(o.near !== undefined && { near: o.near }),
        ...(o.far !== undefined && { far: o.far }),
      };
      const mapped = Object.keys(mapping).length > 0;
      if (mapped && !o.depth && !o.estimateDepth && !o.video)
        throw new CamtrackError(
          'bad-input',
          '--depth-kind, --depth-scale, --near and --far map a depth file: give --depth FILE or --estimate-depth too.',
        );
      const shape = shapeOption(o);
      if (o.depthShape !== undefined && (o.video || o.transforms || o.mvsnet))
        throw new CamtrackError(
          'bad-input',
          '--depth-shape gives a photo its depth: --video, --transforms and --mvsnet bring their own.',
        );
      const common = {
        ...(o.frames !== undefined && { numFrames: o.frames }),
        ...(o.fps !== undefined && { fps: o.fps }),
        ...(o.fov !== undefined && { fovY: o.fov }),
        ...(o.steps !== undefined && { render: { steps: o.steps } }),
      };
      if (o.video || o.videoDepth) {
        if (!o.video || (!o.videoDepth && !o.estimateDepth))
          throw new CamtrackError(
            'bad-input',
            '--video needs --video-depth DIR (one depth file per frame) or --estimate-depth.',
          );
        if (o.videoDepth && o.estimateDepth)
          throw new CamtrackError('bad-input', 'Give --video-depth or --estimate-depth, not both.');
        if (o.image || o.depth || o.transforms || o.mvsnet)
          throw new CamtrackError(
            'bad-input',
            '--video brings its own frames and depth: leave out --image, --depth, --transforms and --mvsnet.',
          );
        const cameraPath =
          o.cameraPath === undefined
            ? undefined
            : await readRegularText(o.cameraPath).catch((e: Error) => {
                throw new CamtrackError('not-found', `The camera path ${o.cameraPath} cannot be read: ${e.message}`, {
                  cause: e,
                });
              });
        const saved = await writeProjectFromVideo(dir, o.video, o.videoDepth ?? null, {
          ...(o.estimateDepth && { estimateDepth: o.depthModel ? { model: path.resolve(o.depthModel) } : {} }),
          ...(o.depthUnitScale !== undefined && { depthUnitScale: o.depthUnitScale }),
          ...(cameraPath !== undefined && { cameraPath }),
          ...(o.frames !== undefined && { numFrames: o.frames }),
          ...(o.fps !== undefined && { fps: o.fps }),
          ...(o.steps !== undefined && { render: { steps: o.steps } }),
          ...(o.fov !== undefined && { fovY: o.fov }),
          ...(o.name && { name: o.name }),
        });
        printJson(projectSummary({ dir: saved.dir, doc: saved.doc }));
        return;
      }
      if (o.views !== undefined && !o.mvsnet)
        throw new CamtrackError('bad-input', '--views picks views of an MVSNet folder: give --mvsnet DIR too.');
      if (o.transforms && o.mvsnet) throw new CamtrackError('bad-input', 'Give --transforms or --mvsnet, not both.');
      if (o.transforms || o.mvsnet) {
        const flag = o.transforms ? '--transforms' : '--mvsnet';
        if (o.image || o.depth)
          throw new CamtrackError(
            'bad-input',
            `${flag} brings its own photos and depth: leave out --image and --depth.`,
          );
        const cameraPath =
          o.cameraPath === undefined
            ? undefined
            : await readRegularText(o.cameraPath).catch((e: Error) => {
                throw new CamtrackError('not-found', `The camera path ${o.cameraPath} cannot be read: ${e.message}`, {
                  cause: e,
                });
              });
        const opts = {
          ...(cameraPath !== undefined && { cameraPath }),
          ...(o.frames !== undefined && { numFrames: o.frames }),
          ...(o.fps !== undefined && { fps: o.fps }),
          ...(o.steps !== undefined && { render: { steps: o.steps } }),
          ...(o.name && { name: o.name }),
        };
        const saved = o.transforms
          ? await writeProjectFromTransforms(dir, o.transforms, opts)
          : await writeProjectFromMvsnet(dir, o.mvsnet!, {
              ...opts,
              ...(o.views !== undefined && { views: parseViewList(o.views) }),
            });
        printJson(projectSummary({ dir: saved.dir, doc: saved.doc }));
        return;
      }
      if (o.cameraPath && o.frames !== undefined)
        throw new CamtrackError(
          'bad-input',
          '--camera-path sets the frame count (one frame per camera): leave out --frames.',
        );
      if (o.cameraPath && !o.image)
        throw new CamtrackError('bad-input', "--camera-path needs --image: the path is imported at the photo's size.");
      const imported = o.cameraPath ? await cameraPathTrack(o.cameraPath, o.image!) : undefined;
      const track = imported?.track;
      const notes = imported ? { notes: imported.notes } : {};
      if (o.estimateDepth) {
        if (!o.image) throw new CamtrackError('bad-input', '--estimate-depth needs --image.');
        if (o.depth) throw new CamtrackError('bad-input', 'Give --depth or --estimate-depth, not both.');
        const photo = await loadImageFile(o.image);
        const est = await estimateImageDepth(photo.image, o.depthModel ? { model: path.resolve(o.depthModel) } : {});
        const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-depth-'));
        try {
          const file = path.join(tmp, 'estimated-depth.npy');
          await writeNpyFile(file, Float32Array.from(est.raw.values), [est.raw.height, est.raw.width]);
          const saved = await writeProjectFromFiles(dir, {
            imagePath: o.image,
            depthPath: file,
            depthModel: path.basename(path.dirname(est.modelFile)) + '/' + path.basename(est.modelFile),
            mapping: mapped ? mapping : est.mapping,
            ...(o.name && { name: o.name }),
            ...common,
            ...(track && { track, fovY: track.keyframes[0].fovY }),
          });
          warnDepth(saved.depthReport);
          const done = await withOrbit(saved, o.orbit);
          printJson({
            ...projectSummary({ dir: done.dir, doc: done.doc }),
            ...notes,
            depthEstimateMs: Math.round(est.timings.loadMs + est.timings.estimateMs),
          });
        } finally {
          await fs.rm(tmp, { recursive: true, force: true });
        }
        return;
      }
      const saved = o.image
        ? await writeProjectFromFiles(dir, {
            imagePath: o.image,
            ...(o.depth && { depthPath: o.depth, mapping }),
            ...(shape && { shape }),
            ...(o.name && { name: o.name }),
            ...common,
            ...(track && { track, fovY: track.keyframes[0].fovY }),
          })
        : { ...(await saveProject(dir, createProject(o.name ?? projectNameFromDir(dir), common))), depthReport: null };
      if (shape && o.depthShape === undefined)
        noteLine(
          `No depth given: the photo's depth is ${shapeName(shape)}, a shape. For real depth give --depth FILE or --estimate-depth; for a box with parallax, --depth-shape room.`,
        );
      warnDepth(saved.depthReport);
      const done = await withOrbit(saved, o.orbit);
      printJson({ ...projectSummary({ dir: done.dir, doc: done.doc }), ...notes });
    });

  project
    .command('info')
    .description("print a project's summary as JSON (the folder or its project.json)")
    .argument('<path>', 'the project')
    .action(async (target: string) => {
      printJson(projectSummary(await openProject(target)));
    });

  project
    .command('validate')
    .description(
      "check projects: JSON, schema version, schema, every asset's presence and sha256, and that the depth decodes; never changes them",
    )
    .argument('<paths...>', 'projects to check')
    .action(async (targets: string[]) => {
      let failed = 0;
      let last: unknown;
      for (const t of targets) {
        try {
          const p = await openProject(t);
          // The depth must also decode: a file that passes its hash check can still be unreadable.
          const { depth, image } = p.doc;
          if (depth && image)
            await readDepthSource(depth, image, (ref) => readCheckedAsset(null, p.dir, ref, 'depth file'));
          printJson({
            path: t,
            ok: true,
            ...(p.migratedFrom !== undefined && { migratedFrom: p.migratedFrom }),
            ...(p.autosaveProblem && { warning: p.autosaveProblem }),
          });
        } catch (e) {
          failed++;
          last = e;
          const info = toErrorInfo(e);
          printJson({ path: t, ok: false, code: info.code, message: info.message });
        }
      }
      if (failed === 1 && targets.length === 1) throw last;
      if (failed > 0)
        throw new CamtrackError('bad-file', `${failed} of ${targets.length} projects are not valid (see above).`);
    });
}
