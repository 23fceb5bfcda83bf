import type { z } from 'zod';

/** `['track', 'keyframes', 0, 'fovY']` -> `track.keyframes[0].fovY`; the root is `(root)`. */
export function jsonPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out || '(root)';
}

/** The first `max` issues, each with its JSON path: "track.fps: fps must be in (0, 240]; ...". */
export function formatIssues(issues: readonly z.core.$ZodIssue[], max = 4): string {
  const shown = issues.slice(0, max).map((i) => `${jsonPath(i.path)}: ${i.message}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return `${shown.join('; ')}${more}.`;
}
