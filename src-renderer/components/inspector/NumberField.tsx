import { useEffect, useState } from 'react';

/**
 * A number input that commits on Enter or blur; invalid text is refused with a message under it
 * and the field returns to the document's value.
 */
export function NumberField({
  value,
  onCommit,
  integer = false,
  label,
  testId,
  step,
}: {
  value: number;
  onCommit: (v: number) => boolean | void;
  integer?: boolean;
  label: string;
  testId?: string;
  step?: number;
}) {
  const [text, setText] = useState(fmt(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(fmt(value)), [value]);
  const commit = () => {
    const t = text.trim();
    const v = Number(t);
    if (t === '' || !Number.isFinite(v)) {
      setError(`"${t}" is not a number.`);
      setText(fmt(value));
      return;
    }
    if (integer && !Number.isInteger(v)) {
      setError(`${label} must be a whole number.`);
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
    <span className="numfield">
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        data-testid={testId}
        value={text}
        step={step}
        aria-invalid={!!error}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
            (e.target as HTMLInputElement).select();
          } else if (e.key === 'Escape') {
            setText(fmt(value));
            setError(null);
          }
        }}
      />
      {error && <span className="numfield__error" role="alert">{error}</span>}
    </span>
  );
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}
