import { useEffect, useRef, useState } from 'react';
import { Diamond, Pause, Play, SkipBack, SkipForward, TriangleAlert } from 'lucide-react';
import { ICON } from '../ui/icons';
import type { ModelInfo } from '../../../src-main/api/contract';
import type { Easing, Track } from '../../../src-main/engine/project/schema';
import { engine } from '../../api/client';
import { beginGesture, endGesture, useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { renderIntrinsics } from '../../../src-main/engine/camera/intrinsics';
import { NumberField } from '../ui/NumberField';
import { frameCountView } from './frameCount';
import {
  copyKeys,
  deleteKeys,
  insertKeyAt,
  moveKey,
  pasteKeys,
  setNumFrames,
  updateKey,
  type KeyClipboard,
} from '../../../src-main/engine/camera/edit';
import { CamtrackError } from '../../../src-main/engine/util/errors';
import { frameAtX, xOfFrame } from './ruler';
import { VideoStrip } from '../video/VideoStrip';
import './timeline.css';

export const EASINGS: readonly Easing[] = ['linear', 'easeIn', 'easeOut', 'easeInOut'];

/** Copied keys live outside the document (not undone, not saved). */
let clipboard: KeyClipboard | null = null;

/** Applies a track edit as one undo step; a refusal becomes a toast with the engine's message. */
export function editTrack(fn: (t: Track) => Track): boolean {
  const doc = useProject.getState().doc;
  if (!doc) return false;
  try {
    const track = fn(doc.track);
    if (track !== doc.track) useProject.getState().update((d) => ({ ...d, track }));
    return true;
  } catch (e) {
    useUi.getState().toast('error', (e as Error).message);
    return false;
  }
}

function setFps(t: Track, fps: number): Track {
  if (!(fps > 0 && fps <= 240))
    throw new CamtrackError('bad-input', `fps must be more than 0 and at most 240 (got ${fps}).`);
  return { ...t, fps };
}

export function insertKeyAtCurrentFrame(): void {
  const { doc } = useProject.getState();
  if (!doc) return;
  const source = renderIntrinsics(doc).intrinsics;
  const frame = useUi.getState().frame;
  const existing = doc.track.keyframes.find((k) => k.frame === frame);
  if (existing) {
    useUi.getState().set({ selectedKeyId: existing.id });
    return;
  }
  if (editTrack((t) => insertKeyAt(t, source, frame))) {
    const added = useProject.getState().doc?.track.keyframes.find((k) => k.frame === frame);
    useUi.getState().set({ selectedKeyId: added?.id ?? null });
  }
}

export function deleteSelectedKey(): void {
  const id = useUi.getState().selectedKeyId;
  if (!id) return;
  if (editTrack((t) => deleteKeys(t, [id]))) useUi.getState().set({ selectedKeyId: null });
}

/** The chosen model's manifest facts (for frame-count badges and the flag); null until the engine answers or when it cannot read the model. */
function useModelInfo(): ModelInfo | null {
  const [model, setModel] = useState<ModelInfo | null>(null);
  const modelName = useProject((s) => s.doc?.render.model);
  useEffect(() => {
    if (!modelName) return;
    let live = true;
    engine.call('model.info', { model: modelName }).then(
      (m) => live && setModel(m),
      () => live && setModel(null),
    );
    return () => {
      live = false;
    };
  }, [modelName]);
  return model;
}

export function Timeline() {
  const track = useProject((s) => s.doc?.track);
  const render = useProject((s) => s.doc?.render);
  const frame = useUi((s) => s.frame);
  const playing = useUi((s) => s.playing);
  const selected = useUi((s) => s.selectedKeyId);
  const model = useModelInfo();
  usePlayback();
  useKeyShortcuts();
  if (!track) return null;
  const check = frameCountView(track.numFrames, model, render ?? {});
  const last = track.numFrames - 1;
  const selectedKey = track.keyframes.find((k) => k.id === selected) ?? null;

  return (
    <section className="panel timeline" aria-label="Timeline" data-testid="timeline">
      <header className="panel__header timeline__header">
        <h3>Timeline</h3>
        <label className="tl-field">
          Frames
          <NumberField
            value={track.numFrames}
            integer
            label="Frame count"
            testId="frame-count"
            onCommit={(n) => editTrack((t) => setNumFrames(t, n, 'rescale'))}
          />
        </label>
        {check.native.map((n) => (
          <button
            key={n}
            className={`badge${n === track.numFrames ? ' badge--on' : ''}`}
            title={`${n === 14 ? 'SVD' : 'SVD-XT'} renders ${n} frames natively`}
            onClick={() => editTrack((t) => setNumFrames(t, n, 'rescale'))}
          >
            {n}
          </button>
        ))}
        <label className="tl-field">
          fps
          <NumberField
            value={track.fps}
            label="Frames per second"
            testId="fps"
            onCommit={(v) => editTrack((t) => setFps(t, v))}
          />
        </label>
        {check.windows && (
          <span className="tl-note muted" data-testid="frame-count-windows" title={check.windows}>
            {check.windows}
          </span>
        )}
        {check.problem && (
          <span className="tl-flag" role="alert" data-testid="frame-count-flag" title={check.problem}>
            <TriangleAlert {...ICON} /> {check.problem}
          </span>
        )}
        <span className="tl-readout" data-testid="frame-readout">
          {frame} / {last}
        </span>
      </header>
      <div className="timeline__controls">
        <button onClick={() => useUi.getState().set({ frame: 0 })} title="First frame (Home)" aria-label="First frame">
          <SkipBack {...ICON} />
        </button>
        <button
          onClick={() => useUi.getState().set({ playing: !playing })}
          title="Play / pause (Space)"
          aria-label={playing ? 'Pause' : 'Play'}
          data-testid="play"
        >
          {playing ? <Pause {...ICON} /> : <Play {...ICON} />}
        </button>
        <button onClick={() => useUi.getState().set({ frame: last })} title="Last frame (End)" aria-label="Last frame">
          <SkipForward {...ICON} />
        </button>
        <span className="tl-sep" />
        <button
          onClick={insertKeyAtCurrentFrame}
          title="Insert a keyframe at the current frame (K)"
          data-testid="insert-key"
        >
          <Diamond {...ICON} /> Insert key
        </button>
        <button onClick={deleteSelectedKey} disabled={!selectedKey} title="Delete the selected keyframe (Delete)">
          Delete
        </button>
        <button
          onClick={() => selectedKey && (clipboard = copyKeys(track, [selectedKey.id]))}
          disabled={!selectedKey}
          title="Copy the selected key (Ctrl+C)"
        >
          Copy
        </button>
        <button onClick={pasteAtCurrentFrame} title="Paste keys at the current frame (Ctrl+V)">
          Paste
        </button>
        {selectedKey && (
          <label className="tl-field">
            Easing
            <select
              aria-label="Easing of the selected key"
              value={selectedKey.easing}
              onChange={(e) => editTrack((t) => updateKey(t, selectedKey.id, { easing: e.target.value as Easing }))}
            >
              {EASINGS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <Ruler track={track} frame={frame} selected={selected} />
      <VideoStrip last={last} />
    </section>
  );
}

function pasteAtCurrentFrame(): void {
  if (!clipboard) {
    useUi.getState().toast('info', 'Nothing to paste: select a key and copy it first (Ctrl+C).');
    return;
  }
  const clip = clipboard;
  const before = new Set(useProject.getState().doc?.track.keyframes.map((k) => k.id));
  if (editTrack((t) => pasteKeys(t, clip, useUi.getState().frame))) {
    const added = useProject.getState().doc?.track.keyframes.find((k) => !before.has(k.id));
    useUi.getState().set({ selectedKeyId: added?.id ?? null });
  }
}

/** The frame ruler: click or drag to scrub, diamonds to select and drag to retime. Keeps its own keys (data-own-keys). */
function Ruler({ track, frame, selected }: { track: Track; frame: number; selected: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const last = track.numFrames - 1;
  const tickEvery = last <= 30 ? 1 : last <= 120 ? 5 : 10;

  const frameAt = (clientX: number) => {
    const r = ref.current!.getBoundingClientRect();
    return frameAtX(clientX - r.left, r.width, last);
  };

  const onScrub = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    useUi.getState().set({ frame: frameAt(e.clientX), playing: false });
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    const ui = useUi.getState();
    if (mod && e.key.toLowerCase() === 'c') {
      if (ui.selectedKeyId) clipboard = copyKeys(track, [ui.selectedKeyId]);
      e.preventDefault();
    } else if (mod && e.key.toLowerCase() === 'v') {
      pasteAtCurrentFrame();
      e.preventDefault();
    } else if (!mod && (e.key === 'ArrowLeft' || e.key === ',')) {
      ui.set({ frame: Math.max(0, ui.frame - 1) });
      e.preventDefault();
    } else if (!mod && (e.key === 'ArrowRight' || e.key === '.')) {
      ui.set({ frame: Math.min(last, ui.frame + 1) });
      e.preventDefault();
    } else if (!mod && e.key === 'Home') ui.set({ frame: 0 });
    else if (!mod && e.key === 'End') ui.set({ frame: last });
    else if (!mod && e.key === ' ') {
      ui.set({ playing: !ui.playing });
      e.preventDefault();
    } else if (!mod && (e.key === 'k' || e.key === 'K')) insertKeyAtCurrentFrame();
    else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) deleteSelectedKey();
  };

  const ticks = [];
  for (let f = 0; f <= last; f += tickEvery) ticks.push(f);
  return (
    <div
      className="ruler"
      ref={ref}
      tabIndex={0}
      data-own-keys
      data-testid="ruler"
      role="slider"
      aria-label="Current frame"
      aria-valuemin={0}
      aria-valuemax={last}
      aria-valuenow={frame}
      onPointerDown={onScrub}
      onPointerMove={(e) => {
        if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId))
          useUi.getState().set({ frame: frameAt(e.clientX) });
      }}
      onKeyDown={onKeyDown}
    >
      {ticks.map((f) => (
        <div
          key={f}
          className={`ruler__tick${f % (tickEvery * 5) === 0 ? ' ruler__tick--major' : ''}`}
          style={{ left: `${xOfFrame(f, 100, last)}%` }}
        >
          {(f % (tickEvery * 5) === 0 || f === last) && <span>{f}</span>}
        </div>
      ))}
      <div className="ruler__playhead" style={{ left: `${xOfFrame(frame, 100, last)}%` }} />
      {track.keyframes.map((k) => (
        <KeyDiamond key={k.id} id={k.id} frame={k.frame} last={last} selected={k.id === selected} frameAt={frameAt} />
      ))}
    </div>
  );
}

/** A key marker: click selects (and jumps there), dragging retimes it as one undo step. */
function KeyDiamond({
  id,
  frame,
  last,
  selected,
  frameAt,
}: {
  id: string;
  frame: number;
  last: number;
  selected: boolean;
  frameAt: (x: number) => number;
}) {
  const drag = useRef<{ moved: boolean } | null>(null);
  return (
    <button
      className={`diamond${selected ? ' diamond--selected' : ''}${frame === 0 ? ' diamond--source' : ''}`}
      style={{ left: `${xOfFrame(frame, 100, last)}%` }}
      title={`Keyframe ${id} on frame ${frame}${frame === 0 ? ' (the source camera)' : ''}`}
      aria-label={`Keyframe on frame ${frame}`}
      data-testid={`key-${frame}`}
      tabIndex={-1}
      onPointerDown={(e) => {
        e.stopPropagation();
        if (e.button !== 0) return;
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        useUi.getState().set({ selectedKeyId: id, frame, playing: false });
        drag.current = { moved: false };
        beginGesture();
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        const f = frameAt(e.clientX);
        const doc = useProject.getState().doc;
        const cur = doc?.track.keyframes.find((k) => k.id === id);
        if (!doc || !cur || cur.frame === f) return;
        if (doc.track.keyframes.some((k) => k.frame === f && k.id !== id)) return; // occupied: wait for a free frame
        try {
          const track = moveKey(doc.track, id, f);
          useProject.getState().update((d) => ({ ...d, track }));
          useUi.getState().set({ frame: f });
          drag.current.moved = true;
        } catch {
          // Frame 0 or off the track: the key stays where it last was valid.
        }
      }}
      onPointerUp={() => {
        if (!drag.current) return;
        drag.current = null;
        endGesture();
      }}
      onPointerCancel={() => {
        if (!drag.current) return;
        drag.current = null;
        endGesture();
      }}
    />
  );
}

/** Plays the track at its fps, looping, while `playing` is set; keeps the current frame on the track when it gets shorter. */
function usePlayback(): void {
  const playing = useUi((s) => s.playing);
  const numFrames = useProject((s) => s.doc?.track.numFrames ?? 0);
  useEffect(() => {
    const ui = useUi.getState();
    if (numFrames > 0 && ui.frame > numFrames - 1) ui.set({ frame: numFrames - 1 });
  }, [numFrames]);
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const t0 = performance.now();
    const start = useUi.getState().frame;
    const tick = (now: number) => {
      const track = useProject.getState().doc?.track;
      if (!track) return;
      const frame = (start + Math.floor(((now - t0) / 1000) * track.fps)) % track.numFrames;
      if (frame !== useUi.getState().frame) useUi.getState().set({ frame });
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);
}

/** K and Delete anywhere outside text fields and other panels' own keys (the ruler handles its own). */
function useKeyShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable))
        return;
      if (t?.closest?.('[data-own-keys]')) return;
      if (e.key === 'k' || e.key === 'K') insertKeyAtCurrentFrame();
      else if (e.key === 'Delete') deleteSelectedKey();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
