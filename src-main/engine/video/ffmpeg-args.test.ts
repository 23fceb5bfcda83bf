import { describe, expect, it } from 'vitest';
import { buildFfmpegArgs, fpsRational, outputSize, pngFrameName } from './ffmpeg-args';

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('ffmpeg arguments', () => {
  it('frame rates become exact rationals', () => {
    expect(fpsRational(25)).toBe('25/1');
    expect(fpsRational(12.5)).toBe('25/2');
    expect(fpsRational(29.97)).toBe('2997/100');
    expect(fpsRational(30000 / 1001)).toBe('30000/1001');
    expect(() => fpsRational(0)).toThrow(/frame rate/);
  });

  it('PNG names have at least 4 digits, more when the count needs them', () => {
    expect(pngFrameName(7, 25)).toBe('frame_0007.png');
    expect(pngFrameName(12, 12000)).toBe('frame_00012.png');
  });

  it('mp4: rgb24 on stdin, libx264 yuv420p, crf and preset, faststart, the exact frame count', () => {
    const a = buildFfmpegArgs(
      { format: 'mp4', width: 64, height: 48, fps: 24, crf: 20, preset: 'slow' },
      14,
      '/t/x.mp4',
    );
    expect(after(a, '-pix_fmt')).toBe('rgb24');
    expect(after(a, '-s')).toBe('64x48');
    expect(after(a, '-i')).toBe('pipe:0');
    expect(after(a, '-c:v')).toBe('libx264');
    expect(after(a, '-crf')).toBe('20');
    expect(after(a, '-preset')).toBe('slow');
    expect(after(a, '-movflags')).toBe('+faststart');
    expect(after(a, '-frames:v')).toBe('14');
    expect(a.lastIndexOf('-pix_fmt')).toBeGreaterThan(a.indexOf('-i'));
    expect(a[a.lastIndexOf('-pix_fmt') + 1]).toBe('yuv420p');
    expect(a.at(-1)).toBe('/t/x.mp4');
  });

  it('webm: VP9 in constant-quality mode (-crf with -b:v 0)', () => {
    const a = buildFfmpegArgs({ format: 'webm', width: 64, height: 48, fps: 24, crf: 40 }, 5, '/t/x.webm');
    expect(after(a, '-c:v')).toBe('libvpx-vp9');
    expect(after(a, '-crf')).toBe('40');
    expect(after(a, '-b:v')).toBe('0');
  });

  it('crf out of the codec range is refused with the range', () => {
    expect(() => buildFfmpegArgs({ format: 'mp4', width: 64, height: 48, fps: 24, crf: 60 }, 5, 'x')).toThrow(
      /0 to 51/,
    );
    expect(() => buildFfmpegArgs({ format: 'webm', width: 64, height: 48, fps: 24, crf: 64 }, 5, 'x')).toThrow(
      /0 to 63/,
    );
  });

  it('odd sizes: mp4 pads, other formats keep the size', () => {
    expect(outputSize({ format: 'mp4', width: 63, height: 48 })).toEqual({ width: 64, height: 48, padded: true });
    expect(outputSize({ format: 'webm', width: 63, height: 47 })).toEqual({ width: 63, height: 47, padded: false });
    expect(after(buildFfmpegArgs({ format: 'mp4', width: 63, height: 47, fps: 10 }, 2, 'x'), '-vf')).toBe(
      'pad=64:48:0:0',
    );
    expect(() => outputSize({ format: 'mp4', width: 63, height: 48, evenSize: 'refuse' })).toThrow(
      /even width and height/,
    );
  });

  it('gif uses one split/palettegen/paletteuse graph; png writes numbered files from 0', () => {
    expect(
      after(buildFfmpegArgs({ format: 'gif', width: 8, height: 8, fps: 10 }, 3, 'x.gif'), '-filter_complex'),
    ).toMatch(/split\[a\]\[b\];\[a\]palettegen.*\[b\]\[p\]paletteuse/);
    const p = buildFfmpegArgs({ format: 'png', width: 8, height: 8, fps: 10 }, 3, '/t/dir');
    expect(after(p, '-start_number')).toBe('0');
    expect(p.at(-1)).toBe('/t/dir/frame_%04d.png');
  });
});
