import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for tests. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's own test data (`fixtures/`, see its README): tests never read outside the checkout. */
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}
