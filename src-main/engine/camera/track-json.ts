import { Track } from '../project/schema';
import { CamtrackError } from '../util/errors';
import { validateTrack } from './keyframes';

/**
 * The project's own track file: `{ "format": "camtrack-track", "version": 1, "track": Track }`.
 * Reading also accepts a bare Track object (as found inside a project document).
 */

export const TRACK_FILE_FORMAT = 'camtrack-track';
export const TRACK_FILE_VERSION = 1;

export function stringifyTrack(track: Track): string {
  validateTrack(track);
  return `${JSON.stringify({ format: TRACK_FILE_FORMAT, version: TRACK_FILE_VERSION, track }, null, 2)}\n`;
}

/** Parses and validates track JSON; a CamtrackError ('bad-file' or 'newer-version') names the first problems. */
export function parseTrack(text: string): Track {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError('bad-file', `This track file is not JSON: ${(e as Error).message}`);
  }
  let body = doc;
  if (typeof doc === 'object' && doc !== null && 'format' in doc) {
    const env = doc as { format: unknown; version?: unknown; track?: unknown };
    if (env.format !== TRACK_FILE_FORMAT)
      throw new CamtrackError(
        'bad-file',
        `This is not a Camtrack track file (format ${JSON.stringify(env.format) ?? String(env.format)}).`,
      );
    if (typeof env.version === 'number' && env.version > TRACK_FILE_VERSION) {
      throw new CamtrackError(
        'newer-version',
        `This track file was written by a newer Camtrack Studio (version ${env.version}); update to open it.`,
      );
    }
    body = env.track;
  }
  const r = Track.safeParse(body);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(track)'}: ${i.message}`);
    throw new CamtrackError('bad-file', `This track file is not valid: ${issues.join('; ')}.`);
  }
  try {
    validateTrack(r.data);
  } catch (e) {
    throw new CamtrackError('bad-file', `This track file is not valid: ${(e as Error).message}`, { cause: e });
  }
  return r.data;
}
