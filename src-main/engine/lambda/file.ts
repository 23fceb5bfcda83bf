import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { CamtrackError, toErrorInfo } from '../util/errors';
import { lambdaFormatOf, parseLambda, serialiseLambda, type LambdaParseOptions } from './formats';
import type { LambdaTable } from './table';

/** Edge module: lambda tables in .npy, .csv or .json files, the format chosen by extension. */
export async function readLambdaFile(file: string, expected?: LambdaParseOptions['expected']): Promise<LambdaTable> {
  const format = lambdaFormatOf(file);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    const info = toErrorInfo(e);
    throw new CamtrackError(info.code === 'internal' ? 'bad-file' : info.code, info.message, { cause: e });
  }
  return parseLambda(bytes, format, { expected, name: path.basename(file) });
}

export async function writeLambdaFile(file: string, table: LambdaTable): Promise<void> {
  await writeFileAtomic(file, serialiseLambda(table, lambdaFormatOf(file)));
}
