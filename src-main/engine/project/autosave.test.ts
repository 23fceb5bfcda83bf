import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Autosaver, writeAutosave, readAutosave, discardAutosave, untitledDir } from './autosave';
import { createProject } from './create';
import { CamtrackError } from '../util/errors';
import type { ProjectDoc } from './schema';

describe('Autosaver (fake clock)', () => {
  let doc: ProjectDoc;
  let saves: { at: number; name: string }[];
  let saver: Autosaver;
  const T0 = Date.parse('2026-04-01T12:00:00Z');

  function edit(name: string): void {
    doc = { ...doc, name };
    saver.changed();
  }

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    doc = createProject('v0');
    saves = [];
    saver = new Autosaver({
      getDoc: () => doc,
      save: async (d) => {
        saves.push({ at: Date.now() - T0, name: d.name });
      },
      debounceMs: 2000,
      minIntervalMs: 10_000,
      maxWaitMs: 30_000,
    });
  });
  afterEach(() => {
    saver.dispose();
    vi.useRealTimers();
  });

  it('saves 2 s after the last of a burst of changes, once, with the latest document', async () => {
    edit('a');
    await vi.advanceTimersByTimeAsync(1000);
    edit('b');
    await vi.advanceTimersByTimeAsync(1500);
    expect(saves).toEqual([]); // 1.5 s after the last change
    edit('c');
    await vi.advanceTimersByTimeAsync(1999);
    expect(saves).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves).toEqual([{ at: 4500, name: 'c' }]);
    expect(saver.pending).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves).toHaveLength(1); // nothing changed: no more saves
  });

  it('never saves more often than minInterval', async () => {
    edit('a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves.map((s) => s.at)).toEqual([2000]);
    edit('b'); // at 2 s: debounce says 4 s, but the previous save was at 2 s: wait until 12 s
    await vi.advanceTimersByTimeAsync(9999);
    expect(saves).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves).toEqual([
      { at: 2000, name: 'a' },
      { at: 12_000, name: 'b' },
    ]);
  });

  it('under continuous changes still saves maxWait after the first unsaved one', async () => {
    for (let t = 0; t < 70_000; t += 500) {
      edit(`e${t}`);
      await vi.advanceTimersByTimeAsync(500);
    }
    // First change at 0: saved at 30 s; the next change comes at 30 s and is saved 30 s later.
    expect(saves.map((s) => s.at)).toEqual([30_000, 60_000]);
    expect(saves[0].name).toBe('e29500');
  });

  it('does not write a document identical to the last one saved', async () => {
    edit('a');
    await vi.advanceTimersByTimeAsync(2000);
    saver.changed(); // a change notification with no real change (e.g. undo then redo)
    await vi.advanceTimersByTimeAsync(20_000);
    expect(saves).toHaveLength(1);
  });

  it('flush saves a pending change at once; dispose drops future ones', async () => {
    edit('a');
    await saver.flush();
    expect(saves).toEqual([{ at: 0, name: 'a' }]);
    edit('b');
    saver.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves).toHaveLength(1);
  });

  it('retries a failed save after minInterval and reports the error', async () => {
    const errors: unknown[] = [];
    let fail = true;
    saver.dispose();
    saver = new Autosaver({
      getDoc: () => doc,
      save: async (d) => {
        if (fail) throw new CamtrackError('disk-full', 'The disk is full');
        saves.push({ at: Date.now() - T0, name: d.name });
      },
      onError: (e) => errors.push(e),
    });
    edit('a');
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors).toHaveLength(1);
    expect(saver.pending).toBe(true);
    fail = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(saves).toEqual([{ at: 12_000, name: 'a' }]);
  });

  it('never runs two saves at once', async () => {
    let running = 0;
    let maxRunning = 0;
    saver.dispose();
    saver = new Autosaver({
      getDoc: () => doc,
      save: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 15_000)); // a slow disk
        running--;
      },
      debounceMs: 100,
      minIntervalMs: 0,
    });
    for (let i = 0; i < 20; i++) {
      edit(`x${i}`);
      await vi.advanceTimersByTimeAsync(1000);
    }
    await vi.advanceTimersByTimeAsync(60_000);
    expect(maxRunning).toBe(1);
  });
});

describe('autosave files', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'camtrack-autosave-'));
  });
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('writes project.autosave.json (never project.json) and reads it back; discard removes it', async () => {
    const dir = untitledDir(path.join(tmp, 'appdata'));
    expect(path.basename(dir)).toBe('Untitled.camtrack');
    expect(await readAutosave(dir)).toBeNull();
    const doc = createProject('Untitled');
    const savedAt = await writeAutosave(dir, doc, [], new Date('2026-04-01T12:00:00Z'));
    expect(savedAt).toBe('2026-04-01T12:00:00.000Z');
    expect((await fs.readdir(dir)).sort()).toEqual(['assets', 'project.autosave.json']);
    expect(await readAutosave(dir)).toEqual({ doc, savedAt });
    await discardAutosave(dir);
    expect(await readAutosave(dir)).toBeNull();
  });

  it('a damaged autosave is refused with a bad-file error', async () => {
    await fs.mkdir(tmp, { recursive: true });
    await fs.writeFile(path.join(tmp, 'project.autosave.json'), '{"doc": {}}');
    await expect(readAutosave(tmp)).rejects.toMatchObject({ code: 'bad-file' });
  });
});
