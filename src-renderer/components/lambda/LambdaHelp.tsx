import { cssColour } from './colormap';
import { lambdaMeaning } from './explain';

/**
 * The lambda table explained for artists, with a small drawing: what λ does to a frame, why the
 * default lets go over the steps, and what painting a column or a row means. Shown from the λ
 * editor's "What is λ?" button and from Help › Lambda explained.
 */
export function LambdaHelp() {
  return (
    <div className="lhelp" data-testid="lambda-help">
      <LambdaIllustration />
      <p>
        <strong>λ (lambda) says how closely each frame follows the photo warped into that frame's camera</strong>, one
        value per denoising step (rows) and frame (columns), from 0 to 1.
      </p>
      <ul>
        <li>
          <strong>High (toward 1)</strong>: {lambdaMeaning(0.9)}. The camera move and the scene stay exactly as in your
          photo; the holes the move opens are still left to the model.
        </li>
        <li>
          <strong>Low (toward 0)</strong>: {lambdaMeaning(0)}, starting from what earlier steps made. It cleans up
          stretched or torn pixels, but may drift from the photo.
        </li>
        <li>
          <strong>Frame 0</strong> is the photo itself and is never guided.
        </li>
      </ul>
      <h4>Why the default ramps down over the steps</h4>
      <p>
        The model starts from noise (the top rows, high σ) and sharpens step by step (the bottom rows, σ near 0). The
        early steps decide where things are, so the default holds every frame to its warped photo there (λ 1): the
        camera move is fixed. The late steps make the fine detail, so the default lets go (λ 0): the model repairs the
        warp's smears and fills the holes with detail that fits. Frames far from the photo, whose warps are worse, let
        go a few steps earlier.
      </p>
      <h4>Painting a column or a row</h4>
      <p>
        <strong>A column is one frame</strong> through all the steps: lower it where that frame's warp is poor (big
        holes, stretched edges) to let the model redraw it; raise it to pin a frame to the photo.{' '}
        <strong>A row is one step</strong> for every frame: raising late rows keeps the photo's fine texture, lowering
        early rows lets the model move things more freely.
      </p>
      <p className="muted">
        Hover a cell to read its value in these words. A preview render runs no model, so λ changes nothing there: it
        guides the model renders only.
      </p>
    </div>
  );
}

/** A 6-step x 8-frame table shaped like the default, a painted column and row, and what high and low do. */
function LambdaIllustration() {
  const steps = 6;
  const frames = 8;
  const cell = 20;
  const x0 = 96;
  const y0 = 34;
  // The default's shape: 1 early, 0 late; later frames let go a step sooner. Frame 0 is always 1.
  const value = (r: number, c: number) => (c === 0 ? 1 : r < 3 ? 1 : r === 3 ? (c < 4 ? 1 : 0) : 0);
  const cells = [];
  for (let r = 0; r < steps; r++)
    for (let c = 0; c < frames; c++)
      cells.push(
        <rect
          key={`${r}-${c}`}
          x={x0 + c * cell}
          y={y0 + r * cell}
          width={cell - 1}
          height={cell - 1}
          fill={cssColour(value(r, c))}
        />,
      );
  /** The little scene: as warped (black holes), as kept at high λ (holes filled), as reinvented at low λ. */
  const scene = (x: number, y: number, kind: 'warped' | 'high' | 'low') => (
    <g transform={`translate(${x} ${y})`}>
      <rect width={84} height={54} fill="#6a8fb8" />
      <rect y={34} width={84} height={20} fill="#5d7a45" />
      <rect x={kind === 'low' ? 40 : 46} y={16} width={22} height={24} fill={kind === 'low' ? '#c08a5a' : '#b4774a'} />
      <polygon points={kind === 'low' ? '38,16 51,4 64,16' : '44,16 57,6 70,16'} fill="#8a4b33" />
      <circle cx={18} cy={12} r={6} fill="#f2d16b" />
      {kind === 'low' && <circle cx={74} cy={26} r={9} fill="#3f6b35" />}
      {kind === 'warped' && <polygon points="0,18 9,16 11,54 0,54" fill="#000" />}
      {kind === 'warped' && <rect x={68} y={14} width={5} height={28} fill="#000" />}
    </g>
  );
  return (
    <svg
      className="lhelp__art"
      viewBox="0 0 560 200"
      role="img"
      aria-label="The lambda table: rows are denoising steps from noisy to clean, columns are frames; high values follow the warped photo, low values let the model invent"
    >
      <text x={x0} y={14} className="lhelp__t">
        frames →
      </text>
      <text x={x0 + 2} y={28} className="lhelp__s">
        0 = photo
      </text>
      <text x={6} y={y0 + 12} className="lhelp__s">
        noisy (σ 700)
      </text>
      <text x={6} y={y0 + 26} className="lhelp__s">
        layout
      </text>
      <text x={6} y={y0 + steps * cell - 20} className="lhelp__s">
        clean (σ 0)
      </text>
      <text x={6} y={y0 + steps * cell - 6} className="lhelp__s">
        fine detail
      </text>
      <text x={78} y={y0 + (steps * cell) / 2 + 4} className="lhelp__t" textAnchor="middle">
        ↓
      </text>
      {cells}
      {/* A painted column (one frame, all steps) and a painted row (one step, all frames). */}
      <rect
        x={x0 + 5 * cell - 1}
        y={y0 - 1}
        width={cell + 1}
        height={steps * cell + 1}
        fill="none"
        stroke="#ff9f43"
        strokeWidth={2}
      />
      <text x={x0 + 5 * cell + cell / 2} y={y0 + steps * cell + 14} className="lhelp__s" textAnchor="middle">
        column: frame 5
      </text>
      <rect
        x={x0 - 1}
        y={y0 + 4 * cell - 1}
        width={frames * cell + 1}
        height={cell + 1}
        fill="none"
        stroke="#ff5d8f"
        strokeWidth={2}
        strokeDasharray="4 2"
      />
      <text x={x0 + frames * cell + 6} y={y0 + 4 * cell + 14} className="lhelp__s">
        row: step 5
      </text>
      <g transform="translate(328 20)">
        {scene(62, 0, 'warped')}
        <text x={104} y={68} className="lhelp__s" textAnchor="middle">
          the warped photo (black: holes)
        </text>
        <text x={52} y={90} className="lhelp__t" textAnchor="middle">
          ↙ λ high
        </text>
        <text x={158} y={90} className="lhelp__t" textAnchor="middle">
          λ low ↘
        </text>
        {scene(0, 98, 'high')}
        <text x={42} y={166} className="lhelp__s" textAnchor="middle">
          keeps it, fills the holes
        </text>
        {scene(124, 98, 'low')}
        <text x={166} y={166} className="lhelp__s" textAnchor="middle">
          its own version
        </text>
      </g>
    </svg>
  );
}
