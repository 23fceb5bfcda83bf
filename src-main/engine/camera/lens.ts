/**
 * Field of view <-> focal length in millimetres, as Blender shows a camera: a 36 mm sensor (35 mm
 * film's width) fitted to the frame's longer side (Blender's sensor fit "Auto"). So a landscape
 * frame's 36 mm span its width, a portrait frame's its height, and "50 mm" means what it means on a
 * full-frame camera held the same way.
 */
export const SENSOR_MM = 36;

/** Focal length (mm) of a vertical field of view `fovYDeg` for a frame of `aspect` = width / height. */
export function focalMmFromFovY(fovYDeg: number, aspect: number): number {
  const tanY = Math.tan((fovYDeg * Math.PI) / 360);
  // The half-extent of the longer side in tangent units: width (aspect * tanY) or height (tanY).
  return SENSOR_MM / 2 / (aspect >= 1 ? aspect * tanY : tanY);
}

/** The vertical field of view (degrees) of a focal length `mm` for a frame of `aspect` = width / height. */
export function fovYFromFocalMm(mm: number, aspect: number): number {
  const tanLong = SENSOR_MM / 2 / mm;
  const tanY = aspect >= 1 ? tanLong / aspect : tanLong;
  return (Math.atan(tanY) * 360) / Math.PI;
}
