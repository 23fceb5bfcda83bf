import { useEffect, useRef, useState } from 'react';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { tintHoles } from './tint';

/** Long side of the look-through preview: enough to judge the warp, fast enough to follow a drag (debounced). */
const PREVIEW_SIDE = 512;
const DEBOUNCE_MS = 150;

/**
 * What the camera sees at the current frame: the engine's own warped view ('warp.frame', the
 * same warp the render uses), holes tinted magenta. Follows the frame and every track edit,
 * debounced; a newer request makes an older answer stale.
 */
export function LookThrough() {
  const frame = useUi((s) => s.frame);
  const doc = useProject((s) => s.doc);
  const dir = useProject((s) => s.dir);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<{ frame: number; holes: number } | { error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const track = doc?.track;
  const image = doc?.image;
  const depth = doc?.depth;
  const render = doc?.render;

  useEffect(() => {
    if (!dir || !doc) return;
    if (!doc.image || !doc.depth) {
      setState({
        error: doc.image
          ? 'Give the photo depth (Inspector › Depth: a shape, a file or an estimate) to see the warped view.'
          : 'Import a photo to see the warped view.',
      });
      return;
    }
    const f = Math.min(frame, doc.track.numFrames - 1);
    let stale = false;
    const timer = setTimeout(() => {
      setBusy(true);
      engine.call('warp.frame', { project: dir, doc, frame: f, maxSide: PREVIEW_SIDE }).then(
        async (w) => {
          if (stale) return;
          const [img, mask] = await Promise.all([decode(w.png), decode(w.maskPng)]);
          if (stale || !canvas.current) return;
          tintHoles(canvas.current, img, mask, w.width, w.height);
          setState({ frame: w.frame, holes: w.holeFraction });
          setBusy(false);
        },
        (e: Error) => {
          if (stale) return;
          setState({ error: e.message });
          setBusy(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // Only what the warp depends on (not the lambda table or the name); `doc` is read at that moment.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see the line above
  }, [dir, frame, track, image, depth, render]);

  const error = state && 'error' in state ? state.error : null;
  return (
    <figure className="lookthrough" data-testid="lookthrough" aria-label="Look-through preview">
      <canvas ref={canvas} className="lookthrough__canvas" hidden={!!error} />
      {error && <div className="lookthrough__empty">{error}</div>}
      <figcaption>
        <span>Frame {state && 'frame' in state ? state.frame : frame} · warped view</span>
        {state && 'holes' in state && (
          <span className="lookthrough__holes" data-testid="lookthrough-holes">
            holes {(state.holes * 100).toFixed(1)}%
          </span>
        )}
        {busy && <span className="muted">…</span>}
      </figcaption>
    </figure>
  );
}

function decode(png: Uint8Array): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([png.slice()], { type: 'image/png' }));
}
