import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Paintbrush, SquareDashed } from 'lucide-react';
import { ICON } from '../ui/icons';
import type { LambdaDoc } from '../../../src-main/engine/project/schema';
import type { LambdaFormat } from '../../../src-main/engine/lambda/formats';
import { useUi } from '../../state/uiStore';
import { NumberField } from '../ui/NumberField';
import type { BrushMode } from './brush';
import { useLambdaEditor } from './editorStore';
import {
  applyPresetCommand,
  applyTyped,
  copySelection,
  opClamp,
  opFill,
  opInterpolate,
  opInvert,
  opScale,
  pasteClipboard,
  resetToDefault,
  setLambdaMin,
} from './commands';
import { downloadBlob, exportLambda, importLambdaBytes, LAMBDA_FORMATS } from './io';
import { setLambdaDoc } from './working';
import { parseLambdaValue } from './edit';

const MODES: { mode: BrushMode; label: string; title: string }[] = [
  { mode: 'set', label: 'Set', title: 'Paint the value' },
  { mode: 'add', label: 'Add', title: 'Add the amount (negative lowers)' },
  { mode: 'multiply', label: '×', title: 'Multiply by the factor' },
  { mode: 'smooth', label: 'Smooth', title: 'Blend toward the neighbourhood mean' },
];

function Seg<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: { v: T; label: ReactNode; title?: string }[];
  onChange: (v: T) => void;
  label: string;
}) {
  return (
    <span className="lh-seg" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.v}
          role="radio"
          aria-checked={value === o.v}
          className={value === o.v ? 'is-on' : ''}
          title={o.title}
          onClick={() => onChange(o.v)}
        >
          {o.label}
        </button>
      ))}
    </span>
  );
}

function Slider({
  label,
  value,
  min,
  max,
  step,
  onChange,
  fmt = (v) => String(v),
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  fmt?: (v: number) => string;
}) {
  return (
    <label className="lh-slider" title={label}>
      <span>{label}</span>
      <input
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <output>{fmt(value)}</output>
    </label>
  );
}

/** Tools: brush settings or selection operations, and the typed value. */
export function ToolBar() {
  const tool = useLambdaEditor((s) => s.tool);
  const brush = useLambdaEditor((s) => s.brush);
  const typed = useLambdaEditor((s) => s.typed);
  const set = useLambdaEditor((s) => s.set);
  const setBrush = useLambdaEditor((s) => s.setBrush);
  const [factor, setFactor] = useState(0.8);
  const [lo, setLo] = useState(0.3);
  const [hi, setHi] = useState(1);
  const amountLabel = brush.mode === 'set' ? 'Value' : brush.mode === 'add' ? 'Amount' : 'Factor';
  return (
    <div className="lh-bar" role="toolbar" aria-label="Lambda tools">
      <Seg
        label="Tool"
        value={tool}
        onChange={(t) => set({ tool: t })}
        options={[
          {
            v: 'brush',
            label: (
              <>
                <Paintbrush {...ICON} /> Brush
              </>
            ),
            title: 'Paint (B). Alt+click picks the value under the pointer.',
          },
          {
            v: 'select',
            label: (
              <>
                <SquareDashed {...ICON} /> Select
              </>
            ),
            title: 'Select cells (M); click the axis labels for whole steps or frames',
          },
        ]}
      />
      {tool === 'brush' ? (
        <>
          <Seg
            label="Brush mode"
            value={brush.mode}
            onChange={(mode) =>
              setBrush({
                mode,
                amount: mode === 'set' ? 0.8 : mode === 'add' ? 0.1 : mode === 'multiply' ? 0.8 : brush.amount,
              })
            }
            options={MODES.map((m) => ({ v: m.mode, label: m.label, title: m.title }))}
          />
          {brush.mode !== 'smooth' && (
            <label className="lh-field">
              {amountLabel}
              <NumberField
                value={brush.amount}
                label={`Brush ${amountLabel.toLowerCase()}`}
                testId="brush-amount"
                check={(v) => brushAmountProblem(brush.mode, v)}
                onCommit={(v) => setBrush({ amount: v })}
              />
            </label>
          )}
          <Slider label="Size" value={brush.size} min={1} max={31} step={1} onChange={(size) => setBrush({ size })} />
          <Slider
            label="Strength"
            value={brush.strength}
            min={0.05}
            max={1}
            step={0.05}
            onChange={(strength) => setBrush({ strength })}
            fmt={(v) => v.toFixed(2)}
          />
          <Slider
            label="Falloff"
            value={brush.falloff}
            min={0}
            max={1}
            step={0.05}
            onChange={(falloff) => setBrush({ falloff })}
            fmt={(v) => v.toFixed(2)}
          />
        </>
      ) : (
        <>
          <button
            onClick={() => {
              const p = parseLambdaValue(typed || String(brush.amount));
              if ('value' in p) opFill(p.value);
            }}
            title="Fill the selection with the value in the Set field (or the brush value)"
          >
            Fill
          </button>
          <span className="lh-group">
            <button onClick={() => opScale(factor)} title="Multiply the selection by the factor">
              Scale ×
            </button>
            <NumberField
              value={factor}
              label="Scale factor"
              testId="scale-factor"
              check={(v) => (v >= 0 ? null : 'The factor cannot be negative.')}
              onCommit={setFactor}
            />
          </span>
          <span className="lh-group">
            <button onClick={() => opClamp(lo, hi)} title="Clamp the selection into [low, high]">
              Clamp
            </button>
            <NumberField value={lo} label="Clamp low" testId="clamp-low" check={unitProblem} onCommit={setLo} />
            <NumberField value={hi} label="Clamp high" testId="clamp-high" check={unitProblem} onCommit={setHi} />
          </span>
          <button onClick={opInvert} title="1 − value">
            Invert
          </button>
          <button
            onClick={() => opInterpolate('steps')}
            title="Linear from the selection's first step to its last, per frame"
          >
            Interp ↕
          </button>
          <button
            onClick={() => opInterpolate('frames')}
            title="Linear from the selection's first frame to its last, per step"
          >
            Interp ↔
          </button>
          <button onClick={copySelection} title="Copy (Ctrl+C)">
            Copy
          </button>
          <button onClick={pasteClipboard} title="Paste at the selection or cursor (Ctrl+V)">
            Paste
          </button>
        </>
      )}
      <label className="lh-field lh-typed">
        Set cells
        <input
          type="text"
          inputMode="decimal"
          aria-label="Value for the selected cells"
          data-testid="lambda-value"
          placeholder="0..1"
          value={typed}
          onChange={(e) => set({ typed: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyTyped((e.target as HTMLInputElement).value);
          }}
        />
      </label>
    </div>
  );
}

/** λ weights live in [0, 1]: a value outside is refused with this message (NumberField says what it kept). */
function unitProblem(v: number): string | null {
  return v >= 0 && v <= 1 ? null : `λ is between 0 and 1 (got ${v}).`;
}

/** What each brush mode's amount may be: a λ to set, a change to add, a factor to multiply by. */
function brushAmountProblem(mode: string, v: number): string | null {
  if (mode === 'set') return unitProblem(v);
  if (mode === 'add') return v >= -1 && v <= 1 ? null : `The amount to add is between -1 and 1 (got ${v}).`;
  if (mode === 'multiply') return v >= 0 && v <= 10 ? null : `The factor is between 0 and 10 (got ${v}).`;
  return null;
}

const PRESET_OPTIONS = [
  { v: 'default', label: 'Default (closed form)' },
  { v: 'constant', label: 'Constant' },
  { v: 'ramp-steps', label: 'Ramp over steps' },
  { v: 'ramp-frames', label: 'Ramp over frames' },
  { v: 'custom', label: 'Custom (painted)' },
] as const;

/** Presets, lambda_min, import and export. */
export function PresetBar({ lambda }: { lambda: LambdaDoc }) {
  const p = lambda.preset;
  const error = useLambdaEditor((s) => s.presetError);
  const kind = p.kind === 'ramp' ? `ramp-${p.axis}` : p.kind;
  // A refusal is about the preset as it was: any change of the table's preset retires it.
  useEffect(() => useLambdaEditor.getState().set({ presetError: null }), [p]);
  const choose = (v: string) => {
    if (v === 'default') resetToDefault();
    else if (v === 'constant') applyPresetCommand({ kind: 'constant', value: 0.5 });
    else if (v === 'ramp-steps') applyPresetCommand({ kind: 'ramp', axis: 'steps', from: 1, to: 0.3 });
    else if (v === 'ramp-frames') applyPresetCommand({ kind: 'ramp', axis: 'frames', from: 1, to: 0.3 });
  };
  const unit = (v: number) => v >= 0 && v <= 1;
  return (
    <div className="lh-bar lh-bar--presets" role="toolbar" aria-label="Lambda presets and files">
      <label className="lh-field">
        Preset
        <select
          aria-label="Lambda preset"
          data-testid="lambda-preset"
          value={kind}
          onChange={(e) => choose(e.target.value)}
        >
          {PRESET_OPTIONS.map((o) => (
            <option key={o.v} value={o.v} disabled={o.v === 'custom'}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {p.kind === 'default' && (
        <>
          {(['v1', 'v2', 'v3'] as const).map((k) => (
            <label key={k} className="lh-field lh-field--v">
              {k}
              <NumberField
                value={p[k]}
                label={`Default ${k}`}
                testId={`lambda-${k}`}
                onCommit={(v) => applyPresetCommand({ ...p, [k]: v })}
              />
            </label>
          ))}
        </>
      )}
      {p.kind === 'constant' && (
        <label className="lh-field">
          value
          <NumberField
            value={p.value}
            label="Constant value"
            onCommit={(v) => unit(v) && applyPresetCommand({ kind: 'constant', value: v })}
          />
        </label>
      )}
      {p.kind === 'ramp' && (
        <>
          <label className="lh-field">
            from
            <NumberField
              value={p.from}
              label="Ramp from"
              onCommit={(v) => unit(v) && applyPresetCommand({ ...p, from: v })}
            />
          </label>
          <label className="lh-field">
            to
            <NumberField
              value={p.to}
              label="Ramp to"
              onCommit={(v) => unit(v) && applyPresetCommand({ ...p, to: v })}
            />
          </label>
        </>
      )}
      <button onClick={resetToDefault} title="The reference default: the closed form with the searched (v1, v2, v3)">
        Reset to default
      </button>
      {error && (
        <span className="lh-error" role="alert" data-testid="lambda-preset-error" title={error}>
          {error}
        </span>
      )}
    </div>
  );
}

/** lambda_min, import and export (in the editor's header). */
export function FileControls({ lambda }: { lambda: LambdaDoc }) {
  const [format, setFormat] = useState<LambdaFormat>('json');
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <div className="lh-files" role="toolbar" aria-label="Lambda floor and files">
      <label
        className="lh-field"
        title="Floor: every weight below it is raised to it (hatched on the map). 0 = no floor, as the reference's gradient-free sampler"
      >
        λ min
        <NumberField value={lambda.lambdaMin} label="Lambda min" testId="lambda-min" onCommit={setLambdaMin} />
      </label>
      <button
        onClick={() => fileRef.current?.click()}
        title="Import a table (.npy, .csv or .json); another shape is resampled"
      >
        Import…
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".npy,.csv,.json"
        hidden
        data-testid="lambda-import"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          try {
            const r = importLambdaBytes(file.name, new Uint8Array(await file.arrayBuffer()), lambda);
            setLambdaDoc(r.lambda);
            useUi.getState().toast('success', r.message);
          } catch (err) {
            useUi.getState().toast('error', (err as Error).message);
          }
        }}
      />
      <span className="lh-group">
        <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as LambdaFormat)}>
          {LAMBDA_FORMATS.map((f) => (
            <option key={f} value={f}>
              .{f}
            </option>
          ))}
        </select>
        <button
          data-testid="lambda-export"
          onClick={() => {
            try {
              const { name, blob } = exportLambda(lambda, format);
              downloadBlob(name, blob);
            } catch (err) {
              useUi.getState().toast('error', (err as Error).message);
            }
          }}
        >
          Export
        </button>
      </span>
    </div>
  );
}
