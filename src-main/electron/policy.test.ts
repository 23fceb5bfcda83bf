import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../test/fixtures';
import { EXTERNAL_HOSTS, isAllowedExternalUrl, isPermissionAllowed, resolveAppRequest } from './policy';

/** Issue 12, item 11: the Electron shell's decisions, tested in plain Node (no Electron binary here). */
describe('external links', () => {
  it('opens https links to the listed hosts only', () => {
    expect(EXTERNAL_HOSTS).toEqual(['github.com', 'huggingface.co']);
    for (const ok of [
      'https://huggingface.co/stabilityai/stable-video-diffusion-img2vid-xt',
      'https://github.com/x/y#readme',
      'https://docs.github.com/en',
      'https://HuggingFace.co/a',
    ]) {
      expect(isAllowedExternalUrl(ok), ok).toBe(true);
    }
    const refused = [
      'https://evil.example/', // any https site (the old rule)
      'https://github.com.evil.example/', // a look-alike host
      'https://evilgithub.com/',
      'http://github.com/', // not https
      'https://user:pw@github.com/', // credentials
      'https://github.com:8443/', // another port
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://github.com/share',
      'not a url',
      '',
    ];
    for (const bad of refused) expect(isAllowedExternalUrl(bad), bad).toBe(false);
  });
});

describe('permissions', () => {
  it('denies every permission but clipboard writes from the studio page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://studio/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://studio')).toBe(true);
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'pointerLock',
    ]) {
      expect(isPermissionAllowed(p, 'app://studio/index.html'), p).toBe(false);
    }
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://other/')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', '%%%')).toBe(false);
  });
});

describe('app:// requests', () => {
  const dir = path.resolve('/opt/studio/renderer');
  it('maps studio URLs to files inside the renderer folder', () => {
    expect(resolveAppRequest('app://studio/index.html', dir)).toEqual({ ok: true, file: path.join(dir, 'index.html') });
    expect(resolveAppRequest('app://studio/', dir)).toEqual({ ok: true, file: path.join(dir, 'index.html') });
    expect(resolveAppRequest('app://studio/assets/a%20b.js?v=1', dir)).toEqual({
      ok: true,
      file: path.join(dir, 'assets', 'a b.js'),
    });
  });

  it('answers a malformed % escape with 400 instead of throwing', () => {
    // decodeURIComponent threw here inside the old protocol handler.
    expect(() => decodeURIComponent(new URL('app://studio/%E0%A4%A').pathname)).toThrow(URIError);
    for (const u of ['app://studio/%E0%A4%A', 'app://studio/%', 'app://studio/%zz.js', 'app://studio/a%00.js']) {
      expect(resolveAppRequest(u, dir), u).toMatchObject({ ok: false, status: 400 });
    }
    expect(resolveAppRequest('::not a url', dir)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses other hosts and paths that leave the folder with 403', () => {
    // The URL parser drops dot segments (also written %2e%2e): they stay inside.
    expect(resolveAppRequest('app://studio/%2e%2e/%2e%2e/etc/passwd', dir)).toEqual({
      ok: true,
      file: path.join(dir, 'etc', 'passwd'),
    });
    for (const u of [
      'app://evil/index.html',
      'app://studio/..%2F..%2Fetc%2Fpasswd',
      'app://studio/%2F..%2Fsecret',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppRequest(u, dir), u).toMatchObject({ ok: false, status: 403 });
    }
  });
});

describe('main.ts wiring', () => {
  // main.ts cannot run without Electron: check that it hands its decisions to the functions above.
  const main = readFileSync(path.join(REPO_ROOT, 'src-main', 'electron', 'main.ts'), 'utf8');
  it('uses the permission check, the link allow-list, the request resolver and the Electron CSP', () => {
    expect(main).toMatch(
      /setPermissionCheckHandler\(\(_wc, permission, requestingOrigin\) =>\s*isPermissionAllowed\(permission, requestingOrigin\),?\s*\)/,
    );
    expect(main).toMatch(/setPermissionRequestHandler\([^]*?callback\(isPermissionAllowed\(/);
    expect(main).toMatch(/if \(isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\)/);
    expect(main.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(main).toMatch(/resolveAppRequest\(request\.url, rendererDir\)/);
    expect(main).not.toMatch(/decodeURIComponent/);
    expect(main).toMatch(/contentSecurityPolicyHeader\(\{ kind: 'electron' \}\)/);
  });
});
