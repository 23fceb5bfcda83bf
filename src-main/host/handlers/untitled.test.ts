import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineService } from '../service';
import type { ApiOutputs } from '../../api/contract';
import { tempDir } from '../../test/tmp';

/** Never-saved projects: their autosave in the app data folder is offered back at the next start. */
function service(base: string) {
  return createEngineService(
    { mode: 'browser', appDataDir: path.join(base, 'data'), workspace: path.join(base, 'ws') },
    () => undefined,
  );
}

describe('Untitled projects survive a closed window', () => {
  it('offers the newest Untitled autosave at the next start; declining deletes it', async () => {
    const base = tempDir('camtrack-untitled-');
    const first = service(base);
    const a = (await first.handle('project.new', {})) as ApiOutputs['project.new'];
    const b = (await first.handle('project.new', {})) as ApiOutputs['project.new'];
    await first.handle('project.autosave', { project: a.dir, doc: { ...a.doc, name: 'Older' } });
    await new Promise((r) => setTimeout(r, 20));
    await first.handle('project.autosave', { project: b.dir, doc: { ...b.doc, name: 'Street at dusk' } });

    // The next start (a new engine on the same app data folder).
    const next = service(base);
    const resumed = (await next.handle('project.new', { resumeUntitled: true })) as ApiOutputs['project.new'];
    expect(resumed.dir).toBe(b.dir);
    expect(resumed.path).toBeNull();
    expect(resumed.autosave?.doc.name).toBe('Street at dusk');
    // Without resumeUntitled (File > New) nothing is offered.
    expect(((await next.handle('project.new', {})) as ApiOutputs['project.new']).autosave).toBeUndefined();

    const fresh = (await next.handle('project.new', { discardUntitled: b.dir })) as ApiOutputs['project.new'];
    expect(fresh.autosave).toBeUndefined();
    expect(existsSync(b.dir)).toBe(false);
    expect(
      ((await next.handle('project.new', { resumeUntitled: true })) as ApiOutputs['project.new']).autosave?.doc.name,
    ).toBe('Older');
    // Only folders inside the app's Untitled area can be discarded this way.
    mkdirSync(path.join(base, 'ws'), { recursive: true });
    await next.handle('project.new', { discardUntitled: path.join(base, 'ws') });
    expect(existsSync(path.join(base, 'ws'))).toBe(true);
  });

  it('once saved somewhere, the Untitled working folder is gone and not offered again', async () => {
    const base = tempDir('camtrack-untitled-');
    const svc = service(base);
    const a = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    await svc.handle('project.autosave', { project: a.dir, doc: a.doc });
    const saved = (await svc.handle('project.save', {
      project: a.dir,
      doc: a.doc,
      path: path.join(base, 'ws', 'Shot'),
    })) as ApiOutputs['project.save'];
    expect(existsSync(path.join(saved.dir, 'project.json'))).toBe(true);
    expect(existsSync(a.dir)).toBe(false);
    expect(
      ((await svc.handle('project.new', { resumeUntitled: true })) as ApiOutputs['project.new']).autosave,
    ).toBeUndefined();
  });
});

describe('a reload reopens the session', () => {
  it('project.resume reopens a never-saved working folder with the document given, offering a newer autosave', async () => {
    const base = tempDir('camtrack-untitled-');
    const svc = service(base);
    const a = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    const named = { ...a.doc, name: 'Street' };
    // No autosave: the document comes back as it was given, clean.
    const same = (await svc.handle('project.resume', { dir: a.dir, doc: named })) as ApiOutputs['project.resume'];
    expect(same).toMatchObject({ dir: a.dir, path: null });
    expect(same.doc.name).toBe('Street');
    expect(same.autosave).toBeUndefined();
    // Edits since were autosaved: offered back.
    await svc.handle('project.autosave', { project: a.dir, doc: { ...named, name: 'Street at dusk' } });
    const edited = (await svc.handle('project.resume', { dir: a.dir, doc: named })) as ApiOutputs['project.resume'];
    expect(edited.autosave?.doc.name).toBe('Street at dusk');
    // Undone back to the saved state: the autosave is dropped and nothing is offered.
    expect(await svc.handle('project.discardAutosave', { project: a.dir })).toEqual({ discarded: true });
    expect(
      ((await svc.handle('project.resume', { dir: a.dir, doc: named })) as ApiOutputs['project.resume']).autosave,
    ).toBeUndefined();
  });

  it('refuses a folder that is gone or outside the Untitled area, naming it, and a document from a newer version', async () => {
    const base = tempDir('camtrack-untitled-');
    const svc = service(base);
    const a = (await svc.handle('project.new', {})) as ApiOutputs['project.new'];
    const gone = path.join(path.dirname(a.dir), 'Gone.camtrack');
    await expect(svc.handle('project.resume', { dir: gone, doc: a.doc })).rejects.toMatchObject({
      code: 'not-found',
      message: `The unsaved project in ${gone} is no longer there to reopen.`,
    });
    mkdirSync(path.join(base, 'ws'), { recursive: true });
    await expect(svc.handle('project.resume', { dir: path.join(base, 'ws'), doc: a.doc })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(svc.handle('project.resume', { dir: a.dir, doc: { schemaVersion: 99 } })).rejects.toMatchObject({
      message: expect.stringMatching(/newer/i),
    });
  });
});
