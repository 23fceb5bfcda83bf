import type { Handlers } from '../context';
import { exportCameraPath, importCameraPath, stringifyCameraPath } from '../../engine/camera/nerfstudio';
import { parseTrack, stringifyTrack } from '../../engine/camera/track-json';
import { validateTrack } from '../../engine/camera/keyframes';
import { Track } from '../../engine/project/schema';
import { CamtrackError } from '../../engine/util/errors';
import { renderIntrinsics, sourceFovY } from '../../engine/camera/intrinsics';
import { withSourceFovY } from '../../engine/camera/edit';

/**
 * Track files: nerfstudio's camera_path.json and the studio's own track JSON, as text (the UI
 * reads and writes the files: a picker and a download link in the browser, dialogs in Electron).
 * The track's source camera is the render-size camera of the photo, as for the render.
 */

/** What kind of track file some JSON text is, from its content (never its name). */
export function sniffTrackText(text: string): 'nerfstudio' | 'camtrack' {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CamtrackError(
      'bad-file',
      `This file is not JSON (${(e as Error).message}); a track is a nerfstudio camera_path.json or a Camtrack track file.`,
    );
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    if ('camera_path' in doc) return 'nerfstudio';
    if ('format' in doc || 'keyframes' in doc) return 'camtrack';
  }
  throw new CamtrackError(
    'bad-file',
    'This JSON is neither a nerfstudio camera_path.json (no "camera_path" list) nor a Camtrack track file (no "format" or "keyframes").',
  );
}

/** The imported track as the project schema accepts it, or a 'bad-file' error naming the first problems. */
function checkedTrack(track: Track): Track {
  const r = Track.safeParse(track);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(track)'}: ${i.message}`);
    throw new CamtrackError('bad-file', `The imported track is not valid: ${issues.join('; ')}.`);
  }
  try {
    validateTrack(r.data);
  } catch (e) {
    throw new CamtrackError('bad-file', `The imported track is not valid: ${(e as Error).message}`, { cause: e });
  }
  return r.data;
}

const fovText = (deg: number) => `${+deg.toFixed(1)}°`;

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'track';

export const trackHandlers: Handlers = {
  async 'track.import'(input) {
    const kind = sniffTrackText(input.text);
    const notes: string[] = [];
    if (kind === 'camtrack') {
      const track = checkedTrack(parseTrack(input.text));
      notes.push(`${track.keyframes.length} keys, ${track.numFrames} frames at ${track.fps} fps`);
      return { track, notes };
    }
    const imported = importCameraPath(input.text, { width: input.doc.render.width, height: input.doc.render.height });
    const track = checkedTrack(imported.track);
    const source = imported.source;
    notes.push(`${track.numFrames} cameras at ${+track.fps.toFixed(3)} fps`, ...imported.notes);
    if (source.width / source.height !== input.doc.render.width / input.doc.render.height) {
      notes.push(
        `it was made for ${source.width}x${source.height}, the render is ${input.doc.render.width}x${input.doc.render.height}`,
      );
    }
    if (!input.doc.image) return { track, notes };
    // Its first camera took the photo: the photo's camera takes its field of view, so frame 0 and frame 1 agree.
    const before = sourceFovY(input.doc);
    const { image } = withSourceFovY({ ...input.doc, track }, track.keyframes[0].fovY);
    const after = sourceFovY({ ...input.doc, image });
    const was = Math.abs(after - before) > 0.05 ? `, was ${fovText(before)}` : '';
    notes.push(`the photo's camera is its first camera (${fovText(after)} vertical${was})`);
    return { track, notes, image: image! };
  },

  async 'track.export'(input) {
    const { doc } = input;
    if (input.format === 'camtrack') {
      return {
        fileName: `${safeName(doc.name)}.track.json`,
        mime: 'application/json',
        text: stringifyTrack(doc.track),
      };
    }
    const { intrinsics } = renderIntrinsics(doc);
    return {
      fileName: 'camera_path.json',
      mime: 'application/json',
      text: stringifyCameraPath(exportCameraPath(doc.track, intrinsics)),
    };
  },
};
