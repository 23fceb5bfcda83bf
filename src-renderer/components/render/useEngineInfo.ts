import { useEffect, useState } from 'react';
import { engine } from '../../api/client';
import type { AppInfo } from '../../../src-main/api/contract';
import type { ModelState } from './settings';

/** What the engine says about a model setting ('draft' or a folder), refreshed when it changes. */
export function useModelInfo(model: string | undefined): ModelState {
  const [state, setState] = useState<ModelState>({ status: 'loading' });
  useEffect(() => {
    if (!model) return;
    let live = true;
    setState({ status: 'loading' });
    engine.call('model.info', { model }).then(
      (info) => live && setState({ status: 'ok', info }),
      (e: Error) => live && setState({ status: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [model]);
  return state;
}

let appInfo: Promise<AppInfo> | null = null;

/** Providers and ffmpeg as the engine found them (asked once per page). */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    appInfo ??= engine.call('app.info', {});
    appInfo.then(
      (i) => live && setInfo(i),
      () => {
        appInfo = null; // asked again next time; the shell already shows the failure
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return info;
}
