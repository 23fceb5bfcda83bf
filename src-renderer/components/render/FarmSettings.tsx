import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { engine } from '../../api/client';
import type { FarmSettingsView } from '../../../src-main/api/contract';
import { Row } from './fields';

/**
 * The render farm as the render panel sees it: its saved settings (Redis URL with the password
 * hidden, the farm root), the workers seen now, and where the Render button sends: this machine
 * or the farm. Not part of the project document.
 */
export type RenderTarget = 'local' | 'farm';

interface FarmState {
  settings: FarmSettingsView | null;
  error: string | null;
  target: RenderTarget;
  setTarget(t: RenderTarget): void;
  refresh(): Promise<void>;
  configure(url: string, root: string): Promise<void>;
}

export const useFarm = create<FarmState>()((set) => ({
  settings: null,
  error: null,
  target: 'local',
  setTarget: (target) => set({ target }),
  refresh: async () => {
    try {
      set({ settings: await engine.call('farm.settings', {}), error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
  configure: async (url, root) => {
    try {
      const settings = await engine.call('farm.configure', { url, root });
      set({ settings, error: null, target: 'farm' });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));

/** The farm section of the render settings: Redis URL and farm root, checked (Redis reached, password accepted, root a folder) before they are saved. */
export function FarmSettings() {
  const settings = useFarm((s) => s.settings);
  const error = useFarm((s) => s.error);
  const [url, setUrl] = useState('');
  const [root, setRoot] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void useFarm.getState().refresh();
  }, []);
  useEffect(() => {
    if (settings?.root) setRoot(settings.root);
  }, [settings?.root]);
  const connect = async () => {
    setBusy(true);
    await useFarm.getState().configure(url.trim(), root.trim());
    setBusy(false);
  };
  return (
    <div className="farmsettings" data-testid="farm-settings">
      <h4 className="rsettings__group">Render farm</h4>
      <p className="rsettings__note">
        Workers on other machines (<code>camtrack worker</code>) take renders from a BullMQ queue in Redis; every
        machine mounts the farm root.
      </p>
      <Row label="Redis URL" hint="redis://:password@host:6379, or rediss:// for TLS. Saved for this user only.">
        <input
          type="password"
          aria-label="Farm Redis URL"
          placeholder={settings?.url ?? 'redis://:password@host:6379'}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          data-testid="farm-url"
          autoComplete="off"
        />
      </Row>
      <Row label="Farm root" hint="The shared folder every worker mounts (assets and renders go there).">
        <input
          aria-label="Farm root folder"
          placeholder="/mnt/farm"
          value={root}
          onChange={(e) => setRoot(e.target.value)}
          data-testid="farm-root"
        />
      </Row>
      <Row label="">
        <button
          disabled={busy || !url.trim() || !root.trim()}
          onClick={() => void connect()}
          data-testid="farm-connect"
        >
          {busy ? 'Connecting…' : settings?.configured ? 'Reconnect' : 'Connect'}
        </button>
      </Row>
      {error && (
        <p className="rsettings__note rsettings__note--warn" role="alert" data-testid="farm-error">
          {error}
        </p>
      )}
      {settings?.configured && (
        <p className="rsettings__note" data-testid="farm-status">
          Connected to {settings.url}.{' '}
          {settings.workers.length
            ? `Workers: ${settings.workers.map((w) => `${w.name} (${w.host}, ${w.provider}${w.gpus.length ? `, ${w.gpus[0]}` : ''})`).join('; ')}.`
            : 'No worker is running.'}
        </p>
      )}
    </div>
  );
}

/** Where the Render button sends: shown once a farm is set up. */
export function TargetPicker() {
  const settings = useFarm((s) => s.settings);
  const target = useFarm((s) => s.target);
  useEffect(() => {
    void useFarm.getState().refresh();
  }, []);
  if (!settings?.configured) return null;
  return (
    <label className="render__variants" title="Render on this machine or send to the render farm">
      <span>On</span>
      <select
        aria-label="Where to render"
        value={target}
        onChange={(e) => useFarm.getState().setTarget(e.target.value as RenderTarget)}
        data-testid="render-target"
      >
        <option value="local">This machine</option>
        <option value="farm">Farm</option>
      </select>
    </label>
  );
}
