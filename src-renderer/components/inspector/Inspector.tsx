import { useState, type ReactNode } from 'react';
import { useProject } from '../../state/projectStore';
import { Hint } from '../welcome/Hint';
import { KeyframeFields } from './KeyframeFields';
import { DepthPanel } from './DepthPanel';
import { PresetsPanel } from './PresetsPanel';
import { TrackFiles } from './TrackFiles';
import { SourcesPanel } from './SourcesPanel';
import { VideoPanel } from '../video/VideoPanel';
import './inspector.css';

/** A titled, collapsible inspector section. */
export function Section({
  title,
  id,
  children,
  open: initiallyOpen = true,
}: {
  title: string;
  id: string;
  children: ReactNode;
  open?: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <section className="insp-section" data-testid={`section-${id}`}>
      <button className="insp-section__title" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="insp-caret">{open ? '▾' : '▸'}</span>
        {title}
      </button>
      {open && <div className="insp-section__body">{children}</div>}
    </section>
  );
}

/**
 * The inspector: the photo, the selected keyframe, the track's presets and files, and depth.
 * Sections stack in this order; the render settings (the render engineer's panel) are one more
 * <Section> appended after Depth.
 */
export function Inspector() {
  const doc = useProject((s) => s.doc);
  if (!doc) return <aside className="panel inspector" />;
  return (
    <aside className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <Section title="Photo" id="photo">
        {doc.image ? (
          <dl className="props">
            <dt>File</dt>
            <dd data-testid="image-name">{doc.image.originalName}</dd>
            <dt>Size</dt>
            <dd data-testid="image-size">
              {doc.image.width} × {doc.image.height}
            </dd>
          </dl>
        ) : (
          <p className="muted insp-hint">No photo yet.</p>
        )}
      </Section>
      {doc.video && (
        <Section title="Source video" id="video">
          <VideoPanel />
        </Section>
      )}
      {doc.sources.length > 0 && (
        <Section
          title={`Source views (${doc.sources.filter((v) => v.enabled).length} of ${doc.sources.length} on)`}
          id="sources"
        >
          <SourcesPanel />
        </Section>
      )}
      <Section title="Keyframe" id="keyframe">
        <Hint id="keyframe" className="hint--inline">
          A track is keys on the timeline; the camera moves smoothly between them. Pick a preset below for a whole move
          at once.
        </Hint>
        <KeyframeFields />
      </Section>
      <Section title="Track presets" id="presets">
        <PresetsPanel />
        <TrackFiles />
      </Section>
      <Section title="Depth" id="depth">
        <DepthPanel />
      </Section>
    </aside>
  );
}
