import type { AssetRef, Depth } from '../project/schema';
import { decodeDepth } from './read';
import { bakeShapeForPhoto } from './shapes';
import type { RawDepth } from './types';

/**
 * The raw values of a project's depth, whatever its source: a file or a model's output read from
 * the project's assets through `readAsset` (which checks them), or a shape baked over the photo.
 * The depth's mapping then turns them into z as for any depth.
 */
export async function readDepthSource(
  depth: Depth,
  photo: { width: number; height: number },
  readAsset: (ref: AssetRef) => Promise<Uint8Array>,
  name?: string,
): Promise<RawDepth> {
  const s = depth.source;
  if (s.type === 'shape') return bakeShapeForPhoto(s.shape, photo.width, photo.height);
  return decodeDepth(await readAsset(s.asset), name ?? s.asset.file);
}
