import { z } from '../util/zod';
import { CamtrackError } from '../util/errors';
import {
  DepthMapping,
  Track,
  RenderSettings,
  SourceImageV3,
  DepthSource,
  LambdaPreset,
  PROJECT_SCHEMA_VERSION,
} from './schema';
import { formatIssues } from '../util/issues';
import { withPhotoCamera } from '../camera/intrinsics';

/**
 * Schema migrations, run in memory on open: an older project is read, migrated step by step to
 * PROJECT_SCHEMA_VERSION and validated; the file on disk is only rewritten by the next explicit
 * Save. `MIGRATIONS[n]` turns a version-n document into a version-(n+1) one. Each step validates
 * its own input shape, so a damaged old file is reported with paths in the file's own vocabulary.
 */

/**
 * Version 0: the early draft format. It differs from version 1 in that the lambda table is stored
 * as nested rows (`lambda.rows[step][frame]`, shape implied) and render settings have no
 * `decodeChunk` (the draft decoded a fixed 8 frames at a time).
 */
export const ProjectDocV0 = z.object({
  schemaVersion: z.literal(0),
  name: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  image: SourceImageV3.nullable(),
  depth: z.object({ source: DepthSource, mapping: DepthMapping }).nullable(),
  track: Track,
  lambda: z.object({
    rows: z.array(z.array(z.number())).min(1),
    lambdaMin: z.number(),
    preset: LambdaPreset,
  }),
  render: RenderSettings.omit({ decodeChunk: true }),
});
export type ProjectDocV0 = z.infer<typeof ProjectDocV0>;

/** The draft's fixed decode chunk, which version 1 made a setting. */
const V0_DECODE_CHUNK = 8;

function migrateV0toV1(raw: unknown): unknown {
  const r = ProjectDocV0.safeParse(raw);
  if (!r.success) {
    throw new CamtrackError('bad-file', `This version-0 project is damaged: ${formatIssues(r.error.issues)}`);
  }
  const v0 = r.data;
  const frames = v0.lambda.rows[0].length;
  v0.lambda.rows.forEach((row, i) => {
    if (row.length !== frames) {
      throw new CamtrackError(
        'bad-file',
        `This version-0 project is damaged: lambda row ${i} has ${row.length} values; row 0 has ${frames}.`,
      );
    }
  });
  return {
    ...v0,
    schemaVersion: 1,
    lambda: {
      steps: v0.lambda.rows.length,
      frames,
      values: v0.lambda.rows.flat(),
      lambdaMin: v0.lambda.lambdaMin,
      preset: v0.lambda.preset,
    },
    render: { ...v0.render, decodeChunk: V0_DECODE_CHUNK },
  };
}

/**
 * Version 1 -> 2: sparse views. A version-1 project holds one photo (`image` and `depth`, the camera
 * of frame 0); version 2 keeps those as they are and adds the list of further source views, empty.
 */
function migrateV1toV2(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new CamtrackError('bad-file', 'This version-1 project is damaged: it is not a JSON object.');
  return { ...(raw as Record<string, unknown>), schemaVersion: 2, sources: [] };
}

/**
 * Version 2 -> 3: video input. Version 3 may hold a source video (`video`); a version-2 project has
 * none and reads unchanged. The bump keeps older builds from opening a video project as a still photo.
 */
function migrateV2toV3(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new CamtrackError('bad-file', 'This version-2 project is damaged: it is not a JSON object.');
  return { ...(raw as Record<string, unknown>), schemaVersion: 3 };
}

/**
 * Version 3 -> 4, one named step per concern of version 4, applied in order. Each takes and gives
 * a plain object; the version number is set once, after them.
 */
type Step = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * Depth shapes (engine/depth/shapes.ts): version 4 may hold a depth whose source is a shape (`{ type:
 * 'shape', shape }`, no asset) and a photo with a downscaled working copy (`image.working`). A
 * version-3 project has neither and its depth mapping is stored, so it reads, and renders, unchanged.
 */
const migrate3to4DepthShapes: Step = (doc) => doc;

/**
 * The render fidelity setting: a version-3 project rendered with the studio's own guidance, warp and
 * steps, so it keeps 'studio' (a re-render gives the same video).
 */
export const migrate3to4Fidelity: Step = (doc) => {
  const render = doc.render;
  if (typeof render !== 'object' || render === null || Array.isArray(render))
    throw new CamtrackError('bad-file', 'This version-3 project is damaged: its render settings are not an object.');
  return { ...doc, render: { ...(render as Record<string, unknown>), fidelity: 'studio' } };
};

/**
 * The photo's camera stored once: a version-3 photo without a K rendered with the default camera
 * (DEFAULT_FOV_X_DEG across, whatever its source key said), so exactly that camera is written into
 * the photo and the project renders the picture it rendered before.
 */
export const migrate3to4SourceCamera: Step = (doc) => {
  const image = doc.image as { width?: unknown; height?: unknown; intrinsics?: unknown } | null | undefined;
  if (!image || typeof image !== 'object' || image.intrinsics !== undefined) return doc;
  if (!(Number.isInteger(image.width) && Number.isInteger(image.height) && (image.width as number) > 0))
    throw new CamtrackError('bad-file', 'This version-3 project is damaged: its photo has no valid width and height.');
  return { ...doc, image: withPhotoCamera(image as { width: number; height: number }) };
};

/** The mesh warp: a version-3 project was warped by splatting, so it keeps `render.warp: 'splat'`. */
export const migrate3to4Warp: Step = (doc) => {
  const render = doc.render;
  if (typeof render !== 'object' || render === null || Array.isArray(render)) return doc;
  return { ...doc, render: { warp: 'splat', ...(render as Record<string, unknown>) } };
};

export const MIGRATE_3_TO_4: readonly Step[] = [
  migrate3to4DepthShapes,
  migrate3to4Fidelity,
  migrate3to4SourceCamera,
  migrate3to4Warp,
];

function migrateV3toV4(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new CamtrackError('bad-file', 'This version-3 project is damaged: it is not a JSON object.');
  const doc = MIGRATE_3_TO_4.reduce((d, step) => step(d), raw as Record<string, unknown>);
  return { ...doc, schemaVersion: 4 };
}

/** MIGRATIONS[n]: version n -> n + 1. There must be one for every n below PROJECT_SCHEMA_VERSION. */
export const MIGRATIONS: Readonly<Record<number, (doc: unknown) => unknown>> = {
  0: migrateV0toV1,
  1: migrateV1toV2,
  2: migrateV2toV3,
  3: migrateV3toV4,
};

/**
 * Brings a parsed document of version `from` up to PROJECT_SCHEMA_VERSION (not validated against
 * the current schema: the caller does that).
 */
export function migrateToCurrent(raw: unknown, from: number): unknown {
  let doc = raw;
  for (let v = from; v < PROJECT_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step)
      throw new CamtrackError(
        'bad-file',
        `Projects of schema version ${v} cannot be read by this build (no migration from version ${v}).`,
      );
    doc = step(doc);
  }
  return doc;
}
