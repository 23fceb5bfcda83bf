import { spawn } from 'node:child_process';

/**
 * A writer killed outright (SIGKILL, the OOM killer) runs no handler, so its temporaries
 * (`.<name>.<pid>.<8 hex>.partial<ext>`, util/atomic.ts) would stay until the next render in that
 * folder. A CLI render therefore starts a small watcher first: a separate process holding a pipe
 * from the render. When the pipe closes without the render saying "done" (it died), the watcher
 * waits until the dead render's temporaries stop changing (ffmpeg, its child, finishes the file it
 * was writing once its input ends), then removes them. Temporaries a commit journal of that
 * render names are complete and kept for the next run's roll-forward (a commit takes milliseconds).
 *
 * The watcher is plain JavaScript run by `node -e`: it starts in milliseconds and needs nothing
 * from the engine's bundle.
 */
const WATCHER = String.raw`
const fs = require('fs');
const path = require('path');
const [folder, pid] = process.argv.slice(1);
const QUIET_MS = 1500, MAX_MS = 60000, POLL_MS = 250;
const mine = new RegExp('^\\..+\\.' + pid + '\\.[0-9a-f]{8}\\.(partial|tmp)');
const list = () => { try { return fs.readdirSync(folder); } catch { return []; } };
const journaled = (names) => {
  const keep = new Set();
  for (const n of names) {
    if (!n.endsWith('.commit') || !n.includes('.' + pid + '.')) continue;
    try {
      for (const e of JSON.parse(fs.readFileSync(path.join(folder, n), 'utf8')).entries || [])
        for (const f of [e.tmp, e.backup]) if (typeof f === 'string') keep.add(f);
    } catch {}
  }
  return keep;
};
const stamp = () => list().filter((n) => mine.test(n)).map((n) => {
  try { const s = fs.lstatSync(path.join(folder, n)); return n + ':' + s.size + ':' + s.mtimeMs; } catch { return n; }
}).join('|');
let said = '';
process.stdin.on('data', (d) => { said += d; });
process.stdin.on('close', () => {
  if (said.includes('done')) process.exit(0);
  let last = stamp(), quiet = 0, waited = 0;
  const t = setInterval(() => {
    const now = stamp();
    quiet = now === last ? quiet + POLL_MS : 0;
    last = now;
    waited += POLL_MS;
    if (quiet < QUIET_MS && waited < MAX_MS) return;
    clearInterval(t);
    const names = list();
    const keep = journaled(names);
    for (const n of names)
      if (mine.test(n) && !keep.has(n)) try { fs.rmSync(path.join(folder, n), { recursive: true, force: true }); } catch {}
  }, POLL_MS);
});
`;

export interface TemporaryReaper {
  /** The render ended (well or not) and cleaned up after itself: the watcher exits without touching anything. */
  done(): void;
}

/** Starts the watcher over `folder` for this process's temporaries. */
export function startTemporaryReaper(folder: string): TemporaryReaper {
  const child = spawn(process.execPath, ['-e', WATCHER, folder, String(process.pid)], {
    // Its own process group: a signal to the render's group (Ctrl+C in a terminal) does not stop it.
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true,
  });
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  // Neither the watcher nor its pipe keeps this process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  let ended = false;
  return {
    done() {
      if (ended) return;
      ended = true;
      child.stdin.end('done\n');
    },
  };
}
