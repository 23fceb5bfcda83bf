/**
 * Electron main process: one window, the native menu and dialogs, and the relay to the engine
 * (which runs in a utility process). Security as Electron recommends: context isolation, sandbox,
 * no Node in the page, a strict CSP, navigation and new windows blocked, every IPC call validated
 * (by the relay, against the API schemas) and only accepted from our own page.
 */
import {
  app,
  BrowserWindow,
  Menu,
  dialog,
  ipcMain,
  protocol,
  net,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineRelay } from '../host/relay';
import { spawnUtilityEngine } from './utilityEngine';
import { APP_ORIGIN, APP_SCHEME, CHANNEL_CALL, CHANNEL_EVENT } from './channels';
import type { MenuCommand } from '../api/contract';
import { toErrorInfo } from '../engine/util/errors';
import { readRecent } from '../engine/project/recent';
import { contentSecurityPolicyHeader } from '../api/csp';
import { isAllowedExternalUrl, isPermissionAllowed, resolveAppRequest } from './policy';
import { LEAVE_BUTTONS, LEAVE_CANCEL, LEAVE_DEFAULT, LeavePlan } from './leave';
import { afterEngineCall, type Desktop } from './desktopCalls';

// connect-src 'self' only: the page reaches the engine over IPC, never over the network.
const CSP = contentSecurityPolicyHeader({ kind: 'electron' });

const rendererDir = path.join(__dirname, '..', 'renderer');
let win: BrowserWindow | null = null;
const leavePlan = new LeavePlan();
let relay: EngineRelay;
const desktop: Desktop = {
  showItemInFolder: (file) => shell.showItemInFolder(file),
  refreshMenu: () => void buildMenu(),
  projectSaved: () => {
    const leave = leavePlan.saved();
    // After the page has marked itself saved (its answer is on the way): then close or reload.
    if (leave) setTimeout(() => (leave === 'close' ? win?.close() : win?.webContents.reload()), 150);
  },
};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function sendMenu(command: MenuCommand, payload?: { name: string; bytes: Uint8Array } | { path: string }): void {
  win?.webContents.send(CHANNEL_EVENT, 'menu.command', { command, payload });
}

async function chooseProjectToOpen(): Promise<void> {
  const r = await dialog.showOpenDialog(win!, {
    title: 'Open project',
    properties: ['openDirectory', 'openFile'],
    filters: [{ name: 'Camtrack project', extensions: ['camtrack', 'json'] }],
  });
  if (r.canceled || !r.filePaths[0]) return;
  relay.grant(r.filePaths[0]);
  sendMenu('open', { path: r.filePaths[0] });
}

async function chooseSaveAs(): Promise<void> {
  const r = await dialog.showSaveDialog(win!, {
    title: 'Save project as',
    filters: [{ name: 'Camtrack project', extensions: ['camtrack'] }],
  });
  if (r.canceled || !r.filePath) return;
  const target = r.filePath.endsWith('.camtrack') ? r.filePath : `${r.filePath}.camtrack`;
  relay.grant(target);
  sendMenu('saveAs', { path: target });
}

async function chooseFileToImport(command: 'importImage' | 'importDepth'): Promise<void> {
  const filters =
    command === 'importImage'
      ? [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp'] }]
      : [{ name: 'Depth', extensions: ['npy', 'png', 'pfm', 'tif', 'tiff'] }];
  const r = await dialog.showOpenDialog(win!, { properties: ['openFile'], filters });
  if (r.canceled || !r.filePaths[0]) return;
  const bytes = await fs.readFile(r.filePaths[0]);
  sendMenu(command, { name: path.basename(r.filePaths[0]), bytes: new Uint8Array(bytes) });
}

async function buildMenu(): Promise<void> {
  const recent = await readRecent(app.getPath('userData')).catch(() => []);
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+N', click: () => sendMenu('new') },
        // The renderer asks for the folder (its own dialog lists the views found) and sends the chosen files.
        { label: 'New Project from Views…', click: () => sendMenu('newFromViews') },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void chooseProjectToOpen() },
        { label: 'Open Sample Project', click: () => sendMenu('openSample') },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((r) => ({
                label: `${r.name} — ${r.dir}`,
                click: () => sendMenu('openRecent', { path: r.dir }),
              }))
            : [{ label: 'No recent projects', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => sendMenu('save') },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void chooseSaveAs() },
        { type: 'separator' },
        { label: 'Import Image…', accelerator: 'CmdOrCtrl+I', click: () => void chooseFileToImport('importImage') },
        { label: 'Import Depth…', click: () => void chooseFileToImport('importDepth') },
        // The studio's own dialog picks the video and its depth folder; the engine gets their bytes, never a path.
        { label: 'New Project from Video…', click: () => sendMenu('importVideo') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => sendMenu('export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => sendMenu('undo') },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => sendMenu('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Lambda Explained', click: () => sendMenu('lambdaHelp') },
        { label: 'Keyboard Shortcuts', click: () => sendMenu('shortcuts') },
        { label: 'About Camtrack Studio', click: () => sendMenu('about') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 960,
    minHeight: 640,
    backgroundColor: '#111318',
    title: 'Camtrack Studio',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  // The studio refuses to unload with unsaved changes (beforeunload); Electron shows no prompt of its
  // own, so closing or reloading the window asks here. Leaving anyway lets the unload go on.
  // Save asks the page to save (Save As when never saved) and leaves once project.save lands (leave.ts).
  win.on('close', () => leavePlan.closeAsked());
  win.webContents.on('will-prevent-unload', (e) => {
    if (leavePlan.letGo()) {
      e.preventDefault();
      return;
    }
    const choice = dialog.showMessageBoxSync(win!, {
      type: 'question',
      buttons: [...LEAVE_BUTTONS],
      defaultId: LEAVE_DEFAULT,
      cancelId: LEAVE_CANCEL,
      title: 'Unsaved changes',
      message: 'This project has unsaved changes.',
      detail:
        'Save them before leaving? (Discarded changes of an Untitled project stay autosaved and are offered back at the next start.)',
    });
    const { unload, save } = leavePlan.answer(choice);
    if (unload) e.preventDefault();
    if (save) sendMenu('save');
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  win.on('closed', () => {
    win = null;
  });
}

app.on('web-contents-created', (_e, contents) => {
  // No navigation away from the studio and no new windows; https links open in the browser.
  contents.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Only https links to the listed hosts (policy.ts) reach the system browser.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void app.whenReady().then(async () => {
  // Serve the built UI from app://studio with the CSP header; refuse anything outside its folder.
  // A malformed URL (a bad % escape) is answered 400, not thrown inside the handler.
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(request.url, rendererDir);
    if (!target.ok) return new Response(target.status === 400 ? 'Bad request' : 'Forbidden', { status: target.status });
    try {
      const res = await net.fetch(pathToFileURL(target.file).toString());
      const headers = new Headers(res.headers);
      headers.set('Content-Security-Policy', CSP);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(res.body, { status: res.status, headers });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  // Deny by default, for permission checks (queried synchronously, e.g. navigator.permissions) and requests alike.
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl ?? wc?.getURL())),
  );

  relay = new EngineRelay(() => spawnUtilityEngine({ mode: 'electron', appDataDir: app.getPath('userData') }));
  relay.onEvent((event, data) => win?.webContents.send(CHANNEL_EVENT, event, data));
  ipcMain.handle(CHANNEL_CALL, async (event, method: unknown, input: unknown) => {
    // Only our own page may call the engine.
    if (!event.senderFrame || !event.senderFrame.url.startsWith(`${APP_ORIGIN}/`)) {
      return {
        ok: false,
        error: { code: 'permission', message: 'Refused: the call did not come from the studio window.' },
      };
    }
    try {
      const value = await relay.call(method, input);
      return { ok: true, value: afterEngineCall(method, value, desktop) };
    } catch (e) {
      return { ok: false, error: e && typeof e === 'object' && 'code' in e ? e : toErrorInfo(e) };
    }
  });

  await buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => relay?.close());
