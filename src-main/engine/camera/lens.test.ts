import { describe, expect, it } from 'vitest';
import { focalMmFromFovY, fovYFromFocalMm } from './lens';

describe('focal length in mm (Blender: 36 mm sensor on the longer side)', () => {
  it('matches Blender figures', () => {
    // Blender's default camera: 50 mm on a 36 mm sensor, horizontal fov 2 atan(18 / 50) = 39.598 deg.
    // For 16:9 its vertical fov is 2 atan(18 / 50 / (16 / 9)).
    const fovY169 = (Math.atan(18 / 50 / (16 / 9)) * 360) / Math.PI;
    expect(focalMmFromFovY(fovY169, 16 / 9)).toBeCloseTo(50, 10);
    // Square and portrait frames: the sensor spans the height, so fovY is the long-side fov.
    expect(focalMmFromFovY(39.5978, 1)).toBeCloseTo(50, 3);
    expect(focalMmFromFovY(39.5978, 9 / 16)).toBeCloseTo(50, 3);
    // A 90 degree square frame is an 18 mm lens.
    expect(focalMmFromFovY(90, 1)).toBeCloseTo(18, 10);
  });

  it('round-trips at any aspect', () => {
    for (const aspect of [0.5, 1, 4 / 3, 16 / 9, 2.39]) {
      for (const fov of [5, 30, 50, 90, 150])
        expect(fovYFromFocalMm(focalMmFromFovY(fov, aspect), aspect)).toBeCloseTo(fov, 10);
    }
  });
});
