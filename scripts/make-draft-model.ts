/**
 * Generates the built-in draft model into assets/models/draft/ (or the folder given):
 *   npx tsx scripts/make-draft-model.ts [DIR] [--float16]
 * The graphs are in src-main/engine/models/draftGraphs.ts; the output is deterministic, so the
 * committed files and their sha256s in model.json only change when the graphs do.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDraftModel } from '../src-main/engine/models/draftModel';

const args = process.argv.slice(2);
const dtype = args.includes('--float16') ? 'float16' : 'float32';
const dirArg = args.find((a) => !a.startsWith('--'));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(dirArg ?? path.join(root, 'assets', 'models', 'draft'));
const manifest = await writeDraftModel(dir, dtype);
for (const [name, c] of Object.entries(manifest.components))
  process.stdout.write(`${name}: ${c.file} ${c.bytes} bytes sha256 ${c.sha256}\n`);
process.stdout.write(`wrote ${dir}\n`);
