import { useEffect, useState } from 'react';

/**
 * A number input that commits on Enter or blur (one undo step per commit). Ctrl+Z while it has
 * focus first drops text typed but not entered (the field shows the project's value again); with
 * nothing pending it undoes the project, as anywhere else in the studio (shortcuts.ts lets it
 * through for fields marked data-project-undo). Invalid text, or a
 * value `check` rejects, is refused with the message under it (saying which value was kept) and
 * the field returns to the document's value. The message goes when the user types again, when the
 * value changes, or after a few seconds: it never outlives what it is about. Used by the inspector and, with its own classes, the render settings.
 */
export function NumberField({
  value,
  onCommit,
  integer = false,
  label,
  testId,
  step,
  check,
  disabled,
  className = 'numfield',
  errorClassName = 'numfield__error',
}: {
  value: number;
  onCommit: (v: number) => boolean | void;
  integer?: boolean;
  label: string;
  testId?: string;
  step?: number;
  check?: (v: number) => string | null;
  disabled?: boolean;
  className?: string;
  errorClassName?: string;
}) {
  const [text, setText] = useState(fmt(value));
  const [error, setError] = useState<string | null>(null);
  // A new value from the document (an edit elsewhere, undo, a preset) replaces the text in the same
  // render, not an effect later: the field never shows the old number next to the new state.
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    setText(fmt(value));
    setError(null);
  }
  useEffect(() => {
    if (!error) return;
    const t = setTimeout(() => setError(null), ERROR_MS);
    return () => clearTimeout(t);
  }, [error]);
  const commit = () => {
    const t = text.trim();
    const v = Number(t);
    if (t === '' || !Number.isFinite(v)) {
      setError(`"${t}" is not a number; kept ${fmt(value)}.`);
      setText(fmt(value));
      return;
    }
    const problem = integer && !Number.isInteger(v) ? `${label} must be a whole number.` : (check?.(v) ?? null);
    if (problem) {
      setError(`${problem} Kept ${fmt(value)}.`);
      setText(fmt(value));
      return;
    }
    if (v === value) {
      setError(null);
      return;
    }
    const ok = onCommit(v);
    if (ok === false) setText(fmt(value));
    setError(null);
  };
  return (
    <span className={className}>
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        data-testid={testId}
        value={text}
        step={step}
        disabled={disabled}
        aria-invalid={!!error}
        data-project-undo
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
            (e.target as HTMLInputElement).select();
          } else if (e.key === 'Escape') {
            setText(fmt(value));
            setError(null);
          } else if ((e.ctrlKey || e.metaKey) && ['z', 'y'].includes(e.key.toLowerCase()) && text !== fmt(value)) {
            // Typing in progress: undo drops it; redo waits until it is entered or dropped.
            e.preventDefault();
            if (e.key.toLowerCase() === 'z' && !e.shiftKey) {
              setText(fmt(value));
              setError(null);
            }
          }
        }}
      />
      {error && (
        <span className={errorClassName} role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      )}
    </span>
  );
}

/** How long a refusal stays under the field. */
const ERROR_MS = 6000;

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}
