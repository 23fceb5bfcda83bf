import { useEffect, useMemo, useRef, useState } from 'react';
import { engine } from '../../api/client';
import { run } from '../../actions';
import { useProject, projectDirOrThrow } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import type { JobView } from '../../../src-main/api/contract';
import { isStillCamera } from '../../../src-main/engine/camera/keyframes';
import { RenderSettings } from './RenderSettings';
import { JobItem, type JobAction } from './JobItem';
import { CompareModal, PlayModal, SidecarModal } from './ResultModals';
import { useQueue } from './queueStore';
import { dropTarget, moveTarget, progressText, splitQueue } from './queue';
import { ExportRenderModal } from './ExportRender';
import { isPreviewModel } from '../../../src-main/engine/preview/kind';
import { renderBlockers, variantSeeds } from './settings';
import { useAppInfo, useModelInfo } from './useEngineInfo';
import { FarmSettings, TargetPicker, useFarm } from './FarmSettings';
import { useScene } from '../viewport/sceneStore';
import './render.css';

const VARIANT_COUNTS = [1, 2, 3, 4, 6, 8];

/** Subscribes the queue to the engine's job events; returns the unsubscribe. */
function listenToJobs(): () => void {
  const offUpdate = engine.on('job.update', (job) => useQueue.getState().applyUpdate(job));
  const offPreview = engine.on('job.preview', (p) => useQueue.getState().applyPreview(p));
  const offExport = engine.on('export.progress', (p) => useQueue.getState().applyExportProgress(p));
  return () => {
    offUpdate();
    offPreview();
    offExport();
  };
}

/** Loads the project's queue and history from the engine (on open, and after an engine restart). */
async function loadQueue(project: string): Promise<void> {
  try {
    useQueue.getState().setProject(project);
    // Farm jobs this project sent show in the same list (an unreachable farm leaves the local queue shown).
    const [local, farm] = await Promise.all([
      engine.call('render.queue', { project }),
      engine.call('farm.jobs', { project }).catch(() => []),
    ]);
    useQueue.getState().setJobs([...local, ...farm]);
    // What opening queue.json found (an unreadable file kept aside): shown until dismissed.
    const { notices } = await engine.call('render.notices', { project });
    if (useQueue.getState().project === project) useQueue.getState().setNotices(notices);
  } catch (e) {
    useQueue.getState().setLoadError((e as Error).message);
  }
}

/** Hides the queue notices here and in the engine (so a reload does not show them again). */
function dismissNotices(project: string): void {
  useQueue.getState().setNotices([]);
  void run('Dismissing', async () => void (await engine.call('render.notices', { project, dismiss: true })));
}

/** Moves a job in the engine's queue, showing the move at once. */
function reorder(jobId: string, toIndex: number): void {
  useQueue.getState().moveLocal(jobId, toIndex);
  void run('Reordering', async () =>
    useQueue
      .getState()
      .applyOrder(await engine.call('render.reorder', { project: projectDirOrThrow(), jobId, toIndex })),
  );
}

/**
 * The render panel: the Render button (one job, or several seeds as variants), the queue with
 * live progress and previews, the history of finished renders (play, sidecar, download,
 * compare two side by side), and the render settings in their own tab.
 */
export function RenderPanel() {
  const doc = useProject((s) => s.doc);
  const dir = useProject((s) => s.dir);
  const jobs = useQueue((s) => s.jobs);
  const compare = useQueue((s) => s.compare);
  const loadError = useQueue((s) => s.loadError);
  const notices = useQueue((s) => s.notices);
  const model = useModelInfo(doc?.render.model);
  const app = useAppInfo();
  const [tab, setTab] = useState<'queue' | 'settings'>('queue');
  const [variants, setVariants] = useState(1);
  const [action, setAction] = useState<JobAction | { kind: 'compare' } | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const topRef = useRef<HTMLDivElement>(null);

  useEffect(() => listenToJobs(), []);
  useEffect(() => {
    if (!dir) return;
    void loadQueue(dir);
    return engine.on('engine.restarted', () => void loadQueue(dir));
  }, [dir]);

  const depthError = useScene((s) => s.error);
  const depthErrorCode = useScene((s) => s.errorCode);
  const blockers = useMemo(
    () => renderBlockers(doc, model, depthError ? { code: depthErrorCode, message: depthError } : null),
    [doc, model, depthError, depthErrorCode],
  );
  const { active, history } = useMemo(() => splitQueue(jobs), [jobs]);
  const localJobs = useMemo(() => jobs.filter((j) => j.where !== 'farm'), [jobs]);
  const compared = compare
    .map((id) => jobs.find((j) => j.id === id))
    .filter((j): j is JobView => !!j && j.status === 'done');
  const fps = doc?.track.fps ?? 7;
  // A preview runs no model: every seed gives the same frames, so it is never queued once per seed.
  const preview = !!doc && isPreviewModel(doc.render.model);
  const count = preview ? 1 : variants;
  const seeds = doc ? variantSeeds(doc.render.seed, count) : [];
  const running = active.find((j) => j.status === 'running');
  const runningHidden = useOutOfView(panelRef, topRef, running?.id ?? null, tab);

  const enqueue = () =>
    void run(count > 1 ? `Queueing ${count} renders` : 'Queueing render', async () => {
      const current = useProject.getState().doc;
      if (!current) return;
      const project = projectDirOrThrow();
      const method = useFarm.getState().target === 'farm' ? 'farm.submit' : 'render.enqueue';
      const asPreview = isPreviewModel(current.render.model);
      // Sent together: the engine queues them in this order before the first one starts rendering.
      const calls = variantSeeds(current.render.seed, asPreview ? 1 : variants).map((seed) =>
        engine.call(method, {
          project,
          doc: current,
          label: asPreview ? `${current.name} · preview` : `${current.name} · seed ${seed}`,
          overrides: { render: { seed } },
        }),
      );
      for (const job of await Promise.all(calls)) useQueue.getState().addAnswer(job);
      setTab('queue');
      if (calls.length > 1)
        useUi
          .getState()
          .toast('success', `Queued ${calls.length} renders with seeds ${seeds[0]}–${seeds[seeds.length - 1]}.`);
    });

  const item = (job: JobView, list: JobView[], i: number) => (
    <JobItem
      key={job.id}
      job={job}
      fps={fps}
      onAction={setAction}
      onMove={
        list === active
          ? {
              up: i > 0 ? () => move(job.id, list, -1) : undefined,
              down: i < list.length - 1 ? () => move(job.id, list, 1) : undefined,
            }
          : undefined
      }
      onDrop={
        job.where === 'farm'
          ? undefined
          : (dragged) => {
              const to = dropTarget(localJobs, dragged, job.id);
              if (to !== null) reorder(dragged, to);
            }
      }
    />
  );
  const move = (id: string, list: JobView[], dir: -1 | 1) => {
    // The engine's order covers this machine's jobs only: farm jobs are left out of the index.
    const to = moveTarget(
      localJobs,
      list.filter((j) => j.where !== 'farm'),
      id,
      dir,
    );
    if (to !== null) reorder(id, to);
  };

  return (
    <section className="panel render" id="render-panel" aria-label="Render" data-testid="render-panel" ref={panelRef}>
      <div className="render__top" ref={topRef}>
        <header className="panel__header render__header">
          <h3>Render</h3>
          <div className="tabs" role="tablist">
            <button
              role="tab"
              aria-selected={tab === 'queue'}
              className={tab === 'queue' ? 'is-on' : undefined}
              onClick={() => setTab('queue')}
              data-testid="render-tab-queue"
            >
              Queue{active.length ? ` (${active.length})` : ''}
            </button>
            <button
              role="tab"
              aria-selected={tab === 'settings'}
              className={tab === 'settings' ? 'is-on' : undefined}
              onClick={() => setTab('settings')}
              data-testid="render-tab-settings"
            >
              Settings
            </button>
          </div>
          <label
            className="render__variants"
            title={
              preview
                ? 'A preview ignores the seed: every seed gives the same frames, so one is queued'
                : 'Queue variants: one render per seed, from the current seed up'
            }
          >
            <span>Seeds</span>
            <select
              aria-label="Number of seeds to queue"
              value={count}
              disabled={preview}
              onChange={(e) => setVariants(Number(e.target.value))}
              data-testid="render-variants"
            >
              {VARIANT_COUNTS.map((n) => (
                <option key={n} value={n}>
                  ×{n}
                </option>
              ))}
            </select>
          </label>
          <TargetPicker />
          <button
            className="primary"
            disabled={blockers.length > 0}
            title={
              blockers.join('\n') ||
              (preview
                ? 'Queue a preview (no model: the seed and the λ table do not change it)'
                : variants > 1
                  ? `Queue ${variants} renders, seeds ${seeds[0]}–${seeds[seeds.length - 1]}`
                  : `Queue a render with seed ${seeds[0]}`)
            }
            onClick={enqueue}
            data-testid="render-button"
          >
            {model.status === 'ok' && model.info.isPreview
              ? 'Render preview'
              : variants > 1
                ? `Render ×${variants}`
                : 'Render'}
          </button>
        </header>
        {doc && blockers.length > 0 && (
          <ul className="render__blockers" data-testid="render-blockers">
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        )}
        {doc && blockers.length === 0 && isStillCamera(doc) && (
          <p className="render__still" data-testid="render-still-camera">
            The camera does not move yet: every frame is the photo. Add a key on the timeline, or pick a move in
            Inspector › Track presets.
          </p>
        )}
        {dir && notices.length > 0 && (
          <div className="render__notice" role="alert" data-testid="queue-notice">
            <ul>
              {notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
            <button onClick={() => dismissNotices(dir)} data-testid="queue-notice-dismiss">
              Dismiss
            </button>
          </div>
        )}
        {model.status === 'ok' && model.info.isPreview && tab === 'queue' && (
          <p className="render__draft" data-testid="render-preview-note">
            <span className="badge badge--preview">PREVIEW</span> Renders are previews: the photo warped into each
            frame, holes filled. No model runs, so it is quick and shows the camera move, and the seed, the steps and
            the λ table change nothing; an SVD model renders the final.{' '}
            <button className="link" onClick={() => setTab('settings')}>
              Choose a model
            </button>
          </p>
        )}
        {model.status === 'ok' && model.info.isDraft && tab === 'queue' && (
          <p className="render__draft" data-testid="render-draft-note">
            <span className="badge badge--draft">DRAFT</span> Rendering with the built-in draft model: a fast
            placeholder, not SVD.{' '}
            <button className="link" onClick={() => setTab('settings')}>
              Choose a model
            </button>
          </p>
        )}
        {running && runningHidden && (
          <button
            className="render__now"
            data-testid="render-now"
            title="Show the running render"
            onClick={() => {
              setTab('queue');
              requestAnimationFrame(() =>
                panelRef.current
                  ?.querySelector(`[data-job-id="${CSS.escape(running.id)}"]`)
                  ?.scrollIntoView({ block: 'nearest' }),
              );
            }}
          >
            <span className="status status-running">Rendering</span>
            <span className="render__nowlabel">{running.label}</span>
            <span className="render__nowbar" aria-hidden>
              <span style={{ width: `${Math.round(running.progress * 100)}%` }} />
            </span>
            <span className="muted">{progressText(running)}</span>
          </button>
        )}
      </div>

      {tab === 'settings' ? (
        <>
          <RenderSettings model={model} app={app} />
          <FarmSettings />
        </>
      ) : (
        <div className="render__queue">
          {loadError && <p className="error render__msg">The queue could not be read: {loadError}</p>}
          {jobs.length === 0 && !loadError && (
            <p className="muted render__msg">No renders yet. With a photo, its depth and a track, press Render.</p>
          )}
          {active.length > 0 && (
            <ol className="jobs" aria-label="Queue" data-testid="queue-list">
              {active.map((j, i) => item(j, active, i))}
            </ol>
          )}
          {history.length > 0 && (
            <>
              <div className="render__subhead">
                <h4>History</h4>
                <span className="muted">
                  {compared.length === 2
                    ? 'Two chosen'
                    : compared.length === 1
                      ? 'Choose one more to compare'
                      : 'Tick two to compare'}
                </span>
                <button
                  disabled={compared.length !== 2}
                  onClick={() => setAction({ kind: 'compare' })}
                  data-testid="compare-button"
                >
                  Compare
                </button>
              </div>
              <ol className="jobs jobs--history" aria-label="History" data-testid="history-list">
                {history.map((j, i) => item(j, history, i))}
              </ol>
            </>
          )}
        </div>
      )}

      {action?.kind === 'play' && <PlayModal job={action.job} onClose={() => setAction(null)} />}
      {action?.kind === 'sidecar' && <SidecarModal job={action.job} onClose={() => setAction(null)} />}
      {action?.kind === 'export' && (
        <ExportRenderModal
          job={jobs.find((j) => j.id === action.job.id) ?? action.job}
          onClose={() => setAction(null)}
        />
      )}
      {action?.kind === 'compare' && compared.length === 2 && (
        <CompareModal a={compared[0]} b={compared[1]} fps={fps} onClose={() => setAction(null)} />
      )}
    </section>
  );
}

/**
 * Whether the running job's card is out of sight: scrolled away under the panel's sticky header,
 * or the settings tab is showing. The header then shows a line for it, so a render in progress is
 * always visible without scrolling.
 */
function useOutOfView(
  panel: React.RefObject<HTMLElement | null>,
  top: React.RefObject<HTMLElement | null>,
  jobId: string | null,
  tab: string,
): boolean {
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    setHidden(!!jobId && tab !== 'queue');
    if (!jobId || tab !== 'queue' || typeof IntersectionObserver === 'undefined') return;
    const card = panel.current?.querySelector(`[data-job-id="${CSS.escape(jobId)}"]`);
    if (!card) return;
    const header = top.current?.offsetHeight ?? 0;
    const io = new IntersectionObserver(([e]) => setHidden(!e.isIntersecting), {
      root: panel.current,
      rootMargin: `-${header}px 0px 0px 0px`,
      threshold: 0.5,
    });
    io.observe(card);
    return () => io.disconnect();
  }, [panel, top, jobId, tab]);
  return hidden;
}
