import { useEffect, useState } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { engine, isElectron } from '../../api/client';
import { useProject, isDirty } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { startSession, runMenuCommand, importDroppedFiles } from '../../actions';
import { trackSession } from '../../state/session';
import type { AppInfo } from '../../../src-main/api/contract';
import { MenuBar } from './MenuBar';
import { StatusBar } from './StatusBar';
import { Dialogs } from './Dialogs';
import { Toasts } from './Toasts';
import { useShortcuts } from './shortcuts';
import { useAutosave } from './useAutosave';
import { Viewport } from '../viewport/Viewport';
import { Timeline } from '../timeline/Timeline';
import { LambdaEditor } from '../lambda/LambdaEditor';
import { RenderPanel } from '../render/RenderPanel';
import { Inspector } from '../inspector/Inspector';

/** The studio: 3D viewport, inspector, timeline, lambda heatmap, render panel and status bar. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [dragging, setDragging] = useState(false);
  const doc = useProject((s) => s.doc);
  const dirty = useProject(isDirty);
  const path = useProject((s) => s.path);

  useEffect(() => {
    engine.call('app.info', {}).then(setInfo, (e: Error) => useUi.getState().toast('error', e.message));
    const untrack = trackSession();
    void startSession();
    const offMenu = engine.on('menu.command', ({ command, payload }) => void runMenuCommand(command, payload));
    return () => {
      untrack();
      offMenu();
    };
  }, []);
  // Reload or close with unsaved changes: the browser asks (in Electron, the main process shows the prompt).
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty(useProject.getState())) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);
  useEffect(
    () =>
      engine.on('engine.restarted', () =>
        useUi
          .getState()
          .toast('error', 'The render engine stopped unexpectedly and was restarted. Your project is safe.'),
      ),
    [],
  );
  useShortcuts();
  useAutosave();

  const name = doc?.name ?? 'Camtrack Studio';
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name}${path ? ` — ${path}` : ''} — Camtrack Studio`;
  }, [dirty, name, path]);

  return (
    <div
      className={`app${dragging ? ' app--drop' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void importDroppedFiles(e.dataTransfer.files);
      }}
    >
      <header className="titlebar">
        {!isElectron && <MenuBar />}
        <div className="titlebar__name" data-testid="project-title">
          {dirty && (
            <span className="dirty" title="Unsaved changes">
              ●
            </span>
          )}
          {name}
        </div>
      </header>
      <main className="workspace">
        <Group orientation="vertical" id="studio-rows">
          <Panel defaultSize="52" minSize="25">
            <Group orientation="horizontal" id="studio-top">
              <Panel defaultSize="74" minSize="30">
                <Viewport />
              </Panel>
              <Separator className="sep sep--v" />
              <Panel defaultSize="26" minSize="15">
                <Inspector />
              </Panel>
            </Group>
          </Panel>
          <Separator className="sep sep--h" />
          <Panel defaultSize="48" minSize="15">
            <Group orientation="horizontal" id="studio-bottom">
              <Panel defaultSize="70" minSize="30">
                <Group orientation="vertical" id="studio-bottom-left">
                  <Panel defaultSize="30" minSize="12">
                    <div className="stack">
                      <Timeline />
                    </div>
                  </Panel>
                  <Separator className="sep sep--h" />
                  <Panel defaultSize="70" minSize="25">
                    <LambdaEditor />
                  </Panel>
                </Group>
              </Panel>
              <Separator className="sep sep--v" />
              <Panel defaultSize="30" minSize="15">
                <RenderPanel />
              </Panel>
            </Group>
          </Panel>
        </Group>
      </main>
      <StatusBar info={info} />
      <Dialogs info={info} />
      <Toasts />
      {dragging && (
        <div className="dropzone">Drop a photo (PNG, JPEG, WebP) or a depth file (.npy, 16-bit PNG, .pfm)</div>
      )}
    </div>
  );
}
