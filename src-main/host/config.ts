/** What the engine host needs to know about where it runs. Passed as JSON in CAMTRACK_HOST_CONFIG. */
export interface HostConfig {
  mode: 'electron' | 'browser';
  /** The app's own data folder: untitled projects, recent list, caches. */
  appDataDir: string;
  /** Browser mode: the only folder whose projects the UI may open and save. */
  workspace?: string;
  /** Folders the user chose in native dialogs (Electron), granted at start. */
  granted?: string[];
  /** Browser mode: a render farm root outside the workspace, named on the serving machine (`camtrack serve --farm-root`). */
  farmRoot?: string;
}

export function readHostConfig(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const raw = env.CAMTRACK_HOST_CONFIG;
  if (!raw) throw new Error('CAMTRACK_HOST_CONFIG is not set: the engine host must be started by the studio.');
  const c = JSON.parse(raw) as HostConfig;
  if (c.mode !== 'electron' && c.mode !== 'browser')
    throw new Error('CAMTRACK_HOST_CONFIG.mode must be electron or browser');
  if (!c.appDataDir) throw new Error('CAMTRACK_HOST_CONFIG.appDataDir is required');
  return c;
}
