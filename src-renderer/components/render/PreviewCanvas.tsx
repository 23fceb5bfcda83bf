import { useEffect, useRef } from 'react';
import type { JobPreview } from './queueStore';
import { frameAt, rgbToRgba } from './preview';

/**
 * A running job's live preview: the frames of the latest denoising estimate, looped at the
 * track's frame rate on a small canvas (the engine sends one small RGB image per frame).
 */
export function PreviewCanvas({ preview, fps }: { preview: JobPreview; fps: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || preview.frames.length === 0) return;
    const { width, height, frames } = preview;
    canvas.width = width;
    canvas.height = height;
    // Converted once per preview; each tick only puts the next image.
    const images = frames.map((f) => {
      try {
        return new ImageData(rgbToRgba(f, width, height) as Uint8ClampedArray<ArrayBuffer>, width, height);
      } catch {
        return null;
      }
    });
    const start = performance.now();
    let raf = 0;
    let shown = -1;
    const tick = () => {
      const i = frameAt(performance.now() - start, fps, images.length);
      const img = images[i];
      if (i !== shown && img) {
        ctx.putImageData(img, 0, 0);
        shown = i;
      }
      raf = requestAnimationFrame(tick);
    };
    tick();
    return () => cancelAnimationFrame(raf);
  }, [preview, fps]);
  return (
    <figure className="job__preview" data-testid="job-preview">
      <canvas ref={ref} aria-label={`Live preview at step ${preview.step}`} />
      <figcaption>step {preview.step}</figcaption>
    </figure>
  );
}
