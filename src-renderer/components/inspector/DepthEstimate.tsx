import { useEffect, useState } from 'react';
import { engine, isElectron } from '../../api/client';
import { pickFile, run as runBusy } from '../../actions';
import { useProject, projectDirOrThrow } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { useModels } from '../../state/modelsStatus';
import { applyDepth } from '../../state/depthChange';

const BROWSER_MAX_BYTES = 90 * 1048576;

type Run = { stage: 'start' | 'load' | 'estimate' | 'done'; fraction: number; cancelling?: boolean };

const STAGE: Record<Run['stage'], string> = {
  start: 'Reading the photo…',
  load: 'Loading the depth model…',
  estimate: 'Estimating depth…',
  done: 'Storing the depth…',
};

/**
 * "Estimate depth": Depth Anything V2 in the engine host, with progress and cancel. The result is
 * relative disparity with the CLI's default mapping (median at 4 units); it becomes the project's
 * depth in one undo step and the mapping fields below adjust it. Without a depth model installed,
 * it says how to get one.
 */
export function DepthEstimate() {
  const hasImage = useProject((s) => !!s.doc?.image);
  const dir = useProject((s) => s.dir);
  const { status, refresh } = useModels();
  const [run, setRun] = useState<Run | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const missing = status ? status.depthHint !== null : false;

  useEffect(
    () =>
      engine.on('depth.progress', (p) => {
        if (p.project === useProject.getState().dir)
          setRun((r) => (r ? { ...r, stage: p.stage, fraction: p.fraction } : r));
      }),
    [],
  );
  useEffect(() => {
    setRun(null);
    setLast(null);
  }, [dir]);

  const estimate = async () => {
    const { doc } = useProject.getState();
    if (!doc) return;
    const project = projectDirOrThrow();
    setRun({ stage: 'start', fraction: 0 });
    setLast(null);
    const ui = useUi.getState();
    try {
      const r = await engine.call('depth.estimate', { project, doc });
      if (useProject.getState().dir !== project) return;
      // The estimate's scale (median at 4 units) may not be the scene's so far: the track follows it.
      await applyDepth(r.depth);
      const secs = (r.timings.totalMs / 1000).toFixed(1);
      const s1 = (ms: number) => (ms / 1000).toFixed(1);
      setLast(
        `Estimated ${r.report.width} × ${r.report.height} in ${secs} s (${r.provider.toUpperCase()}; model load ${s1(r.timings.loadMs)} s, run ${s1(r.timings.estimateMs)} s).`,
      );
      ui.toast(
        'success',
        `Depth estimated in ${secs} s: ${r.report.width}x${r.report.height}, z ${r.report.min.toPrecision(3)}..${r.report.max.toPrecision(3)}. Adjust scale, near and far below.`,
      );
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'cancelled') ui.toast('info', 'Depth estimation cancelled; the depth is unchanged.');
      else {
        ui.toast('error', err.message);
        if (err.code === 'not-found') void refresh();
      }
    } finally {
      setRun(null);
    }
  };

  /** A model.onnx the artist has: checked and installed by the engine (the browser bridge carries at most about 90 MB). */
  const chooseModel = async () => {
    const f = await pickFile('.onnx');
    if (!f) return;
    if (!isElectron && f.size > BROWSER_MAX_BYTES)
      return useUi
        .getState()
        .toast(
          'error',
          `${f.name} is ${(f.size / 1048576).toFixed(0)} MB, more than the browser connection carries (${BROWSER_MAX_BYTES / 1048576} MB). Install it from a terminal: npx camtrack depth install "${f.name}"`,
        );
    await runBusy(`Installing ${f.name}`, async () => {
      const r = await engine.call('depth.installModel', { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      await refresh();
      useUi.getState().toast('success', `Depth model installed: ${r.file}`);
    });
  };

  const cancel = () => {
    setRun((r) => (r ? { ...r, cancelling: true } : r));
    void engine.call('depth.cancel', { project: projectDirOrThrow() });
  };

  return (
    <div className="depth-estimate" data-testid="depth-estimate">
      <div className="insp-actions">
        <button
          data-testid="estimate-depth"
          disabled={!hasImage || !!run || missing}
          title={
            !hasImage
              ? 'Import a photo first'
              : missing
                ? 'No depth model is installed (see below)'
                : 'Estimate depth from the photo with Depth Anything V2'
          }
          onClick={() => void estimate()}
        >
          Estimate depth
        </button>
        {run ? (
          <>
            <div
              className="bar"
              role="progressbar"
              aria-label="Depth estimation"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(run.fraction * 100)}
              data-testid="estimate-progress"
            >
              <div className="bar__fill" style={{ width: `${Math.max(4, Math.round(run.fraction * 100))}%` }} />
            </div>
            <button onClick={cancel} disabled={run.cancelling} data-testid="estimate-cancel">
              {run.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </>
        ) : (
          status &&
          !missing && (
            <span className="muted">
              {status.depth.filter((d) => d.installed).map((d) => `Depth Anything V2 ${d.size}`)[0]}
            </span>
          )
        )}
      </div>
      {run && (
        <p className="muted insp-hint" data-testid="estimate-stage">
          {run.cancelling ? 'Cancelling…' : STAGE[run.stage]}
        </p>
      )}
      {last && !run && (
        <p className="muted insp-hint" data-testid="estimate-done">
          {last}
        </p>
      )}
      {missing && status && (
        <div className="insp-hint depth-missing" data-testid="depth-model-missing">
          <p>
            No depth model is installed. To estimate depth, download Depth Anything V2 Small (about 100 MB) into{' '}
            {status.dir}:
          </p>
          <code>npx camtrack depth download --size small</code>
          <p>or install a model.onnx you already have:</p>
          <code>npx camtrack depth install path/to/model.onnx</code>
          <p>
            <button onClick={() => void chooseModel()} data-testid="depth-model-choose">
              Choose model.onnx…
            </button>
          </p>
          <p>
            Then{' '}
            <button className="link" onClick={() => void refresh()} data-testid="depth-model-recheck">
              check again
            </button>
            . Or import a depth file made elsewhere.
          </p>
        </div>
      )}
    </div>
  );
}
