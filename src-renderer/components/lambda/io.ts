import type { LambdaDoc } from '../../../src-main/engine/project/schema';
import {
  lambdaFormatOf,
  parseLambda,
  serialiseLambda,
  type LambdaFormat,
} from '../../../src-main/engine/lambda/formats';
import { lambdaDocFromTable, lambdaTableFromDoc } from '../../../src-main/engine/lambda/doc';
import { fitImported } from './presets';

/** Lambda tables to and from files in the browser (the same code runs in Electron's renderer). */
export const LAMBDA_FORMATS: readonly LambdaFormat[] = ['json', 'csv', 'npy'];

export function exportFileName(doc: LambdaDoc, format: LambdaFormat): string {
  return `lambda_${doc.steps}x${doc.frames}.${format}`;
}

/** The file's bytes or text, as the engine's serialiser writes it. */
export function exportLambda(doc: LambdaDoc, format: LambdaFormat): { name: string; blob: Blob } {
  const content = serialiseLambda(lambdaTableFromDoc(doc), format);
  const type = format === 'npy' ? 'application/octet-stream' : format === 'csv' ? 'text/csv' : 'application/json';
  return { name: exportFileName(doc, format), blob: new Blob([content as BlobPart], { type }) };
}

export { downloadBlob } from '../ui/download';

/**
 * A lambda file as the project's table: parsed by its extension, refused with the parser's message
 * when malformed, resampled when its shape is not the project's.
 */
export function importLambdaBytes(
  name: string,
  bytes: Uint8Array,
  current: LambdaDoc,
): { lambda: LambdaDoc; message: string } {
  const table = parseLambda(bytes, lambdaFormatOf(name), { name });
  const fitted = fitImported(table, current.steps, current.frames);
  const lambda = lambdaDocFromTable(fitted.table, current.lambdaMin, { kind: 'custom' });
  const message = fitted.resampled
    ? `Imported ${name} (${table.steps} × ${table.frames}), resampled to ${current.steps} steps × ${current.frames} frames.`
    : `Imported ${name} (${table.steps} steps × ${table.frames} frames).`;
  return { lambda, message };
}
