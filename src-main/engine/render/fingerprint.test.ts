import { describe, expect, it } from 'vitest';
import { compareRenders, renderDifferences, renderFingerprint, shortHash } from './fingerprint';
import { openProject } from '../project/store';
import { sampleProjectDir } from '../../test/tinyProject';

describe('render fingerprints', () => {
  it('hashes with FNV-1a (known values)', () => {
    expect(shortHash('')).toBe('811c9dc5');
    expect(shortHash('a')).toBe('e40c292c');
    expect(shortHash('foobar')).toBe('bf9cf968');
  });

  it('says what differs between two renders that share seed, steps and frames', async () => {
    const doc = (await openProject(sampleProjectDir())).doc;
    const a = renderFingerprint(doc);
    expect(renderDifferences(a, renderFingerprint(structuredClone(doc)))).toEqual([]);
    const painted = structuredClone(doc);
    painted.lambda.values[3] = 0.25;
    painted.lambda.preset = { kind: 'custom' };
    const moved = structuredClone(doc);
    moved.track.keyframes[moved.track.keyframes.length - 1].position[0] += 0.5;
    const b = renderFingerprint(painted);
    const c = renderFingerprint(moved);
    expect([a.seed, a.steps, a.frames]).toEqual([b.seed, b.steps, b.frames]);
    const ab = renderDifferences(a, b);
    expect(ab).toHaveLength(1);
    expect(ab[0]).toMatch(/^λ table: \w+ #[0-9a-f]{8} → painted #[0-9a-f]{8}$/);
    const ac = renderDifferences(a, c);
    expect(ac).toHaveLength(1);
    expect(ac[0]).toMatch(/^track: \d+ keys? #[0-9a-f]{8} → \d+ keys? #[0-9a-f]{8}$/);
    expect(a.track).not.toBe(c.track);
  });

  it('between two previews, a λ table, seed, steps or guidance that differ had no effect; between model renders they did', async () => {
    const doc = (await openProject(sampleProjectDir())).doc;
    const a = renderFingerprint(doc);
    const other = structuredClone(doc);
    other.lambda.values[3] = 0.25;
    other.lambda.preset = { kind: 'custom' };
    other.render.seed = 7;
    other.render.guidanceMax = 2.5;
    other.render.fidelity = 'reference';
    other.render.width = 512;
    const b = renderFingerprint(other);
    const previews = compareRenders(a, b, { aPreview: true, bPreview: true });
    expect(previews.changes).toEqual([`size: ${a.size} → 512x${doc.render.height}`]);
    expect(previews.noEffect.map((d) => d.split(':')[0])).toEqual(['seed', 'guidance', 'fidelity', 'λ table']);
    expect(previews.noEffect).toContain('fidelity: studio → reference');
    const models = compareRenders(a, b, { aPreview: false, bPreview: false });
    expect(models.noEffect).toEqual([]);
    expect(models.changes).toEqual(renderDifferences(a, b));
    // A preview against a model render: everything can show.
    expect(compareRenders(a, b, { aPreview: true, bPreview: false }).noEffect).toEqual([]);
  });
});
