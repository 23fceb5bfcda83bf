import { useProject } from '../../state/projectStore';

export function Inspector() {
  const doc = useProject((s) => s.doc);
  if (!doc) return <aside className="panel inspector" />;
  return (
    <aside className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <header className="panel__header">
        <h3>Photo</h3>
      </header>
      {doc.image ? (
        <dl className="props">
          <dt>File</dt>
          <dd data-testid="image-name">{doc.image.originalName}</dd>
          <dt>Size</dt>
          <dd data-testid="image-size">{doc.image.width} × {doc.image.height}</dd>
        </dl>
      ) : (
        <p className="muted">No photo yet.</p>
      )}
    </aside>
  );
}
