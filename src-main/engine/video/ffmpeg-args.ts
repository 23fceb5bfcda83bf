import { CamtrackError } from '../util/errors';

/**
 * The ffmpeg command line for each export format. Pure: the same inputs give the same argument
 * list, so what is asked of ffmpeg is testable without running it. Frames always arrive on stdin
 * as raw rgb24.
 */
export type ExportFormat = 'mp4' | 'webm' | 'gif' | 'png';
/**
 * What exportFrames can write: the export formats, and 'master', a lossless RGB intermediate
 * (H.264 RGB at qp 0 in Matroska) kept beside a render so that it can be exported again in any
 * format without a second loss (engine/transcode).
 */
export type EncodeFormat = ExportFormat | 'master';
export const X264_PRESETS = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
] as const;
export type X264Preset = (typeof X264_PRESETS)[number];
/** What to do with an odd width or height for yuv420p (H.264 needs both even). */
export type EvenSizePolicy = 'pad' | 'refuse';

export interface EncodeSpec {
  format: EncodeFormat;
  width: number;
  height: number;
  fps: number;
  /** Quality: lower is better. H.264 0..51 (default 18), VP9 0..63 (default 32); unused for gif/png. */
  crf?: number;
  /** x264 preset for mp4 (default 'medium'); for webm it picks libvpx's -cpu-used speed. */
  preset?: X264Preset;
  evenSize?: EvenSizePolicy;
}

export const DEFAULT_CRF: Record<'mp4' | 'webm', number> = { mp4: 18, webm: 32 };
const CRF_MAX: Record<'mp4' | 'webm', number> = { mp4: 51, webm: 63 };

/** Frame rate as an exact rational string ffmpeg accepts: 30 -> "30/1", 29.97 -> "2997/100", 30000/1001 -> "30000/1001". */
export function fpsRational(fps: number): string {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 1000)
    throw new CamtrackError('bad-input', `The frame rate must be a number in (0, 1000] (got ${fps}).`);
  for (let den = 1; den <= 1001; den++) {
    const num = fps * den;
    if (Math.abs(num - Math.round(num)) < 1e-6 * den) return `${Math.round(num)}/${den}`;
  }
  return `${Math.round(fps * 1001)}/1001`;
}

/** Output size after the even-size policy: H.264 yuv420p needs even sides; VP9, GIF and PNG take any size. */
export function outputSize(spec: Pick<EncodeSpec, 'format' | 'width' | 'height' | 'evenSize'>): {
  width: number;
  height: number;
  padded: boolean;
} {
  const { width, height } = spec;
  const odd = width % 2 === 1 || height % 2 === 1;
  if (spec.format !== 'mp4' || !odd) return { width, height, padded: false };
  if ((spec.evenSize ?? 'pad') === 'refuse')
    throw new CamtrackError(
      'bad-input',
      `H.264 (mp4) needs an even width and height; ${width}x${height} is odd. Choose an even size, or allow padding.`,
    );
  return { width: width + (width % 2), height: height + (height % 2), padded: true };
}

function checkCrf(format: 'mp4' | 'webm', crf: number): number {
  if (!Number.isInteger(crf) || crf < 0 || crf > CRF_MAX[format])
    throw new CamtrackError(
      'bad-input',
      `The ${format} quality (crf) must be an integer from 0 to ${CRF_MAX[format]} (got ${crf}); lower is better.`,
    );
  return crf;
}

/** Digits in PNG frame names: at least 4 (frame_0000.png), more when the count needs it. */
export function pngDigits(count: number): number {
  return Math.max(4, String(Math.max(0, count - 1)).length);
}

export function pngFrameName(index: number, count: number): string {
  return `frame_${String(index).padStart(pngDigits(count), '0')}.png`;
}

/**
 * Arguments for one export. `target` is the file ffmpeg writes (a temporary path), or for png the
 * folder it fills with frame_0000.png... `-progress pipe:1` reports encoded frames on stdout.
 */
export function buildFfmpegArgs(spec: EncodeSpec, count: number, target: string): string[] {
  const { width, height, format } = spec;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new CamtrackError('bad-input', `The export size must be positive whole pixels (got ${width}x${height}).`);
  const rate = fpsRational(spec.fps);
  const size = outputSize(spec);
  const input = [
    '-hide_banner',
    '-v',
    'error',
    '-nostats',
    '-progress',
    'pipe:1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-framerate',
    rate,
    '-i',
    'pipe:0',
  ];
  const common = ['-an', '-frames:v', String(count)];
  switch (format) {
    case 'mp4': {
      const crf = checkCrf('mp4', spec.crf ?? DEFAULT_CRF.mp4);
      // Pad one black column/row on the right/bottom; never scale (that would blur every pixel).
      const vf = size.padded ? ['-vf', `pad=${size.width}:${size.height}:0:0`] : [];
      return [
        ...input,
        ...vf,
        ...common,
        '-c:v',
        'libx264',
        '-preset',
        spec.preset ?? 'medium',
        '-crf',
        String(crf),
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        '-y',
        target,
      ];
    }
    case 'webm': {
      const crf = checkCrf('webm', spec.crf ?? DEFAULT_CRF.webm);
      const cpuUsed = Math.min(
        5,
        Math.max(0, X264_PRESETS.length - 1 - X264_PRESETS.indexOf(spec.preset ?? 'medium') - 1),
      );
      return [
        ...input,
        ...common,
        '-c:v',
        'libvpx-vp9',
        '-crf',
        String(crf),
        '-b:v',
        '0',
        '-row-mt',
        '1',
        '-deadline',
        'good',
        '-cpu-used',
        String(cpuUsed),
        '-pix_fmt',
        'yuv420p',
        '-f',
        'webm',
        '-y',
        target,
      ];
    }
    case 'gif':
      // One pass: split the stream, build a palette from all frames, map every frame onto it.
      return [
        ...input,
        ...common,
        '-filter_complex',
        '[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a',
        '-loop',
        '0',
        '-f',
        'gif',
        '-y',
        target,
      ];
    case 'master':
      // Lossless and bit-exact in RGB (rgb24 in, rgb24 out); veryfast: about as quick as FFV1 and
      // a quarter smaller on renders, since a camera move repeats most of each frame.
      return [
        ...input,
        ...common,
        '-c:v',
        'libx264rgb',
        '-qp',
        '0',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'rgb24',
        '-f',
        'matroska',
        '-y',
        target,
      ];
    case 'png':
      return [
        ...input,
        ...common,
        '-c:v',
        'png',
        '-pix_fmt',
        'rgb24',
        '-f',
        'image2',
        '-start_number',
        '0',
        '-y',
        `${target}/frame_%0${pngDigits(count)}d.png`,
      ];
  }
}
