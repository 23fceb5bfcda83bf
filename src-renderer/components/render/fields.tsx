import { useEffect, useState, type ReactNode } from 'react';

/**
 * A number input for render settings: commits on Enter or blur (one undo step per commit), and
 * refuses a value its check rejects with the check's message under it, keeping the document's value.
 */
export function NumberInput({
  value,
  label,
  testId,
  check,
  onCommit,
  disabled,
}: {
  value: number;
  label: string;
  testId?: string;
  check: (v: number) => string | null;
  onCommit: (v: number) => void;
  disabled?: boolean;
}) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const t = text.trim();
    const v = Number(t);
    const problem = t === '' || !Number.isFinite(v) ? `"${t}" is not a number.` : check(v);
    if (problem) {
      setError(problem);
      setText(String(value));
      return;
    }
    setError(null);
    if (v !== value) onCommit(v);
  };
  return (
    <span className="rfield__input">
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        data-testid={testId}
        value={text}
        disabled={disabled}
        aria-invalid={!!error}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          else if (e.key === 'Escape') {
            setText(String(value));
            setError(null);
          }
        }}
      />
      {error && (
        <span className="rfield__error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      )}
    </span>
  );
}

/** A labelled row of the settings form. */
export function Row({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="rfield">
      <span className="rfield__label" title={hint}>
        {label}
      </span>
      <div className="rfield__control">{children}</div>
    </div>
  );
}

/** Mutually exclusive choices as a row of buttons (fit, format). */
export function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: T;
  options: readonly { value: T; label: string; title?: string }[];
  onChange: (v: T) => void;
  label: string;
  testId?: string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={o.value}
          role="radio"
          aria-checked={o.value === value}
          className={o.value === value ? 'is-on' : undefined}
          title={o.title}
          onClick={() => o.value !== value && onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
