import { useUi } from '../../state/uiStore';
import { cancelImport } from '../../actions';

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismiss);
  const importing = useUi((s) => s.importing);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {importing && (
        <div className="toast toast--progress" data-testid="import-progress">
          <div className="toast__body">
            <span>
              Importing {importing.name}: {importing.stage}
            </span>
            <div className="bar" aria-label="Import progress" aria-valuenow={Math.round(importing.fraction * 100)}>
              <div className="bar__fill" style={{ width: `${Math.round(importing.fraction * 100)}%` }} />
            </div>
          </div>
          <button className="toast__cancel" data-testid="import-cancel" onClick={cancelImport}>
            Cancel
          </button>
        </div>
      )}
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.kind}`} data-testid="toast">
          <span>{t.text}</span>
          {t.action && (
            <button
              className="toast__action"
              onClick={() => {
                t.action!.run();
                dismiss(t.id);
              }}
              data-testid="toast-action"
            >
              {t.action.label}
            </button>
          )}
          <button aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
