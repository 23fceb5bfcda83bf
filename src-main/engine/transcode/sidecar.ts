import { promises as fs } from 'node:fs';
import { z } from '../util/zod';
import { SidecarOutput } from '../render/sidecar';
import { CamtrackError } from '../util/errors';

/**
 * The sidecar of an export (`clip-24fps.webm.json` beside `clip-24fps.webm`): it points to the render
 * it was made from (the render's own sidecar holds everything that made the frames), says where the
 * frames were read from, and records the frame interpolation when the export changed the rate.
 * Kept apart from the render sidecar: an export has no track or lambda table of its own, and its
 * frame count is not the track's when it was interpolated.
 */
export const EXPORT_SIDECAR_KIND = 'camtrack-export';
export const EXPORT_SIDECAR_VERSION = 1;

const PlainFile = z
  .string()
  .min(1)
  .refine((f) => !/[\\/]/.test(f) && f !== '.' && f !== '..', 'must be a plain file name');
const positive = z
  .number()
  .refine(Number.isFinite, 'must be a finite number')
  .refine((v) => v > 0, 'must be > 0');

/** Where an export read its frames: the lossless master, the render's PNG frames (both exact), or its video (lossy). */
export const ExportReadFrom = z.enum(['master', 'png', 'video']);
export type ExportReadFrom = z.infer<typeof ExportReadFrom>;

export const ExportSidecar = z.object({
  kind: z.literal(EXPORT_SIDECAR_KIND),
  sidecarVersion: z.literal(EXPORT_SIDECAR_VERSION),
  app: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time'),
  output: SidecarOutput,
  /** The render exported, beside this file: its output and its sidecar. */
  source: z.object({
    render: PlainFile,
    sidecar: PlainFile,
    frames: z.number().int().min(1),
    fps: positive,
    readFrom: ExportReadFrom,
    /** False only when read from a video (the render kept no master): one more lossy generation. */
    lossless: z.boolean(),
  }),
  /** Null: the render's own frames at its own rate. */
  interpolation: z
    .object({ method: z.literal('minterpolate'), fromFps: positive, toFps: positive, filter: z.string().min(1) })
    .nullable(),
});
export type ExportSidecar = z.infer<typeof ExportSidecar>;

export async function readExportSidecar(file: string): Promise<ExportSidecar> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new CamtrackError('bad-file', `${file} is not a readable export sidecar: ${(e as Error).message}`);
  }
  const r = ExportSidecar.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new CamtrackError('bad-file', `${file} is not a valid export sidecar: ${i.path.join('.')}: ${i.message}.`);
  }
  return r.data;
}
