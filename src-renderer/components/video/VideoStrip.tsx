import { useEffect, useState } from 'react';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import { sourceFrameFor } from '../../../src-main/engine/video-input/frames';
import { xOfFrame } from '../timeline/ruler';
import './video.css';

const THUMB_HEIGHT = 36;

/**
 * The source video's frames under the timeline's frame ticks: track frame f shows the video frame
 * it is warped from (the last one past the video's end). Thumbnails come from the engine once per
 * set of frames (content-addressed, so the same frames are never fetched twice).
 */
export function VideoStrip({ last }: { last: number }) {
  const dir = useProject((s) => s.dir);
  const video = useProject((s) => s.doc?.video);
  const [thumbs, setThumbs] = useState<{ key: string; urls: string[]; aspect: number } | null>(null);
  const key = video ? video.frames.map((f) => f.image.sha256.slice(0, 12)).join('') : '';

  useEffect(() => {
    const doc = useProject.getState().doc;
    if (!video || !dir || !doc || thumbs?.key === key) return;
    let live = true;
    engine.call('video.thumbnails', { project: dir, doc, height: THUMB_HEIGHT }).then(
      (r) => {
        if (!live) return;
        setThumbs({
          key,
          aspect: r.width / r.height,
          urls: r.frames.map((b) => URL.createObjectURL(new Blob([b.slice()], { type: 'image/jpeg' }))),
        });
      },
      () => live && setThumbs(null),
    );
    return () => {
      live = false;
    };
  }, [key, dir]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => () => thumbs?.urls.forEach((u) => URL.revokeObjectURL(u)), [thumbs]);
  if (!video) return null;
  const frames = Array.from({ length: last + 1 }, (_, f) => f);
  return (
    <div className="video-strip" data-testid="video-strip" aria-label="Source video frames">
      {thumbs &&
        frames.map((f) => {
          const k = sourceFrameFor(f, video.frames.length);
          return (
            <img
              key={f}
              className={`video-strip__frame${f >= video.frames.length ? ' video-strip__frame--held' : ''}`}
              src={thumbs.urls[k]}
              alt={`video frame ${k}`}
              title={`Track frame ${f}: video frame ${k}${f >= video.frames.length ? ' (held)' : ''}`}
              data-testid={`video-thumb-${f}`}
              style={{ left: `${xOfFrame(f, 100, last)}%`, width: `${Math.max(100 / (last + 1), 0)}%` }}
            />
          );
        })}
    </div>
  );
}
