import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readRegularText } from '../../engine/util/readBytes';
import { fovYFromFocal, sourceIntrinsics } from '../../engine/camera/intrinsics';
import { exportCameraPath, stringifyCameraPath } from '../../engine/camera/nerfstudio';
import {
  presetTrack,
  PRESET_KINDS,
  type OrbitDirection,
  type PresetKind,
  type PresetSpec,
} from '../../engine/camera/presets';
import { parseTrack, stringifyTrack } from '../../engine/camera/track-json';
import { DEFAULT_RENDER_SETTINGS, type Easing, type Track } from '../../engine/project/schema';
import { openProject, saveProject } from '../../engine/project/store';
import { lambdaForSteps } from '../../engine/render/overrides';
import { PROJECT_EXTENSION, PROJECT_FILE } from '../../engine/project/layout';
import type { ProjectDoc } from '../../engine/project/schema';
import { readDepthFile } from '../../engine/depth/read';
import { applyDepthMapping } from '../../engine/depth/mapping';
import { resolveDepthMapping } from '../../engine/depth/defaults';
import { loadRenderInputs } from '../../engine/render/inputs';
import { focusDepth } from '../../engine/render/orbitShowcase';
import { CamtrackError } from '../../engine/util/errors';
import { writeFileAtomic } from '../../engine/util/atomic';
import { parseIntOption, printJson } from '../io';

/**
 * `camtrack track preset <kind> ...`: a preset camera move written as a nerfstudio camera_path.json
 * (one camera per frame; `camtrack warp --camera-path` reads it), optionally also as an editable
 * Camtrack track file. `camtrack track export`: a track file to camera_path.json.
 */

interface SourceOpts {
  width?: number;
  height?: number;
  project?: string;
  focal35?: number;
  fovX?: number;
  fovY?: number;
}

interface PresetOpts extends SourceOpts {
  frames?: number;
  fps?: number;
  out?: string;
  apply?: boolean;
  trackOut?: string;
  targetDepth?: number;
  depth?: string;
  depthKind?: string;
  depthScale?: number;
  degreesPerFrame: number;
  direction: string;
  radiusX?: number;
  radiusZ?: number;
  distance?: number;
  riseBy?: number;
  keepTarget: boolean;
  end?: number[];
  target?: number[];
  dolly?: number;
  rise?: number;
  factor?: number;
  endFov?: number;
  easing?: string;
}

export function registerTrack(program: Command): void {
  const track = program.command('track').description('camera tracks: presets and nerfstudio camera_path.json files');

  const preset = track
    .command('preset')
    .description(`write a preset camera move (${PRESET_KINDS.join(', ')}) as a nerfstudio camera_path.json`)
    .argument('<kind>', PRESET_KINDS.join(' | '));
  sourceOptions(preset)
    .option(
      '--frames <n>',
      `number of frames (default: the --project's, else ${DEFAULT_FRAMES}, SVD-XT's count; SVD renders 14)`,
      parseIntOption('frames'),
    )
    .option(
      '--fps <f>',
      `frames per second of the video (default: the --project's, else ${DEFAULT_FPS})`,
      floatOption('fps'),
    )
    .option('--out <camera_path.json>', 'where to write the nerfstudio camera path')
    .option(
      '--apply',
      "make it the --project's track (saved in the project; a lambda table of another frame count is remade or resampled)",
    )
    .option('--track-out <track.json>', 'also write the editable Camtrack track (keyframes)')
    .option(
      '--target-depth <d>',
      "depth of the target straight ahead, in scene units (default: the scene's focus depth, the median of the --project's or --depth's depth map; else 1)",
      floatOption('target-depth'),
    )
    .option('--depth <file>', 'a depth map (.npy, 16-bit PNG, PFM) whose median depth is the default --target-depth')
    .option(
      '--depth-kind <kind>',
      '--depth holds depth or disparity (default by the file, as project new: float and 16-bit PNG depth, 8-bit PNG disparity)',
    )
    .option('--depth-scale <s>', '--depth: z = s * v (depth) or s / v (disparity)', floatOption('depth-scale'))
    .option('--degrees-per-frame <deg>', 'orbit, spiral: turn per frame', floatOption('degrees-per-frame'), 1)
    .option(
      '--direction <ccw|cw>',
      'orbit, orbit360, spiral: ccw (seen from above; the camera sets off to its right) or cw',
      'ccw',
    )
    .option(
      '--radius-x <r>',
      'orbit, orbit360: ellipse radius across (default --target-depth)',
      floatOption('radius-x'),
    )
    .option(
      '--radius-z <r>',
      'orbit, orbit360: ellipse radius in depth (default --target-depth)',
      floatOption('radius-z'),
    )
    .option('--distance <d>', 'dolly (forward +), truck (right +), pedestal (up +): how far', floatOption('distance'))
    .option('--rise-by <h>', 'crane: how far up (+) or down', floatOption('rise-by'))
    .option('--no-keep-target', 'crane: do not tilt to keep the target centred')
    .option('--end <x,y,z>', 'arc: end position', vecOption('end'))
    .option(
      '--target <x,y,z>',
      'arc: the point looked at (default straight ahead at --target-depth)',
      vecOption('target'),
    )
    .option('--dolly <d>', 'spiral: how much closer to the target it ends', floatOption('dolly'))
    .option('--rise <h>', 'spiral: how far it rises', floatOption('rise'))
    .option(
      '--factor <k>',
      'zoom: end focal length as a multiple of the source (2 = twice as close)',
      floatOption('factor'),
    )
    .option('--end-fov <deg>', 'zoom: end vertical field of view instead of --factor', floatOption('end-fov'))
    .option('--easing <e>', 'dolly, truck, pedestal, crane, zoom: linear | easeIn | easeOut | easeInOut', 'linear')
    .action(async (kind: string, opts: PresetOpts) => {
      if (!PRESET_KINDS.includes(kind as PresetKind))
        throw new CamtrackError('bad-input', `Unknown preset "${kind}". Known: ${PRESET_KINDS.join(', ')}.`);
      if (!opts.out && !opts.apply)
        throw new CamtrackError(
          'bad-input',
          "Say where the move goes: --out camera_path.json, or --apply with --project to make it the project's track.",
        );
      if (opts.apply && !opts.project)
        throw new CamtrackError('bad-input', "--apply makes the move a project's track: name it with --project.");
      const project = opts.project ? await openProject(opts.project) : null;
      const source = sourceFor(opts, project?.doc ?? null);
      const spec = presetSpec(kind as PresetKind, opts);
      const target = await targetDepthFor(opts, project);
      const t = presetTrack(spec, {
        numFrames: opts.frames ?? project?.doc.track.numFrames ?? DEFAULT_FRAMES,
        fps: opts.fps ?? project?.doc.track.fps ?? DEFAULT_FPS,
        sourceFovY: fovYFromFocal(source.fy, source.height),
        targetDepth: target.depth,
      });
      if (opts.out) await writeFileAtomic(opts.out, stringifyCameraPath(exportCameraPath(t, source)));
      if (opts.trackOut) await writeFileAtomic(opts.trackOut, stringifyTrack(t));
      const applied = opts.apply && project ? await applyTrack(project.dir, project.doc, t) : null;
      printJson({
        preset: kind,
        out: opts.out ?? null,
        applied: applied?.dir ?? null,
        ...(applied && applied.notes.length > 0 && { notes: applied.notes }),
        trackOut: opts.trackOut ?? null,
        frames: t.numFrames,
        fps: t.fps,
        keys: t.keyframes.length,
        targetDepth: target.depth,
        targetDepthFrom: target.from,
        width: source.width,
        height: source.height,
        fx: source.fx,
      });
    });

  const exp = track
    .command('export')
    .description(
      "write a Camtrack track file, or a project's track, as a nerfstudio camera_path.json (one camera per frame)",
    )
    .argument(
      '<track.json | NAME.camtrack>',
      "a Camtrack track file, or a project (its folder or its project.json): the project's track at its render size",
    );
  sourceOptions(exp)
    .requiredOption('--out <camera_path.json>', 'where to write the camera path')
    .action(async (file: string, opts: SourceOpts & { out: string }) => {
      const input = await readTrackInput(file);
      const project = input.projectDir && !opts.project ? await openProject(input.projectDir) : null;
      const source = project ? sourceFor(opts, project.doc) : await sourceFrom(opts);
      const t = input.track;
      await writeFileAtomic(opts.out, stringifyCameraPath(exportCameraPath(t, source)));
      printJson({ out: opts.out, frames: t.numFrames, fps: t.fps, keys: t.keyframes.length });
    });
}

/**
 * A preset as the project's track, saved: the photo's camera is the preset's first key already
 * (both come from the project's photo camera); a lambda table made for another frame count is
 * remade (a preset) or resampled (a painted one), as the studio does when the track length changes.
 */
async function applyTrack(dir: string, doc: ProjectDoc, track: Track): Promise<{ dir: string; notes: string[] }> {
  const notes: string[] = [];
  let lambda = doc.lambda;
  if (lambda.frames !== track.numFrames) {
    const remade = lambdaForSteps(lambda, doc.render.steps, track.numFrames);
    lambda = remade.lambda;
    notes.push(remade.note);
  }
  await saveProject(dir, { ...doc, track, lambda });
  return { dir, notes };
}

/** The photo's camera options shared by the subcommands. */
function sourceOptions(cmd: Command): Command {
  return cmd
    .option(
      '--width <w>',
      `render width in pixels (default: the --project's, else ${DEFAULT_SIZE.width})`,
      parseIntOption('width'),
    )
    .option(
      '--height <h>',
      `render height in pixels (default: the --project's, else ${DEFAULT_SIZE.height})`,
      parseIntOption('height'),
    )
    .option('--project <dir>', 'a project (NAME.camtrack) whose render size is the default')
    .option(
      '--focal35 <mm>',
      "the photo's 35mm-equivalent focal length (EXIF FocalLengthIn35mmFilm)",
      floatOption('focal35'),
    )
    .option('--fov-y <deg>', "the photo's vertical field of view, when known", floatOption('fov-y'))
    .option('--fov-x <deg>', 'horizontal field of view when nothing else is known (default 60)', floatOption('fov-x'));
}

/** A new project's render size (SVD's native 1024x576). */
const DEFAULT_SIZE = { width: DEFAULT_RENDER_SETTINGS.width, height: DEFAULT_RENDER_SETTINGS.height };

/** A preset's frames and frame rate without --project or a flag: SVD-XT's 25 frames at its 7 fps. */
const DEFAULT_FRAMES = 25;
const DEFAULT_FPS = 7;

/** The source camera: the size from the flags, else the project's render size, else 1024x576. */
async function sourceFrom(o: SourceOpts) {
  return sourceFor(o, o.project ? (await openProject(o.project)).doc : null);
}

function sourceFor(o: SourceOpts, doc: ProjectDoc | null) {
  const size = doc ? doc.render : DEFAULT_SIZE;
  return sourceIntrinsics(o.width ?? size.width, o.height ?? size.height, {
    focalLength35mm: o.focal35,
    fovYDeg: o.fovY,
    fovXDeg: o.fovX,
  });
}

/**
 * The depth the preset turns around or looks at: the flag, else the scene's focus depth (the median
 * of the known depths, as the 360° showcase uses) of --depth or of the project's depth, else 1.
 */
async function targetDepthFor(
  o: PresetOpts,
  project: { dir: string; doc: ProjectDoc } | null,
): Promise<{ depth: number; from: 'flag' | 'depth' | 'project' | 'default' }> {
  if (o.targetDepth !== undefined) return { depth: o.targetDepth, from: 'flag' };
  if (o.depth !== undefined) {
    if (o.depthKind !== undefined && o.depthKind !== 'depth' && o.depthKind !== 'disparity')
      throw new CamtrackError('bad-input', `--depth-kind must be depth or disparity (got "${o.depthKind}").`);
    // The same default mapping as project new and warp (engine/depth/defaults.ts).
    const raw = await readDepthFile(o.depth);
    const mapping = resolveDepthMapping(raw, {
      ...(o.depthKind !== undefined && { kind: o.depthKind as 'depth' | 'disparity' }),
      ...(o.depthScale !== undefined && { scale: o.depthScale }),
    });
    const { depth } = applyDepthMapping(raw, mapping);
    return { depth: focusDepth(depth.z), from: 'depth' };
  }
  if (project?.doc.depth) {
    const inputs = await loadRenderInputs(project.dir, project.doc);
    return { depth: focusDepth(inputs.depth), from: 'project' };
  }
  return { depth: 1, from: 'default' };
}

/**
 * What `track export` was given: a track file, or a project (its folder or its project.json) whose
 * track it exports. Anything else is refused with what it wants, never a bare EISDIR.
 */
async function readTrackInput(file: string): Promise<{ track: Track; projectDir: string | null }> {
  const st = await stat(file).catch(() => null);
  if (!st) throw new CamtrackError('not-found', `${file} does not exist: give a track file or a project folder.`);
  const isProject = st.isDirectory() || path.basename(file) === PROJECT_FILE;
  if (st.isDirectory()) {
    const hasProject = await stat(path.join(file, PROJECT_FILE)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!hasProject)
      throw new CamtrackError(
        'bad-input',
        `${file} is a folder without a ${PROJECT_FILE}: give a Camtrack track file (track.json) or a project folder (NAME${PROJECT_EXTENSION}).`,
      );
  }
  if (isProject) {
    const opened = await openProject(file, { verifyAssets: false });
    return { track: opened.doc.track, projectDir: opened.dir };
  }
  return { track: parseTrack(await readRegularText(file)), projectDir: null };
}

function presetSpec(kind: PresetKind, o: PresetOpts): PresetSpec {
  const need = (v: number | undefined, flag: string): number => {
    if (v === undefined) throw new CamtrackError('bad-input', `The ${kind} preset needs ${flag}.`);
    return v;
  };
  const easing = easingOf(o.easing);
  const direction = o.direction as OrbitDirection;
  switch (kind) {
    case 'orbit':
      return { kind, degreesPerFrame: o.degreesPerFrame, direction, radiusX: o.radiusX, radiusZ: o.radiusZ };
    case 'orbit360':
      return { kind, direction, radiusX: o.radiusX, radiusZ: o.radiusZ };
    case 'dolly':
    case 'truck':
    case 'pedestal':
      return { kind, distance: need(o.distance, '--distance'), easing };
    case 'crane':
      return { kind, height: need(o.riseBy, '--rise-by'), keepTarget: o.keepTarget, easing };
    case 'arc':
      if (!o.end) throw new CamtrackError('bad-input', 'The arc preset needs --end x,y,z.');
      return { kind, end: o.end as [number, number, number], target: o.target as [number, number, number] | undefined };
    case 'spiral':
      return { kind, degreesPerFrame: o.degreesPerFrame, direction, dolly: need(o.dolly, '--dolly'), rise: o.rise };
    case 'zoom':
      if (o.factor === undefined && o.endFov === undefined)
        throw new CamtrackError('bad-input', 'The zoom preset needs --factor or --end-fov.');
      return { kind, factor: o.factor, endFovY: o.endFov, easing };
  }
}

function easingOf(e: string | undefined): Easing {
  const all: Easing[] = ['linear', 'easeIn', 'easeOut', 'easeInOut'];
  if (e === undefined) return 'linear';
  if (!all.includes(e as Easing))
    throw new CamtrackError('bad-input', `--easing is one of ${all.join(', ')} (got "${e}").`);
  return e as Easing;
}

function floatOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new CamtrackError('bad-input', `--${name} must be a number (got "${value}").`);
    return n;
  };
}

function vecOption(name: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => Number(s));
    if (parts.length !== 3 || !parts.every(Number.isFinite))
      throw new CamtrackError('bad-input', `--${name} must be three numbers x,y,z (got "${value}").`);
    return parts;
  };
}
