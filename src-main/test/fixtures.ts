import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for tests. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared/fixtures` beside the checkout (real data; read it in place, never copy it). */
export const SHARED_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures');

export function fixture(...parts: string[]): string {
  return path.join(SHARED_FIXTURES, ...parts);
}
