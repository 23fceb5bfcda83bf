/**
 * What the Import video dialog checks before anything is sent to the engine (pure, so it is
 * testable without a browser): a video, depth files of one kind ordered naturally by name, a
 * positive unit scale, and a total size the browser bridge carries (its messages are base64 JSON
 * up to 128 MiB); bigger clips go through the command line, which reads the files in place.
 */
export const MAX_IMPORT_BYTES = 80 * 1024 * 1024;
const DEPTH_FILE = /\.(npy|png)$/i;
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface PickedFile {
  name: string;
  size: number;
}

export interface ImportCheck<F extends PickedFile> {
  /** The depth files to send, in frame order. */
  depth: F[];
  /** Why the import cannot start yet; null when it can. */
  problem: string | null;
  /** A line describing the selection. */
  summary: string;
}

export function checkVideoImport<F extends PickedFile>(
  video: F | null,
  picked: readonly F[],
  scale: number,
): ImportCheck<F> {
  const depth = picked
    .filter((f) => DEPTH_FILE.test(f.name) && !f.name.startsWith('.'))
    .sort((a, b) => natural.compare(a.name, b.name));
  const kinds = new Set(depth.map((f) => f.name.slice(f.name.lastIndexOf('.')).toLowerCase()));
  const bytes = (video?.size ?? 0) + depth.reduce((s, f) => s + f.size, 0);
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const summary = `${video ? video.name : 'no video'} · ${depth.length} depth file${depth.length === 1 ? '' : 's'}${depth.length ? ` (${depth[0].name} … ${depth[depth.length - 1].name})` : ''} · ${mb(bytes)}`;
  let problem: string | null = null;
  if (!video) problem = 'Choose a video file.';
  else if (picked.length === 0) problem = 'Choose the folder with one depth file per frame.';
  else if (depth.length === 0) problem = 'The depth folder holds no .npy or .png files.';
  else if (kinds.size > 1) problem = 'The depth folder mixes .npy and .png files; use one kind.';
  else if (!(Number.isFinite(scale) && scale > 0)) problem = 'The depth unit scale must be a positive number.';
  else if (bytes > MAX_IMPORT_BYTES)
    problem = `The video and its depth are ${mb(bytes)}, more than the studio sends at once (${mb(MAX_IMPORT_BYTES)}). Make the project with the command line: npx camtrack project new NAME --video ${video.name} --video-depth DIR, then open it.`;
  return { depth, problem, summary };
}
