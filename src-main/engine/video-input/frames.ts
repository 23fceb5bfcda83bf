/**
 * Which source frame a track frame is warped from (pure; the timeline shows the same): frame k
 * from video frame k, and past the video's end its last frame (the scene stops, the camera goes on).
 */
export function sourceFrameFor(trackFrame: number, sourceFrames: number): number {
  return Math.min(trackFrame, sourceFrames - 1);
}
