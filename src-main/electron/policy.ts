import path from 'node:path';
import { APP_ORIGIN } from './channels';

/**
 * The Electron shell's security decisions as pure functions (main.ts wires them to Electron's
 * hooks; the tests run them in plain Node, where there is no Electron binary).
 */

/** Hosts a link in the studio may open in the system browser (the model hub, the code and its docs). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'huggingface.co'];

/**
 * Whether `url` may be handed to shell.openExternal: https only, to a listed host or one of its
 * subdomains, with no credentials in it. Anything else (file:, custom schemes that start other
 * programs, http, look-alike hosts such as github.com.evil.example) is refused.
 */
export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  const host = u.hostname.toLowerCase();
  return EXTERNAL_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

/**
 * The one permission the studio page uses: writing plain text to the clipboard (copying lambda
 * cells), and only from its own origin. Every other permission (camera, microphone, geolocation,
 * notifications, HID, serial, ...) is refused, for checks and requests alike.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || !requestingUrl) return false;
  return originOf(requestingUrl) === APP_ORIGIN;
}

/** scheme://host of a URL; Node's URL gives "null" as the origin of a scheme it does not know (app:), so it is built here. */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export type AppRequest = { ok: true; file: string } | { ok: false; status: 400 | 403; reason: string };

/**
 * The file an app://studio/... request names inside `rendererDir`, or the status to answer:
 * 400 for a URL that cannot be read (malformed percent escapes, a NUL), 403 for another host or a
 * path that leaves the folder. Never throws.
 */
export function resolveAppRequest(requestUrl: string, rendererDir: string): AppRequest {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (originOf(requestUrl) !== APP_ORIGIN) return { ok: false, status: 403, reason: 'not the studio origin' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'a malformed percent escape' };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400, reason: 'a NUL in the path' };
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(root + path.sep)) return { ok: false, status: 403, reason: 'outside the studio folder' };
  return { ok: true, file };
}
