import { CamtrackError } from '../util/errors';
import { LambdaDoc, type LambdaPreset } from '../project/schema';
import { makeLambdaTable, type LambdaTable } from './table';

/**
 * Between the project's LambdaDoc (plain JSON, schema.ts) and a LambdaTable. A document whose
 * values do not fit its steps x frames, or that does not fit the render's shape when `expected`
 * is given, is refused with a message instead of reaching the sampler.
 */
export function lambdaTableFromDoc(doc: LambdaDoc, expected?: { steps: number; frames: number }): LambdaTable {
  const parsed = LambdaDoc.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CamtrackError(
      'bad-input',
      `The project's lambda table is invalid: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`,
    );
  }
  if (expected && (doc.steps !== expected.steps || doc.frames !== expected.frames)) {
    throw new CamtrackError(
      'shape-mismatch',
      `The project's lambda table is ${doc.steps} steps x ${doc.frames} frames, but the render has ${expected.steps} steps x ${expected.frames} frames. Resample the table or reset it to the default.`,
    );
  }
  return makeLambdaTable(doc.steps, doc.frames, doc.values);
}

export function lambdaDocFromTable(table: LambdaTable, lambdaMin: number, preset: LambdaPreset): LambdaDoc {
  if (!(lambdaMin >= 0 && lambdaMin <= 1))
    throw new CamtrackError('bad-input', `lambdaMin must be in [0, 1] (got ${lambdaMin}).`);
  return { steps: table.steps, frames: table.frames, values: Array.from(table.data), lambdaMin, preset };
}
