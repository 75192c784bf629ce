import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { actions } from '../../actions';
import { api } from '../../api';
import { useOrg } from '../../store';
import { modelOf, statusWord } from '../../status';
import type { TabProps } from './index';

/** Metadata, peers (who it may talk to), lifecycle actions and API tokens. */
export function DetailsTab({ id }: TabProps) {
  const ws = useOrg((s) => s.workspaces[id]);
  const workspaces = useOrg((s) => s.workspaces);
  if (!ws) return null;
  const all = Object.values(workspaces);
  const parent = ws.parent_id ? workspaces[ws.parent_id] : undefined;
  const children = all.filter((w) => w.parent_id === id);
  const siblings = all.filter((w) => w.id !== id && (w.parent_id ?? null) === (ws.parent_id ?? null));
  const rows: [string, string][] = [
    ['ID', ws.id], ['Status', statusWord(ws.status)], ['Role', ws.role ?? '—'], ['Runtime', ws.runtime],
    ['Model', modelOf(ws) || '—'], ['Tier', String(ws.tier)], ['Active tasks', `${ws.active_tasks} of ${ws.max_concurrent_tasks}`],
    ['Current task', ws.current_task || '—'], ['Error rate', String(ws.last_error_rate)], ['Uptime', `${ws.uptime_seconds} s`],
    ['URL', ws.url || '—'],
  ];
  if (ws.last_sample_error) rows.push(['Last error', ws.last_sample_error]);
  const select = useOrg.getState().select;
  const peer = (w: { id: string; name: string }) => <button key={w.id} className="link" onClick={() => select(w.id)}>{w.name}</button>;
  return (
    <div className="details">
      <div className="row">
        <button onClick={() => actions.restart(id)}>Restart</button>
        {ws.status === 'paused' ? <button onClick={() => actions.resume(id)}>Resume</button> : <button onClick={() => actions.pause(id)}>Pause</button>}
        <button className="danger" onClick={() => actions.remove(id)} data-testid="details-delete">Delete</button>
      </div>
      <dl className="kv">{rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
      <h3>Peers</h3>
      <p className="muted">Who this agent may talk to.</p>
      <dl className="kv">
        <div><dt>Reports to</dt><dd>{parent ? peer(parent) : '— (root)'}</dd></div>
        <div><dt>Team</dt><dd>{children.length ? children.map(peer) : '—'}</dd></div>
        <div><dt>{parent ? 'Siblings' : 'Other roots'}</dt><dd>{siblings.length ? siblings.map(peer) : '—'}</dd></div>
      </dl>
      <Tokens id={id} />
    </div>
  );
}

function Tokens({ id }: { id: string }) {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens', id], queryFn: () => api.tokens(id) });
  const [fresh, setFresh] = useState('');
  const [error, setError] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['tokens', id] });
  return (
    <>
      <h3>API tokens</h3>
      <ul className="feed">
        {(tokens.data?.tokens ?? []).map((t) => (
          <li key={t.id}><code>{t.prefix}…</code> <span className="muted">created {new Date(t.created_at).toLocaleString()}</span>{' '}
            <button className="link danger" onClick={() => api.revokeToken(id, t.id).then(refresh, (e: Error) => setError(e.message))}>revoke</button></li>
        ))}
        {tokens.data && !tokens.data.tokens.length && <li className="muted">No live tokens.</li>}
      </ul>
      <button onClick={() => api.createToken(id).then((r) => { setFresh(r.auth_token); return refresh(); }, (e: Error) => setError(e.message))}>New token</button>
      {fresh && <p className="notice">Copy it now, it is not shown again: <code>{fresh}</code></p>}
      {error && <p className="form-error">{error}</p>}
    </>
  );
}
