import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { actions } from '../actions';
import { api } from '../api';
import { clearToken, readToken, saveToken, withAuth } from '../auth';
import { rehydrate } from '../socket';
import { useOrg } from '../store';
import { statusWord } from '../status';
import { TemplatePalette } from './TemplatePalette';

/** The open dialog, if any (one at a time, from the store). */
export function Dialogs() {
  const dialog = useOrg((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'create': return <CreateDialog parentId={dialog.parentId ?? null} />;
    case 'delete': return <DeleteDialog id={dialog.id} children={dialog.children} />;
    case 'collapse': return <CollapseDialog id={dialog.id} children={dialog.children} />;
    case 'search': return <SearchDialog />;
    case 'settings': return <SettingsDialog />;
    case 'signin': return <SignInDialog reason={dialog.reason} />;
    case 'templates': return <TemplatePalette />;
  }
}

export const close = () => useOrg.getState().openDialog(null);

export function Modal({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
  }, []);
  return (
    <div className="overlay" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div ref={ref} className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export const MODELS = ['scripted', 'anthropic:claude-sonnet-4-5', 'openai:gpt-4o-mini', 'gemini:gemini-2.5-flash', 'ollama:llama3.2'];

function CreateDialog({ parentId }: { parentId: string | null }) {
  const workspaces = useOrg((s) => s.workspaces);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [model, setModel] = useState('scripted');
  const [parent, setParent] = useState(parentId ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api.create({ name: name.trim(), role: role.trim() || undefined, model: model || undefined, parent_id: parent || undefined });
      close();
      useOrg.getState().notify(`Created ${name.trim()}`);
      await rehydrate();
      useOrg.getState().select(r.id, 'chat');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="New workspace">
      <form onSubmit={submit} className="form">
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={255} data-testid="create-name" /></label>
        <label>Role<input value={role} onChange={(e) => setRole(e.target.value)} maxLength={1000} placeholder="What this agent does" /></label>
        <label>Model
          <input list="models" value={model} onChange={(e) => setModel(e.target.value)} maxLength={100} />
          <datalist id="models">{MODELS.map((m) => <option key={m} value={m} />)}</datalist>
        </label>
        <label>Inside
          <select value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">(root: no parent)</option>
            {Object.values(workspaces).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </select>
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row end">
          <button type="button" onClick={close}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>Create</button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteDialog({ id, children }: { id: string; children: { id: string; name: string }[] }) {
  const ws = useOrg((s) => s.workspaces[id]);
  return (
    <Modal title={`Delete ${ws?.name ?? 'workspace'} and its team?`}>
      <p>{ws?.name} has {children.length} workspace{children.length === 1 ? '' : 's'} inside it. Deleting it deletes them too:</p>
      <ul className="list">{children.map((c) => <li key={c.id}>{c.name}</li>)}</ul>
      <div className="row end">
        <button onClick={close}>Cancel</button>
        <button className="danger" data-testid="confirm-cascade" onClick={() => actions.remove(id, true)}>Delete all</button>
      </div>
    </Modal>
  );
}

function CollapseDialog({ id, children }: { id: string; children: { id: string; name: string }[] }) {
  const ws = useOrg((s) => s.workspaces[id]);
  return (
    <Modal title={`Collapse ${ws?.name ?? 'team'}?`}>
      <p>Collapsing removes the members of {ws?.name} (and everything below them); {ws?.name} itself stays:</p>
      <ul className="list">{children.map((c) => <li key={c.id}>{c.name}</li>)}</ul>
      <div className="row end">
        <button onClick={close}>Cancel</button>
        <button className="danger" data-testid="confirm-collapse" onClick={() => actions.collapse(id)}>Collapse</button>
      </div>
    </Modal>
  );
}

function SearchDialog() {
  const workspaces = useOrg((s) => s.workspaces);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return Object.values(workspaces).filter((w) => !needle || w.name.toLowerCase().includes(needle)
      || (w.role ?? '').toLowerCase().includes(needle) || w.status.includes(needle)).slice(0, 20);
  }, [q, workspaces]);
  const pick = (id: string) => {
    close();
    useOrg.getState().select(id);
  };
  return (
    <Modal title="Find a workspace">
      <input className="search" placeholder="Name, role or status" value={q} aria-label="Search workspaces"
        onChange={(e) => { setQ(e.target.value); setActive(0); }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
          if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          if (e.key === 'Enter' && hits[active]) pick(hits[active].id);
        }} />
      <ul className="results" role="listbox">
        {hits.map((w, i) => (
          <li key={w.id} role="option" aria-selected={i === active}>
            <button className={i === active ? 'active' : ''} onClick={() => pick(w.id)}>
              <strong>{w.name}</strong> <span className="muted">{w.role ?? ''}</span> <span className={`pill status-${w.status}`}>{statusWord(w.status)}</span>
            </button>
          </li>
        ))}
        {!hits.length && <li className="muted">No workspace matches.</li>}
      </ul>
    </Modal>
  );
}

/** Asked on a 401: the platform runs outside development mode and wants its ADMIN_TOKEN. */
function SignInDialog({ reason }: { reason: string }) {
  const client = useQueryClient();
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      // checked before it is kept: a wrong token must not replace a working one
      const res = await fetch('/workspaces', { headers: withAuth({}, token.trim()) });
      if (res.status === 401) {
        setError('The platform did not accept this token.');
        return;
      }
      saveToken(token, remember);
      close();
      await rehydrate();
      await client.invalidateQueries();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Sign in">
      <form onSubmit={submit} className="form">
        <p className="muted">This platform needs its admin token ({reason}). It is the <code>ADMIN_TOKEN</code> the platform was started with.</p>
        <label>Admin token<input type="password" value={token} onChange={(e) => setToken(e.target.value)} required
          autoComplete="current-password" data-testid="signin-token" /></label>
        <label className="check"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember on this device</label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row end">
          <button type="submit" className="primary" disabled={busy || !token.trim()}>Sign in</button>
        </div>
      </form>
    </Modal>
  );
}

/** Global settings: the global secrets every workspace inherits unless it overrides them. */
function SettingsDialog() {
  const client = useQueryClient();
  const secrets = useQuery({ queryKey: ['global-secrets'], queryFn: api.globalSecrets });
  return (
    <Modal title="Settings" wide>
      <h3>Global secrets</h3>
      <p className="muted">Every workspace gets these as environment variables unless it sets its own. Values are never shown.</p>
      <SecretEditor
        rows={(secrets.data ?? []).map((s) => ({ key: s.key, note: 'global' }))}
        onSave={async (k, v) => { await api.setGlobalSecret(k, v); await client.invalidateQueries({ queryKey: ['global-secrets'] }); }}
        onDelete={async (k) => { await api.deleteGlobalSecret(k); await client.invalidateQueries({ queryKey: ['global-secrets'] }); }}
      />
      {secrets.error && <p className="form-error">{(secrets.error as Error).message}</p>}
      <div className="row end">
        {readToken() && <button onClick={() => { clearToken(); close(); location.reload(); }}>Sign out</button>}
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}

/** A key list with delete buttons and a key/value form: global and workspace secrets alike. */
export function SecretEditor({ rows, onSave, onDelete }: {
  rows: { key: string; note: string; deletable?: boolean }[];
  onSave: (key: string, value: string) => Promise<void>;
  onDelete: (key: string) => Promise<void>;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const guard = async (fn: () => Promise<void>) => {
    setError('');
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="secrets">
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td><code>{r.key}</code></td>
              <td className="muted">{r.note}</td>
              <td>{r.deletable !== false && <button className="link danger" onClick={() => guard(() => onDelete(r.key))} aria-label={`Delete ${r.key}`}>delete</button>}</td>
            </tr>
          ))}
          {!rows.length && <tr><td className="muted" colSpan={3}>None yet.</td></tr>}
        </tbody>
      </table>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void guard(async () => { await onSave(key.trim(), value); setKey(''); setValue(''); }); }}>
        <input placeholder="KEY" value={key} onChange={(e) => setKey(e.target.value)} aria-label="Secret name" required />
        <input placeholder="value" type="password" value={value} onChange={(e) => setValue(e.target.value)} aria-label="Secret value" required />
        <button type="submit">Save</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
