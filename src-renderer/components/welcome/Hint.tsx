import { useEffect, useState, type ReactNode } from 'react';

const KEY = 'camtrack.hints.dismissed';
const ALL = '*';
const HIDDEN_EVENT = 'camtrack:hints-hidden';

function dismissed(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

function isHidden(id: string): boolean {
  const d = dismissed();
  return d.has(id) || d.has(ALL);
}

/**
 * A one-line tip on a panel an artist meets first. Dismissed once, it stays dismissed (this
 * browser's storage); "hide all" dismisses every hint at once.
 */
export function Hint({ id, children, className = '' }: { id: string; children: ReactNode; className?: string }) {
  const [hidden, setHidden] = useState(() => isHidden(id));
  useEffect(() => {
    const on = () => setHidden(isHidden(id));
    window.addEventListener(HIDDEN_EVENT, on);
    return () => window.removeEventListener(HIDDEN_EVENT, on);
  }, [id]);
  if (hidden) return null;
  const hide = (which: string) => {
    const s = dismissed();
    s.add(which);
    localStorage.setItem(KEY, JSON.stringify([...s]));
    window.dispatchEvent(new Event(HIDDEN_EVENT));
  };
  return (
    <div className={`hint ${className}`} role="note" data-testid={`hint-${id}`}>
      <span className="hint__text">{children}</span>
      <button className="link hint__all" onClick={() => hide(ALL)}>
        hide all
      </button>
      <button className="hint__x" aria-label="Dismiss this hint" title="Dismiss" onClick={() => hide(id)}>
        ×
      </button>
    </div>
  );
}
