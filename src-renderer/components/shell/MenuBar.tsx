import { useEffect, useRef, useState } from 'react';
import { runMenuCommand, openProject } from '../../actions';
import { engine } from '../../api/client';
import type { MenuCommand } from '../../../src-main/api/contract';
import { useHistory } from '../../state/projectStore';

interface Item {
  label: string;
  command: MenuCommand;
  shortcut?: string;
}

/** The same menus as Electron's native menu, for browser mode. */
const MENUS: { label: string; items: Item[] }[] = [
  {
    label: 'File',
    items: [
      { label: 'New', command: 'new', shortcut: 'Ctrl+N' },
      { label: 'New Project from Views…', command: 'newFromViews' },
      { label: 'Open…', command: 'open', shortcut: 'Ctrl+O' },
      { label: 'Open Sample Project', command: 'openSample' },
      { label: 'Save', command: 'save', shortcut: 'Ctrl+S' },
      { label: 'Save As…', command: 'saveAs', shortcut: 'Ctrl+Shift+S' },
      { label: 'Import Image…', command: 'importImage', shortcut: 'Ctrl+I' },
      { label: 'Import Depth…', command: 'importDepth' },
      { label: 'New Project from Video…', command: 'importVideo' },
      { label: 'Export…', command: 'export', shortcut: 'Ctrl+E' },
    ],
  },
  {
    label: 'Edit',
    items: [
      { label: 'Undo', command: 'undo', shortcut: 'Ctrl+Z' },
      { label: 'Redo', command: 'redo', shortcut: 'Ctrl+Shift+Z' },
    ],
  },
  {
    label: 'Help',
    items: [
      { label: 'Lambda Explained', command: 'lambdaHelp' },
      { label: 'Keyboard Shortcuts', command: 'shortcuts', shortcut: '?' },
      { label: 'About Camtrack Studio', command: 'about' },
    ],
  },
];

export function MenuBar() {
  const [open, setOpen] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  const { canUndo, canRedo } = useHistory();
  const [recent, setRecent] = useState<{ path: string; name: string }[]>([]);
  useEffect(() => {
    if (open === 'File')
      engine.call('project.recent', {}).then(
        (r) => setRecent(r.projects),
        () => setRecent([]),
      );
  }, [open]);
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(null);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, []);
  // Escape closes an open menu (and only that: the key does not reach the panels underneath).
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      setOpen(null);
      ref.current?.querySelector<HTMLButtonElement>('.menubar__title.is-open')?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open]);
  return (
    <nav className="menubar" ref={ref} aria-label="Main menu">
      {MENUS.map((m) => (
        <div key={m.label} className="menubar__menu">
          <button
            className={`menubar__title${open === m.label ? ' is-open' : ''}`}
            onClick={() => setOpen(open === m.label ? null : m.label)}
            onMouseEnter={() => open && setOpen(m.label)}
            aria-haspopup="menu"
            aria-expanded={open === m.label}
          >
            {m.label}
          </button>
          {open === m.label && (
            <div className="menubar__items" role="menu">
              {m.items.map((it) => {
                const disabled = (it.command === 'undo' && !canUndo) || (it.command === 'redo' && !canRedo);
                return (
                  <button
                    key={it.command}
                    role="menuitem"
                    // The item's name is its label; the shortcut is announced as a shortcut, not read into the name.
                    aria-label={it.label}
                    aria-keyshortcuts={it.shortcut?.replace(/Ctrl/g, 'Control').replace(/Cmd/g, 'Meta')}
                    disabled={disabled}
                    onClick={() => {
                      setOpen(null);
                      void runMenuCommand(it.command);
                    }}
                  >
                    <span>{it.label}</span>
                    {it.shortcut && <kbd>{it.shortcut}</kbd>}
                  </button>
                );
              })}
              {m.label === 'File' && (
                <>
                  <div className="menubar__section">Open Recent</div>
                  {recent.length === 0 && <div className="menubar__empty">No recent projects</div>}
                  {recent.map((r) => (
                    <button
                      key={r.path}
                      role="menuitem"
                      title={r.path}
                      onClick={() => {
                        setOpen(null);
                        void openProject(r.path);
                      }}
                    >
                      <span>{r.name}</span>
                    </button>
                  ))}
                </>
              )}
            </div>
          )}
        </div>
      ))}
    </nav>
  );
}
