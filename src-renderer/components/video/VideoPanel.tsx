import { useProject } from '../../state/projectStore';

/**
 * The source video of a dynamic-scene project (engine/video-input): its file, frames, size and
 * frame rate, the depth folder and mapping, and what happens past its last frame.
 */
export function VideoPanel() {
  const video = useProject((s) => s.doc?.video);
  const numFrames = useProject((s) => s.doc?.track.numFrames ?? 0);
  if (!video) return null;
  const n = video.frames.length;
  return (
    <dl className="props" data-testid="video-panel">
      <dt>File</dt>
      <dd data-testid="video-name">{video.originalName}</dd>
      <dt>Frames</dt>
      <dd data-testid="video-frames">
        {n} · {video.width} × {video.height}
        {video.fps ? ` · ${Number(video.fps.toFixed(3))} fps` : ''}
      </dd>
      <dt>Depth</dt>
      <dd>
        {video.depthFolder}/ · z = {video.mapping.scale} × value
      </dd>
      {numFrames > n && (
        <>
          <dt>Past the end</dt>
          <dd className="muted" data-testid="video-hold">
            Frames {n}–{numFrames - 1} hold the last video frame.
          </dd>
        </>
      )}
    </dl>
  );
}
