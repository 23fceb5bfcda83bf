/**
 * The preload: the renderer's only door to the engine. It exposes one object, `window.camtrack`,
 * with a call function and an event subscription; no Node or Electron API reaches the page.
 * Runs sandboxed (only `electron`'s renderer modules are available).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_CALL, CHANNEL_EVENT } from './channels';

contextBridge.exposeInMainWorld('camtrack', {
  call: (method: string, input: unknown) => ipcRenderer.invoke(CHANNEL_CALL, method, input),
  on: (listener: (event: string, data: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: string, data: unknown) => listener(event, data);
    ipcRenderer.on(CHANNEL_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(CHANNEL_EVENT, handler);
    };
  },
  platform: process.platform,
});
