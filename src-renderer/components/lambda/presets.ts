import type { LambdaDoc, LambdaPreset } from '../../../src-main/engine/project/schema';
import { defaultLambda, lambdaForTriple } from '../../../src-main/engine/lambda/search';
import { resampleLambda } from '../../../src-main/engine/lambda/resample';
import { constantLambda, rampLambda } from '../../../src-main/engine/lambda/summary';
import { lambdaDocFromTable, lambdaTableFromDoc } from '../../../src-main/engine/lambda/doc';
import { makeLambdaTable, type LambdaTable } from '../../../src-main/engine/lambda/table';
import { sigmasForSteps } from '../../../src-main/engine/schedule/sigmas';

/**
 * Lambda presets and shape changes, computed in the UI (the numerics are pure and take
 * milliseconds, so the editor never waits for the engine).
 */

/** The reference default for a shape: the searched (v1, v2, v3) and its table. */
export function defaultPresetDoc(steps: number, frames: number, lambdaMin: number): LambdaDoc {
  const d = defaultLambda(sigmasForSteps(steps), frames);
  return lambdaDocFromTable(d.table, lambdaMin, { kind: 'default', v1: d.v1, v2: d.v2, v3: d.v3 });
}

/** A table for a preset at a shape, or a message when the preset cannot make one. */
export function tableForPreset(
  preset: Exclude<LambdaPreset, { kind: 'custom' }>,
  steps: number,
  frames: number,
): { table: LambdaTable } | { error: string } {
  try {
    switch (preset.kind) {
      case 'default': {
        const t = lambdaForTriple(sigmasForSteps(steps), frames, preset.v1, preset.v2, preset.v3);
        return t
          ? { table: t }
          : {
              error: `(v1, v2, v3) = (${preset.v1}, ${preset.v2}, ${preset.v3}) gives no valid lambda at some step and frame; the table is unchanged. Try values near the search's (v1 0.001..0.009, v2 50..1000, v3 10..100).`,
            };
      }
      case 'constant':
        return { table: constantLambda(steps, frames, preset.value) };
      case 'ramp':
        return { table: rampLambda(steps, frames, preset.axis, preset.from, preset.to) };
    }
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The document with a preset applied, or a message (the document is then left as it is). */
export function applyPreset(
  doc: LambdaDoc,
  preset: Exclude<LambdaPreset, { kind: 'custom' }>,
): { lambda: LambdaDoc } | { error: string } {
  const r = tableForPreset(preset, doc.steps, doc.frames);
  if ('error' in r) return r;
  return { lambda: lambdaDocFromTable(r.table, doc.lambdaMin, preset) };
}

export interface Reshaped {
  lambda: LambdaDoc;
  /** What the studio tells the artist. */
  message: string;
}

/**
 * The table for new steps and frames: presets are recomputed for the new shape (a default whose
 * triple was the search's result is searched again, since the reference default depends on the
 * shape; a hand-set triple is kept when it still gives a table), painted tables are resampled by
 * log-sigma and frame position so painted regions stay where they were. Null when the shape
 * already fits.
 */
export function reshapeLambda(doc: LambdaDoc, steps: number, frames: number): Reshaped | null {
  if (doc.steps === steps && doc.frames === frames) return null;
  const from = `${doc.steps} × ${doc.frames}`;
  const to = `${steps} steps × ${frames} frames`;
  const p = doc.preset;
  if (p.kind === 'default') {
    const searchedBefore = tryDefault(doc.steps, doc.frames);
    const wasSearched =
      searchedBefore && searchedBefore.v1 === p.v1 && searchedBefore.v2 === p.v2 && searchedBefore.v3 === p.v3;
    if (!wasSearched) {
      const r = tableForPreset(p, steps, frames);
      if ('table' in r)
        return {
          lambda: lambdaDocFromTable(r.table, doc.lambdaMin, p),
          message: `Lambda table recomputed for ${to} with your (v1, v2, v3).`,
        };
    }
    const d = tryDefault(steps, frames);
    if (d) {
      return {
        lambda: lambdaDocFromTable(d.table, doc.lambdaMin, { kind: 'default', v1: d.v1, v2: d.v2, v3: d.v3 }),
        message: `Lambda table recomputed for ${to}: the default search chose (v1, v2, v3) = (${d.v1}, ${d.v2}, ${d.v3}).`,
      };
    }
  } else if (p.kind !== 'custom') {
    const r = tableForPreset(p, steps, frames);
    if ('table' in r)
      return {
        lambda: lambdaDocFromTable(r.table, doc.lambdaMin, p),
        message: `Lambda table recomputed for ${to} (${p.kind} preset).`,
      };
  }
  const table = resampleLambda(lambdaTableFromDoc(doc), sigmasForSteps(doc.steps), sigmasForSteps(steps), frames);
  return {
    lambda: lambdaDocFromTable(table, doc.lambdaMin, { kind: 'custom' }),
    message: `Lambda table resampled from ${from} to ${to}; your painted regions keep their sigma and place in the track.`,
  };
}

function tryDefault(steps: number, frames: number) {
  try {
    return defaultLambda(sigmasForSteps(steps), frames);
  } catch {
    return null;
  }
}

/** An imported table fitted to the project's shape (resampled when it has another shape). */
export function fitImported(
  table: LambdaTable,
  steps: number,
  frames: number,
): { table: LambdaTable; resampled: boolean } {
  if (table.steps === steps && table.frames === frames) return { table, resampled: false };
  if (table.frames < 2) {
    // A single column has no frame positions to resample between: repeat it across the guided frames.
    const wide = new Float64Array(table.steps * 2);
    for (let i = 0; i < table.steps; i++) wide.set([1, table.data[i]], i * 2);
    table = makeLambdaTable(table.steps, 2, wide);
  }
  return { table: resampleLambda(table, sigmasForSteps(table.steps), sigmasForSteps(steps), frames), resampled: true };
}
