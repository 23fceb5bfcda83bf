import path from 'node:path';
import { writeFileAtomic } from '../util/atomic';
import { readBytes } from '../util/readBytes';
import { lambdaFormatOf, parseLambda, serialiseLambda, type LambdaParseOptions } from './formats';
import type { LambdaTable } from './table';

/** Edge module: lambda tables in .npy, .csv or .json files, the format chosen by extension. */
export async function readLambdaFile(file: string, expected?: LambdaParseOptions['expected']): Promise<LambdaTable> {
  const format = lambdaFormatOf(file);
  const bytes = await readBytes(file);
  return parseLambda(bytes, format, { expected, name: path.basename(file) });
}

export async function writeLambdaFile(file: string, table: LambdaTable): Promise<void> {
  await writeFileAtomic(file, serialiseLambda(table, lambdaFormatOf(file)));
}
