import { type ReactNode } from 'react';
import { NumberField } from '../ui/NumberField';

/** A number input for render settings: the inspector's NumberField with this form's classes. */
export function NumberInput(props: {
  value: number;
  label: string;
  testId?: string;
  check: (v: number) => string | null;
  onCommit: (v: number) => void;
  disabled?: boolean;
}) {
  return <NumberField {...props} className="rfield__input" errorClassName="rfield__error" />;
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
