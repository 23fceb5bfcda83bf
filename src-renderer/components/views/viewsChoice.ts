/**
 * What "New project from views…" sends of a chosen folder (pure): the folder's names are the
 * browser's webkitRelativePath ('folder/sub/file'). A nerfstudio transforms.json sends itself and
 * the photos and depth files beside or below it; an MVSNet folder sends the chosen views' camera,
 * photo and depth only (a DTU scan has 49 views of several MB each). The engine reads nothing else.
 */
export type ViewSet =
  { format: 'transforms'; root: string; transforms: string } | { format: 'mvsnet'; root: string; views: number[] };

/** The most one import sends: the WebSocket bridge's message limit is 128 MiB, with room for the encoding. */
export const MAX_IMPORT_BYTES = 120 * 1024 * 1024;

const DATA = /\.(png|jpe?g|webp|npy|pfm|tiff?)$/i;
const CAM = /^(\d+)_cam\.txt$/i;

const dirOf = (n: string) => (n.includes('/') ? n.slice(0, n.lastIndexOf('/')) : '');
const baseOf = (n: string) => n.slice(n.lastIndexOf('/') + 1);
const under = (root: string, n: string) => root === '' || n.startsWith(root + '/');
const depth = (n: string) => n.split('/').length;

/** The view set in a folder's names: the shallowest transforms.json, else the shallowest folder holding cams/NNNNNNNN_cam.txt. */
export function findViewSet(names: readonly string[]): ViewSet | null {
  const sorted = [...names].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const transforms = sorted.find((n) => baseOf(n) === 'transforms.json');
  if (transforms) return { format: 'transforms', root: dirOf(transforms), transforms };
  const cam = sorted.find((n) => CAM.test(baseOf(n)) && baseOf(dirOf(n)) === 'cams');
  if (!cam) return null;
  const root = dirOf(dirOf(cam));
  const views = names
    .filter((n) => dirOf(n) === (root ? `${root}/cams` : 'cams'))
    .map((n) => CAM.exec(baseOf(n)))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  return { format: 'mvsnet', root, views: [...new Set(views)] };
}

/** The names to send: for MVSNet only the files of `chosen` views (camera, photo, depth). */
export function namesToSend(names: readonly string[], set: ViewSet, chosen: readonly number[] = []): string[] {
  if (set.format === 'transforms')
    return names.filter((n) => n === set.transforms || (under(set.root, n) && DATA.test(n)));
  const want = new Set(chosen);
  const sub = (s: string) => (set.root ? `${set.root}/${s}` : s);
  return names.filter((n) => {
    const m = /^0*(\d+)/.exec(baseOf(n));
    if (!m || !want.has(Number(m[1]))) return false;
    const d = dirOf(n);
    return (
      (d === sub('cams') && CAM.test(baseOf(n))) ||
      (d === sub('images') && /^\d+\.(jpe?g|png|webp)$/i.test(baseOf(n))) ||
      (d === sub('depths') && /^\d+(_init)?\.(pfm|npy)$/i.test(baseOf(n)))
    );
  });
}
