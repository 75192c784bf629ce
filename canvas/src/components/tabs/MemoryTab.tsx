import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import type { TabProps } from './index';

/** Scoped memories (LOCAL / TEAM / GLOBAL, searchable) and the key/value store of one workspace. */
export function MemoryTab({ id }: TabProps) {
  return (
    <div>
      <ScopedMemories id={id} />
      <KeyValues id={id} />
    </div>
  );
}

function ScopedMemories({ id }: { id: string }) {
  const client = useQueryClient();
  const [scope, setScope] = useState('');
  const [q, setQ] = useState('');
  const [ns, setNs] = useState('');
  const [content, setContent] = useState('');
  const [newNs, setNewNs] = useState('');
  const [newScope, setNewScope] = useState('LOCAL');
  const [error, setError] = useState('');
  const list = useQuery({ queryKey: ['memories', id, scope, q, ns], queryFn: () => api.memories(id, scope, q.trim(), ns.trim()) });
  const refresh = () => client.invalidateQueries({ queryKey: ['memories', id] });
  const guard = (p: Promise<unknown>) => p.then(refresh, (e: Error) => setError(e.message));
  return (
    <>
      <h3>Memories</h3>
      <div className="filters">
        <select value={scope} onChange={(e) => setScope(e.target.value)} aria-label="Memory scope">
          <option value="">its own (any scope)</option><option value="LOCAL">LOCAL</option>
          <option value="TEAM">TEAM (its team's)</option><option value="GLOBAL">GLOBAL</option>
        </select>
        <input placeholder="Search" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search memories" />
        <input placeholder="namespace" value={ns} onChange={(e) => setNs(e.target.value)} aria-label="Namespace filter" maxLength={50} />
      </div>
      <ul className="feed" data-testid="memories">
        {(list.data ?? []).map((m) => (
          <li key={m.id}><span className="pill">{m.scope}</span> <span className="muted">{m.namespace}</span> {m.content}{' '}
            {m.workspace_id === id && <button className="link danger" onClick={() => guard(api.deleteMemory(id, m.id))} aria-label="Delete memory">delete</button>}</li>
        ))}
        {list.data && !list.data.length && <li className="muted">No memories.</li>}
        {list.error && <li className="form-error">{(list.error as Error).message}</li>}
      </ul>
      <form className="row" onSubmit={(e) => { e.preventDefault(); setError(''); guard(api.addMemory(id, content.trim(), newScope, newNs.trim()).then(() => setContent(''))); }}>
        <input placeholder="Remember…" value={content} onChange={(e) => setContent(e.target.value)} aria-label="New memory" required />
        <select value={newScope} onChange={(e) => setNewScope(e.target.value)} aria-label="New memory scope">
          <option>LOCAL</option><option>TEAM</option><option>GLOBAL</option>
        </select>
        <input placeholder="namespace (general)" value={newNs} onChange={(e) => setNewNs(e.target.value)} aria-label="New memory namespace" maxLength={50} size={12} />
        <button type="submit">Add</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
    </>
  );
}

function KeyValues({ id }: { id: string }) {
  const client = useQueryClient();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [ttl, setTtl] = useState('');
  const [error, setError] = useState('');
  const list = useQuery({ queryKey: ['kv', id], queryFn: () => api.keyValues(id) });
  const refresh = () => client.invalidateQueries({ queryKey: ['kv', id] });
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    setError('');
    let parsed: unknown = value;
    try { parsed = JSON.parse(value); } catch { /* not JSON: stored as a string */ }
    api.setKeyValue(id, key.trim(), parsed, Number(ttl) || undefined).then(() => { setKey(''); setValue(''); setTtl(''); return refresh(); }, (err: Error) => setError(err.message));
  };
  return (
    <>
      <h3>Key / value</h3>
      <table className="secrets"><tbody>
        {(list.data ?? []).map((kv) => (
          <tr key={kv.key}><td><code>{kv.key}</code></td><td><code>{JSON.stringify(kv.value)}</code></td>
            <td className="muted">v{kv.version}{kv.expires_at ? ` · expires ${new Date(kv.expires_at).toLocaleString()}` : ''}</td>
            <td><button className="link danger" onClick={() => api.deleteKeyValue(id, kv.key).then(refresh, (e: Error) => setError(e.message))}>delete</button></td></tr>
        ))}
        {list.data && !list.data.length && <tr><td className="muted">No keys.</td></tr>}
      </tbody></table>
      <form className="row" onSubmit={save}>
        <input placeholder="key" value={key} onChange={(e) => setKey(e.target.value)} aria-label="Key" required />
        <input placeholder='value (JSON or text)' value={value} onChange={(e) => setValue(e.target.value)} aria-label="Value" />
        <input type="number" min={1} placeholder="TTL s" value={ttl} onChange={(e) => setTtl(e.target.value)} aria-label="Time to live in seconds" size={6} />
        <button type="submit">Set</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
    </>
  );
}
