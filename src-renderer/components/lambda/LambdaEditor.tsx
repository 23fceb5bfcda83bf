import { useEffect, useRef } from 'react';
import { useProject } from '../../state/projectStore';

export function LambdaEditor() {
  const lambda = useProject((s) => s.doc?.lambda);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !lambda) return;
    c.width = lambda.frames;
    c.height = lambda.steps;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(lambda.frames, lambda.steps);
    lambda.values.forEach((v, i) => {
      const g = Math.round(255 * Math.min(1, Math.max(0, v)));
      img.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(img, 0, 0);
  }, [lambda]);
  if (!lambda) return null;
  return (
    <section className="panel lambda" aria-label="Lambda heatmap" data-testid="lambda-editor">
      <header className="panel__header">
        <h3>Lambda</h3>
        <span className="muted">{lambda.steps} steps × {lambda.frames} frames</span>
      </header>
      <canvas ref={ref} className="lambda__canvas" />
    </section>
  );
}
