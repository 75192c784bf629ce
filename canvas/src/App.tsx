import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { setUnauthorizedHandler } from './auth';
import { connectLive } from './socket';
import { useOrg } from './store';
import { applyTheme, initialTheme, type Theme } from './theme';
import { OrgCanvas, type MenuAt } from './components/OrgCanvas';
import { EmptyState } from './components/EmptyState';
import { SidePanel } from './components/SidePanel';
import { ContextMenu } from './components/ContextMenu';
import { Dialogs } from './components/Dialogs';
import { Toast } from './components/Toast';
import { ApprovalsBanner } from './components/ApprovalsBanner';

export function App() {
  const count = useOrg((s) => Object.keys(s.workspaces).length);
  const connection = useOrg((s) => s.connection);
  const selectedId = useOrg((s) => s.selectedId);
  const openDialog = useOrg((s) => s.openDialog);
  const [hydrated, setHydrated] = useState(false);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [theme, setTheme] = useState<Theme>(initialTheme);

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => setUnauthorizedHandler((reason) => {
    if (useOrg.getState().dialog?.kind !== 'signin') openDialog({ kind: 'signin', reason });
  }), [openDialog]);
  useEffect(() => {
    const stop = connectLive();
    const unsub = useOrg.subscribe((s, prev) => { if (s.workspaces !== prev.workspaces) setHydrated(true); });
    return () => { stop(); unsub(); };
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openDialog({ kind: 'search' });
      } else if (e.key === 'Escape') {
        setMenu(null);
        if (useOrg.getState().dialog) openDialog(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openDialog]);

  return (
    <div className="app">
      <header className="toolbar" role="banner">
        <h1 className="brand">Molecule</h1>
        <span className={`conn conn-${connection}`} data-testid="connection" role="status">
          {connection === 'live' ? 'live' : connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </span>
        <span className="spacer" />
        <button onClick={() => openDialog({ kind: 'create' })}>+ New workspace</button>
        <button onClick={() => openDialog({ kind: 'templates' })}>Templates</button>
        <button onClick={() => openDialog({ kind: 'search' })} title="Search (Ctrl/Cmd+K)">Search <kbd>⌘K</kbd></button>
        <button onClick={() => openDialog({ kind: 'settings' })}>Settings</button>
        <button onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Toggle light or dark theme">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <ApprovalsBanner />
      <main className="body">
        <section className="canvas-area" aria-label="Org chart">
          <ReactFlowProvider>
            <OrgCanvas onMenu={setMenu} />
          </ReactFlowProvider>
          {hydrated && count === 0 && <EmptyState />}
          {menu && <ContextMenu at={menu} onClose={() => setMenu(null)} />}
        </section>
        {selectedId && <SidePanel key={selectedId} id={selectedId} />}
      </main>
      <Dialogs />
      <Toast />
    </div>
  );
}
