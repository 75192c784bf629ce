import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { useOrg } from '../../store';
import type { TabProps } from './index';

const TYPES = ['', 'a2a_send', 'a2a_receive', 'task_update', 'agent_log', 'skill_promotion', 'memory_write', 'error'];

/** The workspace's activity log, filtered by type and source on the server and by text here. */
export function ActivityTab({ id }: TabProps) {
  const [type, setType] = useState('');
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const live = useOrg((s) => s.recentEvents.filter((e) => e.event === 'ACTIVITY_LOGGED' && e.workspace_id === id).length);
  const rows = useQuery({ queryKey: ['activity', id, type, source, live], queryFn: () => api.activity(id, type, source) });
  const needle = text.trim().toLowerCase();
  const list = (rows.data ?? []).filter((r) => !needle || `${r.summary} ${r.method} ${r.error_detail ?? ''}`.toLowerCase().includes(needle));
  return (
    <div className="activity">
      <div className="filters">
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Activity type">
          {TYPES.map((t) => <option key={t} value={t}>{t || 'all types'}</option>)}
        </select>
        <select value={source} onChange={(e) => setSource(e.target.value)} aria-label="Source">
          <option value="">any source</option><option value="canvas">from the canvas</option><option value="agent">from agents</option>
        </select>
        <input placeholder="Filter text" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter text" />
      </div>
      {rows.error && <p className="form-error">{(rows.error as Error).message}</p>}
      <ul className="feed" data-testid="activity-feed">
        {list.map((r) => (
          <li key={r.id} className={r.status === 'error' ? 'error' : ''}>
            <span className="pill">{r.activity_type}</span> {r.summary ?? r.method}
            <span className="muted"> · {new Date(r.created_at).toLocaleTimeString()}{r.duration_ms != null ? ` · ${r.duration_ms} ms` : ''}</span>
            {r.error_detail && <div className="error-line">{r.error_detail}</div>}
          </li>
        ))}
        {!rows.isLoading && !list.length && <li className="muted">Nothing logged{type || source || needle ? ' for this filter' : ''}.</li>}
      </ul>
    </div>
  );
}
