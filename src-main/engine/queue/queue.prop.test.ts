import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAll, checkScaling, inflatedText, judge, mutatedJsonText, show } from '../../test/fuzz';
import { expectDocWithinLimits, expectLambdaWithinLimits, expectRenderWithinLimits } from '../../test/statedLimits';
import { tempDir } from '../../test/tmp';
import { createProject } from '../project/create';
import { QueueState } from './model';
import { RenderQueueStore } from './store';

/**
 * Property-based tests of queue.json (issue 12): a mutated or random queue file opens as a valid
 * queue (jobs that cannot be read left out, with a notice), or is kept aside with a notice and an
 * empty queue started, or (a newer version) refused; nothing is lost.
 */
/** Every job a queue holds is within the stated limits: its project, and its overrides (issue 24). */
function jobsWithinLimits(state: QueueState): void {
  for (const j of state.jobs) {
    expectDocWithinLimits(j.project as unknown as Record<string, unknown>);
    if (j.overrides.render) expectRenderWithinLimits(j.overrides.render, 'overrides.render');
    if (j.overrides.lambda) expectLambdaWithinLimits(j.overrides.lambda);
  }
}

describe('queue.json, property-based', () => {
  let seeds: unknown[];
  const dir = tempDir('prop-queue-');
  beforeAll(async () => {
    const file = path.join(dir, 'seed.json');
    const store = await RenderQueueStore.open(file, { now: () => new Date('2026-01-02T03:04:05Z') });
    const doc = createProject('Q', { numFrames: 3, now: new Date('2026-01-02T03:04:05Z') });
    const a = await store.enqueue({ label: 'a', project: doc });
    const b = await store.enqueue({ label: 'b', project: doc, overrides: { render: { seed: 7 } } });
    await store.enqueue({ label: 'c', project: doc });
    await store.markRunning(a.id);
    await store.markDone(a.id, { video: 'renders/a.mp4', sidecar: 'renders/a.mp4.json', thumbnail: null });
    await store.markRunning(b.id);
    await store.markProgress(b.id, { fraction: 0.5, stage: 'denoise' });
    seeds = [JSON.parse(readFileSync(file, 'utf8')), { version: 1, jobs: [] }];
  });

  it('every mutated or random queue.json opens as a valid queue, is kept aside, or is refused clearly', async () => {
    let n = 0;
    const outcomes = { kept: 0, partial: 0 };
    await checkAll(
      mutatedJsonText(seeds),
      async (text) => {
        const file = path.join(dir, `q${n++}.json`);
        writeFileSync(file, text);
        try {
          return await judge(
            () => RenderQueueStore.open(file),
            {
              accept: (store) => {
                const v = QueueState.safeParse(store.state);
                expect(v.success, JSON.stringify(v.error?.issues?.slice(0, 2))).toBe(true);
                jobsWithinLimits(store.state);
                for (const m of store.notices) expect(m.length).toBeGreaterThan(20);
                const aside = readdirSync(dir).filter((f) => f.startsWith(`${path.basename(file)}.corrupt-`));
                if (aside.length) {
                  // Kept aside byte for byte, and the notice says where.
                  expect(readFileSync(path.join(dir, aside[0]), 'utf8')).toBe(text);
                  expect(store.notices.join(' ')).toContain(aside[0]);
                  if (store.notices.some((m) => /could not be read \(/.test(m))) outcomes.kept++;
                  else outcomes.partial++;
                }
                // The queue now on disk is the one shown (when something was written).
                if (existsSync(file) && store.notices.length)
                  expect(QueueState.safeParse(JSON.parse(readFileSync(file, 'utf8'))).success).toBe(true);
              },
            },
            () => show(text),
          );
        } finally {
          for (const f of readdirSync(dir))
            if (f.startsWith(`q${n - 1}.json`)) rmSync(path.join(dir, f), { force: true });
        }
        // Only a queue from a newer version is refused; everything else is salvaged or kept aside.
      },
      { numRuns: 150 },
      false,
    );
    expect(outcomes.kept).toBeGreaterThan(0);
  });

  it('queue.json texts up to 2 MiB open, are kept aside, or are refused clearly, in time linear in their size', async () => {
    let n = 0;
    await checkScaling(
      (len) =>
        inflatedText(
          seeds.map((s) => JSON.stringify(s)),
          len,
        ),
      async (text) => {
        const file = path.join(dir, `big${n++}.json`);
        writeFileSync(file, text);
        try {
          return await judge(
            () => RenderQueueStore.open(file),
            { accept: (store) => jobsWithinLimits(store.state) },
            () => show(text),
            text.length,
          );
        } finally {
          for (const f of readdirSync(dir))
            if (f.startsWith(`big${n - 1}.json`)) rmSync(path.join(dir, f), { force: true });
        }
      },
      2,
    );
  });
});
