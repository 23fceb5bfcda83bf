import { KindBadge } from './KindBadge';
import { compareRenders } from '../../../src-main/engine/render/fingerprint';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { ICON } from '../ui/icons';
import { engine } from '../../api/client';
import { useProject } from '../../state/projectStore';
import type { JobView } from '../../../src-main/api/contract';
import { useAssetUrl } from '../../hooks/useAssetUrl';
import { baseName, jobSettings } from './queue';
import { Modal } from '../ui/Modal';

/** A modal for render results (wider than the shell's dialogs: videos and JSON). */
export function ResultModal({
  title,
  onClose,
  wide,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  wide?: boolean;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Modal title={title} onClose={onClose} className={`rmodal${wide ? ' rmodal--wide' : ''}`} testId={testId}>
      {children}
    </Modal>
  );
}

/** Whether an output can be shown in a <video> (mp4, webm), an <img> (gif), or is a folder of PNGs. */
export function outputKind(file: string | undefined): 'video' | 'image' | 'folder' | null {
  if (!file) return null;
  if (/\.(mp4|webm|mov)$/i.test(file)) return 'video';
  if (/\.gif$/i.test(file)) return 'image';
  return 'folder';
}

/** The rendered result, playable, with a download link. */
export function PlayModal({ job, onClose }: { job: JobView; onClose: () => void }) {
  const kind = outputKind(job.output);
  const url = useAssetUrl(kind === 'folder' ? job.thumbnail : job.output);
  return (
    <ResultModal title={job.label} onClose={onClose} wide testId="play-modal">
      <div className="rplay">
        {!url ? (
          <p className="muted">Loading…</p>
        ) : kind === 'video' ? (
          <video src={url} controls autoPlay loop playsInline data-testid="play-video" />
        ) : (
          <img src={url} alt={job.label} />
        )}
      </div>
      <p className="muted">
        {kind === 'folder' ? `PNG frames in ${job.output} (the middle frame is shown).` : job.output} ·{' '}
        {jobSettings(job)}
      </p>
      <div className="modal__actions">
        {url && kind !== 'folder' && job.output && (
          <a className="button" href={url} download={baseName(job.output)}>
            Download
          </a>
        )}
        <button onClick={onClose}>Close</button>
      </div>
    </ResultModal>
  );
}

/** The sidecar JSON beside a render: everything needed to reproduce it. */
export function SidecarModal({ job, onClose }: { job: JobView; onClose: () => void }) {
  const project = useProject((s) => s.dir);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!project || !job.sidecar) return;
    let live = true;
    engine.call('asset.read', { project, file: job.sidecar }).then(
      (r) => {
        if (!live) return;
        const raw = new TextDecoder().decode(r.bytes);
        try {
          setText(JSON.stringify(JSON.parse(raw), null, 2));
        } catch {
          setText(raw);
        }
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [project, job.sidecar]);
  return (
    <ResultModal
      title={`Sidecar · ${job.sidecar ? baseName(job.sidecar) : job.label}`}
      onClose={onClose}
      wide
      testId="sidecar-modal"
    >
      {error ? (
        <p className="error">{error}</p>
      ) : (
        <pre className="rsidecar" data-testid="sidecar-json">
          {text ?? 'Loading…'}
        </pre>
      )}
      <div className="modal__actions">
        {text && (
          <button onClick={() => void navigator.clipboard?.writeText(text)} title="Copy the JSON">
            Copy
          </button>
        )}
        <button onClick={onClose}>Close</button>
      </div>
    </ResultModal>
  );
}

/**
 * Two renders side by side on one clock: the left video drives, the right one follows. Seeks and
 * frame steps pause both and set both; while playing, the right one is re-seeked when it drifts by
 * more than a frame. One play button and one scrubber for both.
 */
export function CompareModal({ a, b, fps, onClose }: { a: JobView; b: JobView; fps: number; onClose: () => void }) {
  const left = useRef<HTMLVideoElement>(null);
  const right = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const urlA = useAssetUrl(outputKind(a.output) === 'folder' ? a.thumbnail : a.output);
  const urlB = useAssetUrl(outputKind(b.output) === 'folder' ? b.thumbnail : b.output);
  const frame = 1 / Math.max(1, fps);

  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const l = left.current;
      const r = right.current;
      if (l) {
        if (r && !l.paused && !r.seeking && Math.abs(r.currentTime - l.currentTime) > frame)
          r.currentTime = l.currentTime;
        setTime(l.currentTime);
        if (Number.isFinite(l.duration)) setDuration(l.duration);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [frame]);

  const videos = () => [left.current, right.current].filter((v): v is HTMLVideoElement => !!v);
  const pause = () => {
    for (const v of videos()) v.pause();
    setPlaying(false);
  };
  const play = () => {
    const l = left.current;
    if (right.current && l) right.current.currentTime = l.currentTime;
    for (const v of videos()) void v.play().catch(() => undefined);
    setPlaying(true);
  };
  const seek = (t: number) => {
    pause();
    for (const v of videos()) v.currentTime = t;
    setTime(t);
  };
  const step = (dir: -1 | 1) => seek(Math.max(0, Math.min(duration, time + dir * frame)));

  const side = (job: JobView, url: string | null, ref: React.RefObject<HTMLVideoElement | null>) => (
    <figure className="rcompare__side">
      {!url ? (
        <div className="rcompare__empty muted">Loading…</div>
      ) : outputKind(job.output) === 'video' ? (
        <video ref={ref} src={url} muted loop playsInline preload="auto" data-testid="compare-video" />
      ) : (
        <img src={url} alt={job.label} />
      )}
      <figcaption>
        <KindBadge job={job} />
        <strong>{job.label}</strong>
        <span className="muted">{jobSettings(job)}</span>
      </figcaption>
    </figure>
  );

  return (
    <ResultModal title="Compare renders" onClose={onClose} wide testId="compare-modal">
      <div className="rcompare">
        {side(a, urlA, left)}
        {side(b, urlB, right)}
      </div>
      <CompareDifferences a={a} b={b} />
      <div className="rcompare__controls">
        <button onClick={() => step(-1)} aria-label="Previous frame" title="Previous frame">
          <ChevronLeft {...ICON} />
        </button>
        <button className="primary" onClick={playing ? pause : play} data-testid="compare-play">
          {playing ? 'Pause' : 'Play'}
        </button>
        <button onClick={() => step(1)} aria-label="Next frame" title="Next frame">
          <ChevronRight {...ICON} />
        </button>
        <input
          type="range"
          aria-label="Time"
          min={0}
          max={duration || 1}
          step={0.001}
          value={Math.min(time, duration || 1)}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span className="muted rcompare__time">
          {time.toFixed(2)} / {duration.toFixed(2)} s
        </span>
      </div>
    </ResultModal>
  );
}

/**
 * What sets the two renders apart, beyond what their captions show: λ table, track, size, model…
 * Between two previews, what a preview does not read (seed, steps, guidance, λ table) is listed
 * apart as having had no effect, so a difference there is not mistaken for the cause of another.
 */
function CompareDifferences({ a, b }: { a: JobView; b: JobView }) {
  if (!a.fingerprint || !b.fingerprint) return null;
  const { changes, noEffect } = compareRenders(a.fingerprint, b.fingerprint, {
    aPreview: !!a.preview,
    bPreview: !!b.preview,
  });
  return (
    <div className="rcompare__diff" data-testid="compare-differences">
      {changes.length === 0 ? (
        <span className="muted" data-testid="compare-same">
          {noEffect.length === 0
            ? 'Same settings: these renders should be identical.'
            : 'Same picture: these previews differ only in settings a preview does not use.'}
        </span>
      ) : (
        <>
          <strong>Differs (left → right):</strong>
          <ul>
            {changes.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </>
      )}
      {noEffect.length > 0 && (
        <div className="rcompare__noeffect" data-testid="compare-no-effect">
          <strong>No effect on a preview</strong> <span className="muted">(it runs no model):</span>
          <ul>
            {noEffect.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
