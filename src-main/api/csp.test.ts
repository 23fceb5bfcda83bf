import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../test/fixtures';
import { startServer } from '../server/serve';
import { contentSecurityPolicy, contentSecurityPolicyHeader, withCspMeta } from './csp';

/** Issue 12, item 11: connect-src names the bridge's own port in browser mode and is 'self' only under Electron. */
const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));
const metaOf = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];

describe('content security policy', () => {
  it("is connect-src 'self' only under Electron and names one port in browser mode", () => {
    expect(directive(contentSecurityPolicy({ kind: 'electron' }), 'connect-src')).toBe("connect-src 'self'");
    expect(directive(contentSecurityPolicy({ kind: 'browser', port: 5123 }), 'connect-src')).toBe(
      "connect-src 'self' ws://127.0.0.1:5123 ws://localhost:5123",
    );
    for (const p of [
      contentSecurityPolicyHeader({ kind: 'electron' }),
      contentSecurityPolicyHeader({ kind: 'browser', port: 5123 }),
    ]) {
      expect(p).not.toContain('*');
      expect(directive(p, 'default-src')).toBe("default-src 'self'");
      expect(directive(p, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    }
    expect(() => contentSecurityPolicy({ kind: 'browser', port: 0 })).toThrow(/port/);
  });

  it('is built into the page as the strict Electron policy (no ws://127.0.0.1:*)', () => {
    const html = readFileSync(path.join(REPO_ROOT, 'src-renderer', 'index.html'), 'utf8');
    expect(metaOf(html)).toBe(contentSecurityPolicy({ kind: 'electron' }));
    const rewritten = withCspMeta(html, 'x');
    expect(metaOf(rewritten)).toBe('x');
    expect(rewritten.replace(/content="x"/, '')).toBe(html.replace(/content="[^"]*default-src[^"]*"/, ''));
    expect(withCspMeta('<title>no tag</title>', 'x')).toBe('<title>no tag</title>');
  });

  it('is served by camtrack serve with its own port, in the header and in the page', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'csp-'));
    const ui = path.join(base, 'ui');
    mkdirSync(ui);
    writeFileSync(path.join(ui, 'index.html'), readFileSync(path.join(REPO_ROOT, 'src-renderer', 'index.html')));
    writeFileSync(path.join(ui, 'app.js'), 'export {};');
    const server = await startServer({
      workspace: path.join(base, 'ws'),
      appDataDir: path.join(base, 'data'),
      rendererDir: ui,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/`);
      const header = res.headers.get('content-security-policy') ?? '';
      const page = await res.text();
      const expected = `connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`;
      expect(directive(header, 'connect-src')).toBe(expected);
      expect(directive(metaOf(page) ?? '', 'connect-src')).toBe(expected);
      expect(header).not.toContain('*');
      // Scripts carry no policy of their own and are served unchanged.
      const js = await fetch(`http://127.0.0.1:${server.port}/app.js`);
      expect(js.headers.get('content-security-policy')).toBeNull();
      expect(await js.text()).toBe('export {};');
    } finally {
      await server.close();
      rmSync(base, { recursive: true, force: true });
    }
  });
});
