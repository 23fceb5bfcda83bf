/**
 * The ruler's geometry: frames 0..last spread over a width with half a frame of margin at each
 * end, so the first and last diamonds are not cut in half by the edges.
 */
export function xOfFrame(frame: number, width: number, last: number): number {
  const slots = last + 1;
  return ((frame + 0.5) / slots) * width;
}

/** The frame under x (clamped to the track), the inverse of xOfFrame rounded to the nearest frame. */
export function frameAtX(x: number, width: number, last: number): number {
  if (!(width > 0)) return 0;
  const f = Math.round((x / width) * (last + 1) - 0.5);
  return Math.min(last, Math.max(0, f));
}
