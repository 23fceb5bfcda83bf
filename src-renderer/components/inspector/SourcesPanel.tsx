import { useProject } from '../../state/projectStore';

/**
 * The further source views of a sparse-view project (engine/sources): one row per view with its
 * file, size and position relative to the photo, and a switch that leaves it out of warps and
 * renders (kept in the project). Shown only when the project has views.
 */
export function SourcesPanel() {
  const sources = useProject((s) => s.doc?.sources ?? []);
  const update = useProject((s) => s.update);
  const toggle = (id: string) =>
    update((doc) => ({ ...doc, sources: doc.sources.map((v) => (v.id === id ? { ...v, enabled: !v.enabled } : v)) }));
  return (
    <ul className="insp-sources" data-testid="sources-list">
      {sources.map((v) => (
        <li key={v.id} data-testid={`source-${v.id}`}>
          <label>
            <input type="checkbox" checked={v.enabled} onChange={() => toggle(v.id)} aria-label={`Use ${v.name}`} />
            <span>{v.name}</span>
          </label>
          <span className="muted">
            {' '}
            {v.image.width} × {v.image.height} at ({v.c2w[3].toFixed(2)}, {v.c2w[7].toFixed(2)}, {v.c2w[11].toFixed(2)})
          </span>
        </li>
      ))}
    </ul>
  );
}
