// Whether dist/main/cli.cjs was built from the sources now in the tree: every source it was built
// from (listed by the build in cli.inputs.json) exists and is not newer than the bundle.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** @returns {{ fresh: boolean, reason: string }} */
export function cliBundleState(root) {
  const bundle = path.join(root, 'dist', 'main', 'cli.cjs');
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return { fresh: false, reason: 'the CLI bundle is not built' };
  }
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(path.join(root, 'dist', 'main', 'cli.inputs.json'), 'utf8'));
  } catch {
    return { fresh: false, reason: 'the CLI bundle has no list of its sources' };
  }
  for (const f of inputs) {
    let t;
    try {
      t = statSync(path.join(root, f)).mtimeMs;
    } catch {
      return { fresh: false, reason: `${f} is gone since the last build` };
    }
    if (t > built) return { fresh: false, reason: `${f} changed since the last build` };
  }
  return { fresh: true, reason: 'built from the sources in the tree' };
}
