import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { actions } from '../actions';
import { useOrg } from '../store';
import type { MenuAt } from './OrgCanvas';

/** Right-click menu of a node. Arrow keys move between items; Escape closes. */
export function ContextMenu({ at, onClose }: { at: MenuAt; onClose: () => void }) {
  const ws = useOrg((s) => s.workspaces[at.id]);
  const ref = useRef<HTMLDivElement>(null);
  const workspaces = useOrg((s) => s.workspaces);
  const members = Object.values(workspaces).filter((w) => w.parent_id === at.id);
  // "Expand team" only for a workspace whose config describes one (sub_workspaces, spec §1.8)
  const config = useQuery({ queryKey: ['config', at.id], queryFn: () => api.config(at.id) });
  const subs = config.data?.data?.sub_workspaces;
  const expandable = Array.isArray(subs) && subs.length > 0;
  useEffect(() => { ref.current?.querySelector('button')?.focus(); }, []);
  if (!ws) return null;
  const paused = ws.status === 'paused';
  const item = (label: string, fn: () => void, danger = false) => (
    <button role="menuitem" className={danger ? 'danger' : ''} onClick={() => { onClose(); fn(); }}>{label}</button>
  );
  const onKey = (e: React.KeyboardEvent) => {
    const items = Array.from(ref.current?.querySelectorAll('button') ?? []);
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    if (e.key === 'Escape') onClose();
  };
  const select = useOrg.getState().select;
  return (
    <div ref={ref} className="menu" role="menu" aria-label={`Actions for ${ws.name}`} style={{ left: at.x, top: at.y }}
      onKeyDown={onKey} data-testid="context-menu">
      {item('Chat', () => select(ws.id, 'chat'))}
      {item('Details', () => select(ws.id, 'details'))}
      {item('Add workspace inside', () => useOrg.getState().openDialog({ kind: 'create', parentId: ws.id }))}
      {item('Restart', () => actions.restart(ws.id))}
      {paused ? item('Resume', () => actions.resume(ws.id)) : item('Pause', () => actions.pause(ws.id))}
      {expandable && !members.length && item('Expand team', () => actions.expand(ws.id))}
      {members.length > 0 && item('Collapse team', () => useOrg.getState().openDialog(
        { kind: 'collapse', id: ws.id, children: members.map((m) => ({ id: m.id, name: m.name })) }))}
      {item('Duplicate', () => actions.duplicate(ws.id))}
      {item('Export bundle', () => actions.exportBundle(ws.id))}
      {item('Delete', () => actions.remove(ws.id), true)}
    </div>
  );
}
