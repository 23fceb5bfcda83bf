import { describe, expect, it } from 'vitest';
import { findViewSet, namesToSend } from './viewsChoice';

describe('what "New project from views…" sends of a chosen folder', () => {
  it('a transforms.json folder: the file and the photos and depth files beside or below it, nothing else', () => {
    const names = [
      'set/transforms.json',
      'set/left.png',
      'set/d/left_depth.npy',
      'set/notes.md',
      'set/colmap/transforms.json',
      'set/video.mp4',
    ];
    const set = findViewSet(names)!;
    expect(set).toEqual({ format: 'transforms', root: 'set', transforms: 'set/transforms.json' });
    expect(namesToSend(names, set)).toEqual(['set/transforms.json', 'set/left.png', 'set/d/left_depth.npy']);
  });

  it("an MVSNet folder: its views by number, and only the chosen views' camera, photo and depth", () => {
    const names = [
      'scan1/pair.txt',
      'scan1/cams/00000023_cam.txt',
      'scan1/cams/00000026_cam.txt',
      'scan1/cams/00000001_cam.txt',
      'scan1/images/00000023.jpg',
      'scan1/images/00000026.jpg',
      'scan1/images/00000001.jpg',
      'scan1/depths/00000023.pfm',
      'scan1/depths/00000026_init.pfm',
      'scan1/depths/00000026_prob.pfm',
      'scan1/depths/00000001.npy',
    ];
    const set = findViewSet(names)!;
    expect(set).toEqual({ format: 'mvsnet', root: 'scan1', views: [1, 23, 26] });
    expect(namesToSend(names, set, [23, 26]).sort()).toEqual([
      'scan1/cams/00000023_cam.txt',
      'scan1/cams/00000026_cam.txt',
      'scan1/depths/00000023.pfm',
      'scan1/depths/00000026_init.pfm',
      'scan1/images/00000023.jpg',
      'scan1/images/00000026.jpg',
    ]);
  });

  it('a folder with neither is not a view set', () => {
    expect(findViewSet(['a/b.png', 'a/cams.txt'])).toBeNull();
  });
});
