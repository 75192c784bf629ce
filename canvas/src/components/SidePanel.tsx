import { useRef, useState } from 'react';
import { useOrg } from '../store';
import { statusWord } from '../status';
import { TABS } from './tabs';

const MIN_W = 320;
const widthKey = 'molecule.panelWidth';

/** The selected workspace's panel: tabs, resizable by its left edge (mouse or arrow keys). */
export function SidePanel({ id }: { id: string }) {
  const ws = useOrg((s) => s.workspaces[id]);
  const tab = useOrg((s) => s.tab);
  const setTab = useOrg((s) => s.setTab);
  const [width, setWidth] = useState(() => Number(localStorage.getItem(widthKey)) || 460);
  const dragging = useRef(false);
  const resize = (w: number) => {
    const clamped = Math.max(MIN_W, Math.min(w, window.innerWidth - 200));
    setWidth(clamped);
    localStorage.setItem(widthKey, String(clamped));
  };
  const onDown = (e: React.PointerEvent) => {
    dragging.current = true;
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onMove = (e: React.PointerEvent) => { if (dragging.current) resize(window.innerWidth - e.clientX); };
  if (!ws) return null;
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  const Current = current.component;
  return (
    <aside className="panel" style={{ width }} aria-label={`${ws.name} panel`} data-testid="side-panel">
      <div className="resizer" role="separator" aria-orientation="vertical" aria-label="Resize panel" tabIndex={0}
        aria-valuenow={width} aria-valuemin={MIN_W}
        onPointerDown={onDown} onPointerMove={onMove} onPointerUp={() => { dragging.current = false; }}
        onKeyDown={(e) => { if (e.key === 'ArrowLeft') resize(width + 24); if (e.key === 'ArrowRight') resize(width - 24); }} />
      <div className="panel-head">
        <div>
          <h2>{ws.name}</h2>
          <span className={`pill status-${ws.status}`}>{statusWord(ws.status)}</span>
          {ws.role && <span className="muted"> {ws.role}</span>}
        </div>
        <button className="link" onClick={() => useOrg.getState().select(null)} aria-label="Close panel">×</button>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={t.id === current.id} className={t.id === current.id ? 'active' : ''}
            onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>{t.label}</button>
        ))}
      </div>
      <div className="tab-body" role="tabpanel" aria-label={current.label}>
        <Current id={id} />
      </div>
    </aside>
  );
}
