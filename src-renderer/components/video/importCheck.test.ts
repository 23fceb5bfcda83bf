import { describe, expect, it } from 'vitest';
import { checkVideoImport, MAX_IMPORT_BYTES } from './importCheck';

const f = (name: string, size = 10) => ({ name, size });

describe("the Import video dialog's checks", () => {
  it('keeps depth files of the folder in natural order and ignores other files', () => {
    const r = checkVideoImport(
      f('clip.mp4'),
      [f('frame_10.npy'), f('frame_2.npy'), f('notes.txt'), f('.frame_1.npy'), f('frame_1.npy')],
      0.001,
    );
    expect(r.problem).toBeNull();
    expect(r.depth.map((d) => d.name)).toEqual(['frame_1.npy', 'frame_2.npy', 'frame_10.npy']);
    expect(r.summary).toBe('clip.mp4 · 3 depth files (frame_1.npy … frame_10.npy) · 0.0 MB');
  });

  it('says what is missing or wrong', () => {
    expect(checkVideoImport(null, [f('a.npy')], 0.001).problem).toBe('Choose a video file.');
    expect(checkVideoImport(f('c.mp4'), [], 0.001).problem).toBe('Choose the folder with one depth file per frame.');
    expect(checkVideoImport(f('c.mp4'), [f('a.txt')], 0.001).problem).toBe(
      'The depth folder holds no .npy or .png files.',
    );
    expect(checkVideoImport(f('c.mp4'), [f('a.npy'), f('b.png')], 0.001).problem).toContain('mixes .npy and .png');
    expect(checkVideoImport(f('c.mp4'), [f('a.npy')], 0).problem).toContain('positive number');
    expect(checkVideoImport(f('c.mp4', MAX_IMPORT_BYTES), [f('a.npy')], 0.001).problem).toContain(
      'npx camtrack project new NAME --video c.mp4 --video-depth DIR',
    );
  });
});
