import type { Command } from 'commander';
import { numberOption } from './io';
import { checkShape, defaultPlane, defaultRoom } from '../engine/depth/shapes';
import type { DepthShape } from '../engine/project/schema';
import { CamtrackError } from '../engine/util/errors';

/**
 * The depth-shape flags (`--depth-shape plane|room` and their parameters), shared by the commands
 * that take a photo: `project new` and `warp`. A photo given no depth at all gets the default plane,
 * the same in every entry point (docs/depth.md).
 */
export interface DepthShapeFlags {
  depthShape?: string;
  vanishingPoint?: string;
  backWall?: string;
  planeDistance?: number;
  backWallDistance?: number;
}

export function addDepthShapeFlags(cmd: Command): Command {
  return cmd
    .option(
      '--depth-shape <shape>',
      'depth without a file or model: plane (the photo as a card) or room (a box, "Tour Into the Picture"); a photo given nothing else gets a plane at 4 units',
    )
    .option(
      '--vanishing-point <x,y>',
      'room: where its floor, ceiling and wall lines meet, as fractions of the photo (default 0.5,0.5, the centre)',
    )
    .option(
      '--back-wall <l,t,r,b>',
      "room: the back wall's left, top, right and bottom edges as fractions of the photo (default: a third of the photo around the vanishing point)",
    )
    .option(
      '--back-wall-distance <d>',
      "room: the back wall's distance in scene units (default 8)",
      numberOption('back-wall-distance'),
    )
    .option('--plane-distance <d>', 'plane: its distance in scene units (default 4)', numberOption('plane-distance'));
}

/** "0.4,0.5" -> [0.4, 0.5]: `count` numbers separated by commas. */
function fractions(flag: string, value: string, count: number): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== count || parts.some((s) => s === '') || nums.some((n) => !Number.isFinite(n)))
    throw new CamtrackError(
      'bad-input',
      `${flag} takes ${count} numbers separated by commas, fractions of the photo (got "${value}").`,
    );
  return nums;
}

/**
 * The depth shape the flags ask for; the default plane for a photo given nothing else (so it
 * renders at once), or null where the depth comes from elsewhere (`ownDepth`: a file, a model,
 * views or a video). `sources` names the command's other depth flags, for the refusal of two.
 */
export function depthShapeFromFlags(
  o: DepthShapeFlags,
  ctx: { image: boolean; ownDepth: boolean; sources: string },
): DepthShape | null {
  const roomOnly = o.vanishingPoint !== undefined || o.backWall !== undefined || o.backWallDistance !== undefined;
  if (o.depthShape === undefined) {
    if (roomOnly || o.planeDistance !== undefined)
      throw new CamtrackError(
        'bad-input',
        '--vanishing-point, --back-wall, --back-wall-distance and --plane-distance shape the depth: give --depth-shape room or plane too.',
      );
    return ctx.image && !ctx.ownDepth ? defaultPlane() : null;
  }
  if (ctx.ownDepth) throw new CamtrackError('bad-input', `Give ${ctx.sources} or --depth-shape: one source of depth.`);
  if (!ctx.image)
    throw new CamtrackError('bad-input', '--depth-shape needs --image: the shape is the depth of a photo.');
  if (o.depthShape === 'plane') {
    if (roomOnly)
      throw new CamtrackError(
        'bad-input',
        '--vanishing-point, --back-wall and --back-wall-distance shape a room: use --depth-shape room.',
      );
    return defaultPlane(o.planeDistance);
  }
  if (o.depthShape === 'room') {
    if (o.planeDistance !== undefined)
      throw new CamtrackError('bad-input', "--plane-distance is a plane's: a room's is --back-wall-distance.");
    const [x, y] = o.vanishingPoint === undefined ? [0.5, 0.5] : fractions('--vanishing-point', o.vanishingPoint, 2);
    const room = defaultRoom({ x, y }, o.backWallDistance);
    if (o.backWall === undefined) return room;
    const [left, top, right, bottom] = fractions('--back-wall', o.backWall, 4);
    return checkShape({ ...room, backWall: { left, top, right, bottom } });
  }
  throw new CamtrackError('bad-input', `--depth-shape must be plane or room (got "${o.depthShape}").`);
}
