import type { DepthReportView } from '../../../src-main/api/contract';

const n = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '–');

/**
 * What the mapping made of the depth, in scene units: near, median (the focus depth the presets
 * and the track scale with) and far, a small histogram of log z with the median marked, the
 * plausibility warnings and the notes.
 */
export function DepthReport({ report }: { report: DepthReportView }) {
  const { counts, lo, hi } = report.histogram;
  const top = Math.max(1, ...counts);
  const W = 240;
  const H = 36;
  const bw = W / counts.length;
  const at = (z: number) => (hi > lo ? (Math.log(z / lo) / Math.log(hi / lo)) * W : W / 2);
  return (
    <div className="depth-report" data-testid="depth-report">
      <div className="depth-report__nmf">
        <div>
          <span className="muted">near</span>
          <strong data-testid="depth-near-z">{n(report.min)}</strong>
        </div>
        <div>
          <span className="muted">median</span>
          <strong data-testid="depth-median">{n(report.median)}</strong>
        </div>
        <div>
          <span className="muted">far</span>
          <strong data-testid="depth-far-z">{n(report.max)}</strong>
        </div>
      </div>
      <svg
        className="depth-report__hist"
        viewBox={`0 0 ${W} ${H + 2}`}
        preserveAspectRatio="none"
        data-testid="depth-histogram"
        role="img"
        aria-label={`Histogram of depth from ${n(lo)} to ${n(hi)} units (log scale), median ${n(report.median)}`}
      >
        {counts.map((c, i) => {
          const bh = c ? Math.max(1, (Math.sqrt(c) / Math.sqrt(top)) * H) : 0;
          return <rect key={i} x={i * bw + 0.5} y={H - bh} width={Math.max(0.5, bw - 1)} height={bh} />;
        })}
        {Number.isFinite(report.median) && (
          <line className="depth-report__median" x1={at(report.median)} x2={at(report.median)} y1={0} y2={H + 2} />
        )}
      </svg>
      <div className="depth-report__axis muted">
        <span>{n(lo)}</span>
        <span>units (log)</span>
        <span>{n(hi)}</span>
      </div>
      {report.warnings.length > 0 && (
        <ul className="depth-report__warnings" data-testid="depth-warnings" role="alert">
          {report.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <dl className="props">
        <dt>Size</dt>
        <dd>
          {report.width} × {report.height}
        </dd>
        <dt>z range</dt>
        <dd data-testid="depth-range">
          {report.min.toPrecision(4)} – {report.max.toPrecision(4)}
        </dd>
        <dt>Invalid</dt>
        <dd data-testid="depth-invalid">
          {report.invalid === 0
            ? 'none'
            : `${report.invalid} px (${((report.invalid / (report.valid + report.invalid)) * 100).toFixed(1)}%)`}
        </dd>
        {report.notes.length > 0 && (
          <>
            <dt>Notes</dt>
            <dd>{report.notes.join('; ')}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
