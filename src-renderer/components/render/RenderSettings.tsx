import { isPreviewModel } from '../../../src-main/engine/preview/kind';
import { PREVIEW_MODEL } from '../../../src-main/engine/preview/kind';
import { useEffect, useState } from 'react';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import type { AppInfo } from '../../../src-main/api/contract';
import {
  ExecutionProviderName,
  type Fidelity,
  type OutputFormat,
  type RenderSettings as Settings,
} from '../../../src-main/engine/project/schema';
import { NumberInput, Row, Segmented } from './fields';
import {
  MAX_SEED,
  SIZE_PRESETS,
  crfRange,
  intError,
  presetOf,
  randomSeed,
  sizeError,
  withRender,
  type ModelState,
} from './settings';

/** One undoable edit of the render settings. */
function set(patch: Partial<Settings>): void {
  useProject.getState().update((d) => withRender(d, patch));
}

/**
 * The render settings of the project: model, execution provider, steps and seed, size and fit,
 * output format and quality, and SVD's conditioning (motion bucket, noise augmentation, CFG
 * ramp). Every change is one undo step. Changing the steps reshapes the lambda table (the lambda
 * editor does that when it sees the new step count).
 */
export function RenderSettings({ model, app }: { model: ModelState; app: AppInfo | null }) {
  const r = useProject((s) => s.doc?.render);
  if (!r) return null;
  const crf = crfRange(r.format);
  const preset = presetOf(r.width, r.height);
  return (
    <div className="rsettings" data-testid="render-settings">
      <ModelPicker value={r.model} state={model} />
      <ProviderPicker value={r.executionProvider} app={app} />

      <h4 className="rsettings__group">Sampling</h4>
      {isPreviewModel(r.model) && (
        <p className="rsettings__note rsettings__note--ignored" data-testid="render-preview-ignores">
          A preview runs no model: the steps, the seed, the fidelity, the guidance, the decode chunk and the SVD
          conditioning here, and the λ table, do not change it. They apply when you render with a model.
        </p>
      )}
      <Row
        label="Fidelity"
        hint="Studio: the studio's own warp and guidance (better where they differ). Reference: the NVS-Solver reference code step for step, with 100 steps and its own lambda table (docs/reference-deviations.md lists every difference)."
      >
        <Segmented<Fidelity>
          label="Fidelity"
          testId="render-fidelity"
          value={r.fidelity}
          options={[
            { value: 'studio', label: 'Studio' },
            { value: 'reference', label: 'Reference' },
          ]}
          onChange={(fidelity) => set({ fidelity })}
        />
      </Row>
      {r.fidelity === 'reference' && (
        <p className="rsettings__note" data-testid="render-fidelity-note">
          A model render samples 100 steps with the reference&apos;s lambda table; the steps and table below are kept
          for studio renders.
        </p>
      )}
      <Row label="Steps" hint="Denoising steps: the lambda table has one row per step.">
        <NumberInput
          label="Steps"
          testId="render-steps"
          value={r.steps}
          check={(v) => intError('Steps', v, 1, 1000)}
          onCommit={(steps) => set({ steps })}
        />
      </Row>
      <Row label="Seed" hint="The same seed and settings give the same video.">
        <div className="rfield__pair">
          <NumberInput
            label="Seed"
            testId="render-seed"
            value={r.seed}
            check={(v) => intError('Seed', v, 0, MAX_SEED)}
            onCommit={(seed) => set({ seed })}
          />
          <button
            className="icon"
            title="A random seed"
            aria-label="Random seed"
            data-testid="render-dice"
            onClick={() => set({ seed: randomSeed() })}
          >
            ⚄
          </button>
        </div>
      </Row>

      <h4 className="rsettings__group">Size</h4>
      <Row label="Preset">
        <select
          aria-label="Size preset"
          data-testid="render-size-preset"
          value={preset}
          onChange={(e) => {
            const p = SIZE_PRESETS.find((x) => x.id === e.target.value);
            if (p) set({ width: p.width, height: p.height });
          }}
        >
          {SIZE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom" disabled={preset !== 'custom'}>
            Custom {preset === 'custom' ? `${r.width} × ${r.height}` : ''}
          </option>
        </select>
      </Row>
      <Row
        label="Width × height"
        hint={
          r.model === PREVIEW_MODEL
            ? 'Any even size for a preview (model renders need multiples of 64).'
            : "Multiples of 64 (the model's latent grid is 1/8 of the size, in blocks of 8)."
        }
      >
        <div className="rfield__pair">
          <NumberInput
            label="Width"
            testId="render-width"
            value={r.width}
            check={(v) => sizeError('Width', v, r.model === PREVIEW_MODEL)}
            onCommit={(width) => set({ width })}
          />
          <span className="muted">×</span>
          <NumberInput
            label="Height"
            testId="render-height"
            value={r.height}
            check={(v) => sizeError('Height', v, r.model === PREVIEW_MODEL)}
            onCommit={(height) => set({ height })}
          />
        </div>
      </Row>
      <Row label="Fit" hint="Crop: the photo fills the frame, edges cut. Pad: the whole photo, with borders.">
        <Segmented
          label="Fit"
          testId="render-fit"
          value={r.fit}
          options={[
            { value: 'crop', label: 'Crop' },
            { value: 'pad', label: 'Pad' },
          ]}
          onChange={(fit) => set({ fit })}
        />
      </Row>
      <Row
        label="Warp"
        hint="How the photo is carried into each frame: Mesh, a surface torn only at depth edges (no cracks when the camera moves in); Splat, the NVS-Solver reference's points."
      >
        <Segmented
          label="Warp"
          testId="render-warp"
          value={r.warp}
          options={[
            { value: 'mesh', label: 'Mesh' },
            { value: 'splat', label: 'Splat' },
          ]}
          onChange={(warp) => set({ warp })}
        />
      </Row>

      <h4 className="rsettings__group">Output</h4>
      <Row label="Format">
        <Segmented<OutputFormat>
          label="Format"
          testId="render-format"
          value={r.format}
          options={[
            { value: 'mp4', label: 'MP4', title: 'H.264, yuv420p, faststart' },
            { value: 'webm', label: 'WebM', title: 'VP9' },
            { value: 'gif', label: 'GIF', title: 'Animated GIF with a palette' },
            { value: 'png', label: 'PNG', title: 'A folder of PNG frames' },
          ]}
          onChange={(format) => {
            const range = crfRange(format);
            set(range && r.crf > range.max ? { format, crf: range.max } : { format });
          }}
        />
      </Row>
      <Row
        label="Quality (CRF)"
        hint="Constant rate factor: lower is better quality and a bigger file. 18 is visually lossless for H.264."
      >
        {crf ? (
          <NumberInput
            label="CRF"
            testId="render-crf"
            value={r.crf}
            check={(v) => intError('CRF', v, crf.min, crf.max)}
            onCommit={(v) => set({ crf: v })}
          />
        ) : (
          <span className="muted">Lossless for {r.format.toUpperCase()}</span>
        )}
      </Row>

      <h4 className="rsettings__group">Conditioning</h4>
      <Row label="Guidance" hint="Classifier-free guidance, ramped from min at the first frame to max at the last.">
        <div className="rfield__pair">
          <NumberInput
            label="Guidance min"
            testId="render-guidance-min"
            value={r.guidanceMin}
            check={(v) =>
              v < 0 ? 'Guidance must be ≥ 0.' : v > r.guidanceMax ? `Min must not exceed max (${r.guidanceMax}).` : null
            }
            onCommit={(guidanceMin) => set({ guidanceMin })}
          />
          <span className="muted">to</span>
          <NumberInput
            label="Guidance max"
            testId="render-guidance-max"
            value={r.guidanceMax}
            check={(v) =>
              v < r.guidanceMin
                ? `Max must not be below min (${r.guidanceMin}).`
                : v > 30
                  ? 'Guidance above 30 is not useful.'
                  : null
            }
            onCommit={(guidanceMax) => set({ guidanceMax })}
          />
        </div>
      </Row>
      <Row
        label="Decode chunk"
        hint="Frames the VAE decodes at once, at most: lowered to what the GPU's free memory holds. Fewer use less memory."
      >
        <NumberInput
          label="Decode chunk"
          testId="render-decode-chunk"
          value={r.decodeChunk}
          check={(v) => intError('Decode chunk', v, 1, 1000)}
          onCommit={(decodeChunk) => set({ decodeChunk })}
        />
      </Row>
      <AdvancedConditioning r={r} model={model} />
    </div>
  );
}

/**
 * SVD's conditioning (fps told to the model, motion bucket, noise augmentation) and the CFG memory
 * mode. Each value is the model folder's unless overridden here; the export frame rate is not the
 * conditioning fps (SVD-XT is conditioned on 7 whatever the video plays at).
 */
function AdvancedConditioning({ r, model }: { r: Settings; model: ModelState }) {
  const defaults = (model.status === 'ok' && model.info.conditioning) || {
    fps: 7,
    motionBucketId: 127,
    noiseAugStrength: 0.02,
  };
  const fromModel = model.status === 'ok' ? 'the model folder' : 'SVD-XT';
  const overridden = r.conditioningFps !== null || r.motionBucketId !== null || r.noiseAugStrength !== null;
  return (
    <details className="rsettings__advanced" data-testid="render-advanced" open={overridden || r.cfgMode !== 'auto'}>
      <summary>Advanced: SVD conditioning and memory</summary>
      <Override
        label="Conditioning fps"
        testId="render-cond-fps"
        hint="The frame rate SVD is told (added_time_ids): not the video's frame rate."
        value={r.conditioningFps}
        fallback={defaults.fps}
        source={fromModel}
        check={(v) => intError('Conditioning fps', v, 1, 240)}
        onCommit={(conditioningFps) => set({ conditioningFps })}
      />
      <Override
        label="Motion bucket"
        testId="render-motion"
        hint="SVD's motion_bucket_id (0..255): more motion with higher values."
        value={r.motionBucketId}
        fallback={defaults.motionBucketId}
        source={fromModel}
        check={(v) => intError('Motion bucket', v, 0, 255)}
        onCommit={(motionBucketId) => set({ motionBucketId })}
      />
      <Override
        label="Noise aug"
        testId="render-noise-aug"
        hint="Noise added to the conditioning image (SVD's noise_aug_strength)."
        value={r.noiseAugStrength}
        fallback={defaults.noiseAugStrength}
        source={fromModel}
        check={(v) => (v < 0 || v > 10 ? 'Noise augmentation must be between 0 and 10.' : null)}
        onCommit={(noiseAugStrength) => set({ noiseAugStrength })}
      />
      <Row
        label="Guidance passes"
        hint="Classifier-free guidance as one UNet call with batch 2, or two calls with batch 1 (about half the memory, same result). Auto splits when the GPU's free memory is too small."
      >
        <Segmented
          label="Guidance passes"
          testId="render-cfg-mode"
          value={r.cfgMode}
          options={[
            { value: 'auto', label: 'Auto' },
            { value: 'batch', label: 'One (batch 2)' },
            { value: 'two-pass', label: 'Two (batch 1)' },
          ]}
          onChange={(cfgMode) => set({ cfgMode })}
        />
      </Row>
    </details>
  );
}

/** A number that is the model's value until edited; the reset button goes back to it. */
function Override(props: {
  label: string;
  testId: string;
  hint: string;
  value: number | null;
  fallback: number;
  source: string;
  check: (v: number) => string | null;
  onCommit: (v: number | null) => void;
}) {
  const { value, fallback } = props;
  return (
    <Row label={props.label} hint={props.hint}>
      <div className="rfield__pair">
        <NumberInput
          label={props.label}
          testId={props.testId}
          value={value ?? fallback}
          check={props.check}
          onCommit={(v) => props.onCommit(v)}
        />
        {value === null ? (
          <span className="muted" data-testid={`${props.testId}-source`}>
            from {props.source}
          </span>
        ) : (
          <button
            className="icon"
            title={`Back to ${props.source}'s value (${fallback})`}
            aria-label={`Reset ${props.label}`}
            data-testid={`${props.testId}-reset`}
            onClick={() => props.onCommit(null)}
          >
            ↺
          </button>
        )}
      </div>
    </Row>
  );
}

/** The model: the built-in draft model or a model folder, checked with 'model.info' before it is used. */
function ModelPicker({ value, state }: { value: string; state: ModelState }) {
  const builtIn = value === 'draft' || value === PREVIEW_MODEL;
  const [folderMode, setFolderMode] = useState(!builtIn);
  const [path, setPath] = useState(builtIn ? '' : value);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const isBuiltIn = value === 'draft' || value === PREVIEW_MODEL;
    setFolderMode(!isBuiltIn);
    if (!isBuiltIn) setPath(value);
  }, [value]);

  const applyFolder = async () => {
    const p = path.trim();
    if (!p) return setError('Type the path of a model folder (it holds model.json).');
    setChecking(true);
    try {
      await engine.call('model.info', { model: p });
      setError(null);
      if (p !== value) set({ model: p });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="rmodel" data-testid="render-model">
      <Row label="Model">
        <Segmented
          label="Model"
          testId="render-model-kind"
          value={folderMode ? 'folder' : value === PREVIEW_MODEL ? 'preview' : 'draft'}
          options={[
            { value: 'preview', label: 'Preview (no model)' },
            { value: 'draft', label: 'Draft (built in)' },
            { value: 'folder', label: 'Model folder' },
          ]}
          onChange={(k) => {
            setError(null);
            if (k === 'folder') return setFolderMode(true);
            setFolderMode(false);
            const next = k === 'preview' ? PREVIEW_MODEL : 'draft';
            if (value !== next) set({ model: next });
          }}
        />
      </Row>
      {folderMode && (
        <div className="rmodel__path">
          <input
            type="text"
            aria-label="Model folder"
            placeholder="/path/to/svd-xt (the folder with model.json)"
            data-testid="render-model-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void applyFolder()}
          />
          <button onClick={() => void applyFolder()} disabled={checking} data-testid="render-model-use">
            {checking ? 'Checking…' : 'Use'}
          </button>
          {error && (
            <p className="rfield__error" role="alert" data-testid="render-model-error">
              {error}
            </p>
          )}
        </div>
      )}
      <ModelCard state={state} />
    </div>
  );
}

function ModelCard({ state }: { state: ModelState }) {
  if (state.status === 'loading') return <p className="rmodel__card muted">Checking the model…</p>;
  if (state.status === 'error')
    return (
      <p className="rmodel__card rmodel__card--error" data-testid="render-model-card">
        {state.message}
      </p>
    );
  const { info } = state;
  return (
    <div className={`rmodel__card${info.isDraft ? ' rmodel__card--draft' : ''}`} data-testid="render-model-card">
      <div className="rmodel__name">
        {info.isDraft && <span className="badge badge--draft">DRAFT</span>}
        {info.isPreview && <span className="badge badge--preview">PREVIEW</span>}
        <span>{info.name}</span>
      </div>
      <div className="muted">
        {info.isPreview
          ? 'warp + push-pull fill · any even size · any frame count'
          : `${info.family.toUpperCase()} · ${info.dtype} · native ${info.size.width} × ${info.size.height} · frames ${info.frameCounts === 'any' ? 'any count' : info.frameCounts.join(' or ')}`}
      </div>
      {info.isPreview && (
        <p className="rmodel__note" data-testid="render-preview-card-note">
          A preview needs no model: each frame is the photo warped into that frame's camera, with the holes the move
          opens filled from the background. It shows the camera move in seconds, at any even size. Use an SVD model
          folder for the final render.
        </p>
      )}
      {info.isDraft && (
        <p className="rmodel__note">
          The draft model is a tiny stand-in built into the app: it runs the whole pipeline in seconds on any machine,
          but its video is a rough placeholder, not Stable Video Diffusion. Use it to check a track; render finals with
          an SVD model folder.
        </p>
      )}
    </div>
  );
}

function ProviderPicker({ value, app }: { value: Settings['executionProvider']; app: AppInfo | null }) {
  const available = app?.providers.available ?? [];
  return (
    <>
      <Row
        label="Runs on"
        hint="The ONNX Runtime execution provider. Auto picks the best one found and falls back to the CPU."
      >
        <select
          aria-label="Execution provider"
          data-testid="render-provider"
          value={value}
          onChange={(e) => set({ executionProvider: e.target.value as Settings['executionProvider'] })}
        >
          {ExecutionProviderName.options.map((p) => {
            const usable = p === 'auto' || available.includes(p);
            return (
              <option key={p} value={p} disabled={!usable && p !== value}>
                {p === 'auto'
                  ? `Auto${app ? ` (${app.providers.chosen})` : ''}`
                  : `${p.toUpperCase()}${usable ? '' : ' — not available here'}`}
              </option>
            );
          })}
        </select>
      </Row>
      {app && (
        <p
          className={`rsettings__note${value !== 'auto' && !available.includes(value) ? ' rsettings__note--warn' : ''}`}
          data-testid="render-provider-note"
        >
          {value === 'auto'
            ? `Auto runs on ${app.providers.chosen.toUpperCase()}${app.providers.reason ? `: ${app.providers.reason}` : ', and falls back to the CPU if it cannot start.'}`
            : available.includes(value)
              ? `Available here: ${available.join(', ')}.`
              : `${value.toUpperCase()} is not available on this machine, so the render will fail to start. Available: ${available.join(', ') || 'none'}.`}
        </p>
      )}
    </>
  );
}
