/** A 0..1 fraction as the panel's bar (renders and exports share it), announced as a percentage. */
export function ProgressBar({ fraction, label }: { fraction: number; label?: string }) {
  const pct = Math.round(fraction * 100);
  return (
    <div
      className="bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="bar__fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
