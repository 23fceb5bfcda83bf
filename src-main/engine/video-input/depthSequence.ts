import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeDepth } from '../depth/read';
import type { RawDepth } from '../depth/types';
import type { DepthMapping } from '../project/schema';
import { CamtrackError } from '../util/errors';

/**
 * A folder of per-frame depth files (edge module): .npy (z-depth) or 16-bit PNG (z-depth times a
 * stated scale, nerfstudio's `depth_unit_scale_factor`, default 0.001: millimetres), as
 * transforms.json depth is read (engine/sources/transforms.ts). Files are ordered naturally by
 * name (frame_2 before frame_10); one folder holds one kind.
 */
export const DEFAULT_DEPTH_UNIT_SCALE = 0.001;
const DEPTH_FILE = /\.(npy|png)$/i;
const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface DepthSequence {
  folder: string;
  /** Full paths, in frame order. */
  files: string[];
  kind: 'npy' | 'png';
  /** z = scale * v for every file: 1 for .npy, the unit scale for PNG. */
  mapping: DepthMapping;
}

/** Natural order of file names: digits compare as numbers. */
export function sortNaturally(names: readonly string[]): string[] {
  return [...names].sort(naturalOrder.compare);
}

export async function listDepthSequence(folder: string, pngScale = DEFAULT_DEPTH_UNIT_SCALE): Promise<DepthSequence> {
  if (!(Number.isFinite(pngScale) && pngScale > 0))
    throw new CamtrackError('bad-input', `The depth unit scale must be a positive number (got ${pngScale}).`);
  let names: string[];
  try {
    const st = await fs.stat(folder);
    if (!st.isDirectory())
      throw new CamtrackError(
        'bad-input',
        `The video depth ${folder} is a file; give the folder that holds one depth file per frame.`,
      );
    names = await fs.readdir(folder);
  } catch (e) {
    if (e instanceof CamtrackError) throw e;
    throw new CamtrackError('not-found', `The video depth folder ${folder} cannot be read: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const depthNames = sortNaturally(names.filter((n) => DEPTH_FILE.test(n) && !n.startsWith('.')));
  if (depthNames.length === 0)
    throw new CamtrackError('bad-input', `The video depth folder ${folder} holds no .npy or .png depth files.`);
  const kinds = new Set(depthNames.map((n) => path.extname(n).slice(1).toLowerCase()));
  if (kinds.size > 1)
    throw new CamtrackError(
      'bad-input',
      `The video depth folder ${folder} mixes .npy and .png files; use one kind for the whole sequence.`,
    );
  const kind = [...kinds][0] as 'npy' | 'png';
  return {
    folder,
    files: depthNames.map((n) => path.join(folder, n)),
    kind,
    mapping: { kind: 'depth', scale: kind === 'png' ? pngScale : 1, near: 1e-4, far: 1e6 },
  };
}

/** Decodes one depth file of a sequence and checks it: a 16-bit PNG where PNG, no NaN or infinite values. */
export async function readSequenceDepth(file: string, bytes: Uint8Array): Promise<RawDepth> {
  const name = path.basename(file);
  const raw = await decodeDepth(bytes, `The depth file ${name}`);
  if (raw.origin.startsWith('png') && !raw.origin.includes('16'))
    throw new CamtrackError(
      'bad-file',
      `The depth file ${name} is an 8-bit PNG; depth PNGs of a video are 16-bit (values times the depth unit scale).`,
    );
  let bad = 0;
  const v = raw.values;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) bad++;
  if (bad > 0)
    throw new CamtrackError(
      'bad-file',
      `The depth file ${name} holds ${bad} NaN or infinite value${bad === 1 ? '' : 's'} (of ${v.length}); every pixel needs a depth (0 for none).`,
    );
  return raw;
}
