import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/fixtures';
import { checkAll, checkTextScaling, judge, mutatedJsonText, show } from '../../test/fuzz';
import { boundaryEdits, expectDocWithinLimits } from '../../test/statedLimits';
import { tempDir } from '../../test/tmp';
import { readAutosave } from './autosave';
import { createProject } from './create';
import { projectPaths } from './layout';
import { parseProjectText } from './parse';
import { PROJECT_SCHEMA_VERSION, ProjectDoc } from './schema';

/** Property-based tests of project.json and the autosave (issue 12): mutated v0, v1 and v2 documents and random JSON. */
const sample = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'assets', 'samples', 'synthetic-orbit.camtrack', 'project.json'), 'utf8'),
) as ProjectDoc;
const fresh = createProject('Fresh', { numFrames: 3, now: new Date('2026-01-02T03:04:05Z') });

/** The same document as schema 1 (no source views) and schema 0 (lambda as rows, no decode chunk). */
function older(doc: ProjectDoc): unknown[] {
  const { sources: _s, ...v1 } = doc;
  const { decodeChunk: _d, ...render } = doc.render;
  const rows: number[][] = [];
  for (let s = 0; s < doc.lambda.steps; s++)
    rows.push(doc.lambda.values.slice(s * doc.lambda.frames, (s + 1) * doc.lambda.frames));
  const v0 = {
    ...v1,
    schemaVersion: 0,
    render,
    lambda: { rows, lambdaMin: doc.lambda.lambdaMin, preset: doc.lambda.preset },
  };
  return [{ ...v1, schemaVersion: 1 }, v0];
}

const SEEDS: unknown[] = [sample, fresh, ...older(fresh), ...older(sample)];

function accept(r: { doc: ProjectDoc; migratedFrom?: number }): void {
  const v = ProjectDoc.safeParse(r.doc);
  expect(v.success, JSON.stringify(v.error?.issues?.slice(0, 2))).toBe(true);
  // A current document whose schemaVersion a mutation lowered (to 2, say) migrates from there: any older version is fine.
  if (r.migratedFrom !== undefined) expect(r.migratedFrom).toBeLessThan(PROJECT_SCHEMA_VERSION);
  // Not only what the schema says: the limits as stated on their own (issue 24).
  expectDocWithinLimits(r.doc as unknown as Record<string, unknown>);
}

const limitEdits = boundaryEdits([sample, fresh]);

describe('project files, property-based', () => {
  it('project.json: every mutated or random document opens schema-valid or is refused clearly', async () => {
    for (const s of SEEDS) accept(parseProjectText(JSON.stringify(s), 'seed'));
    await checkAll(
      mutatedJsonText(SEEDS),
      (text) =>
        judge(
          () => parseProjectText(text, 'project.json'),
          { accept },
          () => show(text),
        ),
      { numRuns: 250 },
    );
  });

  it('project.json: a bounded field at or past its limit opens within the stated limits or is refused clearly', async () => {
    await checkAll(
      limitEdits.arbitrary.map((d) => JSON.stringify(d)),
      (text) =>
        judge(
          () => parseProjectText(text, 'project.json'),
          { accept },
          () => show(text),
        ),
      { numRuns: 30, examples: limitEdits.all.map((d) => [JSON.stringify(d)]) },
    );
  });

  it('project.json: texts up to 2 MiB open or are refused clearly, in time linear in their size', async () => {
    const seeds = SEEDS.map((d) => JSON.stringify(d));
    await checkTextScaling(seeds, (text) => parseProjectText(text, 'project.json'), { accept });
  });

  it('autosave: every mutated or random autosave reads back schema-valid or is refused clearly', async () => {
    const dir = tempDir('prop-autosave-');
    const file = projectPaths(dir).autosaveFile;
    const seeds = SEEDS.slice(0, 3).map((doc) => ({ savedAt: '2026-01-02T03:04:05.000Z', doc }));
    await checkAll(
      mutatedJsonText(seeds),
      async (text) => {
        writeFileSync(file, text);
        return judge(
          async () => (await readAutosave(dir))!,
          {
            accept: (r) => {
              accept(r);
              expect(Number.isNaN(Date.parse(r.savedAt))).toBe(false);
            },
          },
          () => show(text),
        );
      },
      { numRuns: 150 },
    );
  });
});
