import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from './serve';
import { connectBridge } from '../test/bridgeClient';

/** The bridge client, with `call` answering the raw result message (these tests look at errors). */
function connect(url: string, headers: Record<string, string> = {}) {
  const c = connectBridge(url, headers);
  return { ws: c.ws, events: c.events, opened: c.opened, call: c.send };
}

function get(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('browser-mode server', () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'serve-'));
    const ui = path.join(base, 'ui');
    mkdirSync(ui);
    writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
    server = await startServer({
      workspace: path.join(base, 'ws'),
      appDataDir: path.join(base, 'data'),
      rendererDir: ui,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only and serves the UI to the right Host', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    await expect(get(server.port, `127.0.0.1:${server.port}`)).resolves.toBe(200);
    // DNS rebinding: a foreign Host header is refused.
    await expect(get(server.port, `evil.example:${server.port}`)).resolves.toBe(421);
  });

  it('refuses the bridge without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/api`;
    await expect(connect(base).opened).rejects.toThrow(/403/);
    await expect(connect(`${base}?token=${'x'.repeat(32)}`).opened).rejects.toThrow(/403/);
    await expect(connect(`${base}?token=${server.token}`, { origin: 'https://evil.example' }).opened).rejects.toThrow(
      /403/,
    );
  });

  it('answers calls, validates inputs and keeps files inside the workspace', async () => {
    const c = connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    await c.opened;
    const info = await c.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser' } });
    const bad = await c.call('lambda.default', { steps: -1, frames: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/steps/);
    const outside = await c.call('project.open', { path: '/etc' });
    expect(outside).toMatchObject({ ok: false, error: { code: 'permission' } });
    c.ws.close();
  });

  it('restarts a crashed engine, failing the call in flight with a clear message', async () => {
    const c = connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    await c.opened;
    await c.call('app.info', {});
    const before = server.relay.pid;
    const inFlight = c.call('project.new', {});
    server.relay.crashForTest();
    const r = await inFlight;
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/stopped unexpectedly.*restarted/);
    await expect.poll(() => c.events.some((e) => e.event === 'engine.restarted'), { timeout: 10_000 }).toBe(true);
    expect(server.relay.pid).not.toBe(before);
    await expect(c.call('app.info', {})).resolves.toMatchObject({ ok: true });
    c.ws.close();
  });
});
