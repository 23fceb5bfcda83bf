/**
 * The studio page's Content-Security-Policy, for its two shells. Everything but connect-src is the
 * same: in browser mode the page talks to the engine over the bridge's WebSocket, so connect-src
 * names that one port (not every local port); under Electron the page talks over IPC and needs
 * no connection at all beyond its own origin.
 */
export type CspMode = { kind: 'electron' } | { kind: 'browser'; port: number };

const BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export function contentSecurityPolicy(mode: CspMode): string {
  let connect = "connect-src 'self'";
  if (mode.kind === 'browser') {
    if (!Number.isInteger(mode.port) || mode.port < 1 || mode.port > 65535)
      throw new Error(`Not a TCP port: ${mode.port}`);
    // The bridge answers on both names (its Host check allows both).
    connect += ` ws://127.0.0.1:${mode.port} ws://localhost:${mode.port}`;
  }
  const directives = [...BASE.slice(0, 5), connect, ...BASE.slice(5)];
  // frame-ancestors is ignored in a <meta> policy; the header carries it.
  return directives.join('; ');
}

/** The policy as an HTTP header value (adds what only a header can say). */
export function contentSecurityPolicyHeader(mode: CspMode): string {
  return `${contentSecurityPolicy(mode)}; frame-ancestors 'none'`;
}

const META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i;

/**
 * index.html with its CSP <meta> set to `policy`. The page is built with the strict (Electron)
 * policy; browser mode rewrites it with the bridge's port. A page without the tag is returned as
 * it is: the header sent with it carries the same policy.
 */
export function withCspMeta(html: string, policy: string): string {
  return html.replace(META, (_m, open: string, close: string) => `${open}${policy}${close}`);
}
