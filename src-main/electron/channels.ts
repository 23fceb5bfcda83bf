/** IPC channel names shared by main and preload. */
export const CHANNEL_CALL = 'camtrack:call';
export const CHANNEL_EVENT = 'camtrack:event';
/** The custom scheme the UI is served from (a real origin, so the CSP's 'self' means our files only). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://studio`;
