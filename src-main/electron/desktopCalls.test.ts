import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterEngineCall, type Desktop } from './desktopCalls';

function fakeDesktop() {
  const shown: string[] = [];
  let menus = 0;
  let saves = 0;
  const desktop: Desktop = {
    showItemInFolder: (p) => shown.push(p),
    refreshMenu: () => (menus += 1),
    projectSaved: () => (saves += 1),
  };
  return { desktop, shown, menus: () => menus, saves: () => saves };
}

describe('the desktop follow-ups of engine calls (main process)', () => {
  it('shows a revealed file in its folder and says so', () => {
    const d = fakeDesktop();
    const value = afterEngineCall('file.reveal', { path: '/w/p.camtrack/renders/a.mp4', revealed: false }, d.desktop);
    expect(value).toEqual({ path: '/w/p.camtrack/renders/a.mp4', revealed: true });
    expect(d.shown).toEqual(['/w/p.camtrack/renders/a.mp4']);
    expect(d.menus()).toBe(0);
  });

  it('rebuilds the menu (Open Recent) after a save or an open, tells of a save, and passes the answer through', () => {
    const d = fakeDesktop();
    const saved = { dir: '/w/p.camtrack' };
    expect(afterEngineCall('project.save', saved, d.desktop)).toBe(saved);
    expect(d.saves()).toBe(1);
    afterEngineCall('project.open', {}, d.desktop);
    expect(d.menus()).toBe(2);
    expect(d.saves()).toBe(1);
  });

  it('leaves every other call alone, and a method that is not a string', () => {
    const d = fakeDesktop();
    const value = { anything: 1 };
    expect(afterEngineCall('render.queue', value, d.desktop)).toBe(value);
    expect(afterEngineCall(42, value, d.desktop)).toBe(value);
    expect(afterEngineCall('toString', value, d.desktop)).toBe(value);
    expect(d.shown).toEqual([]);
    expect(d.menus()).toBe(0);
    expect(d.saves()).toBe(0);
  });

  it("main.ts's IPC handler is generic: it names no method and hands every answer to afterEngineCall", () => {
    const main = readFileSync(path.join(import.meta.dirname, 'main.ts'), 'utf8');
    const handler = main.slice(main.indexOf('ipcMain.handle(CHANNEL_CALL'), main.indexOf('await buildMenu();'));
    expect(handler).toMatch(/afterEngineCall\(method, value, desktop\)/);
    expect(handler).not.toMatch(/method ===/);
    expect(main).not.toMatch(/'file\.reveal'|'project\.save'|'project\.open'/);
  });
});
