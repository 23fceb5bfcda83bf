import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';

export function Timeline() {
  const track = useProject((s) => s.doc?.track);
  const frame = useUi((s) => s.frame);
  if (!track) return null;
  return (
    <section className="panel timeline" aria-label="Timeline" data-testid="timeline">
      <header className="panel__header">
        <h3>Timeline</h3>
        <span className="muted">{track.numFrames} frames · {track.fps} fps</span>
      </header>
      <input
        type="range"
        aria-label="Current frame"
        min={0}
        max={track.numFrames - 1}
        value={frame}
        onChange={(e) => useUi.getState().set({ frame: Number(e.target.value) })}
      />
    </section>
  );
}
