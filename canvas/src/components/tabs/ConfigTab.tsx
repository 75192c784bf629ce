import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { MODELS, SecretEditor } from '../Dialogs';
import { useOrg } from '../../store';
import type { TabProps } from './index';

/** Model choice, the workspace's config document and its secrets beside the global ones. */
export function ConfigTab({ id }: TabProps) {
  return (
    <div className="config">
      <ModelForm id={id} />
      <ConfigDocument id={id} />
      <Secrets id={id} />
    </div>
  );
}

function ModelForm({ id }: { id: string }) {
  const model = useQuery({ queryKey: ['model', id], queryFn: () => api.model(id) });
  const [value, setValue] = useState('');
  const [msg, setMsg] = useState('');
  useEffect(() => { if (model.data) setValue(model.data.model); }, [model.data]);
  return (
    <form className="form" onSubmit={(e) => {
      e.preventDefault();
      api.setModel(id, value.trim()).then(() => setMsg('Saved: the workspace restarts with it.'), (err: Error) => setMsg(err.message));
    }}>
      <h3>Model</h3>
      <label>Model override <span className="muted">({model.data?.source === 'workspace_secrets' ? 'set here' : 'from config'})</span>
        <input list="config-models" value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} placeholder="empty: the config's model" />
        <datalist id="config-models">{MODELS.map((m) => <option key={m} value={m} />)}</datalist>
      </label>
      <div className="row"><button type="submit">Save model</button>{msg && <span className="muted">{msg}</span>}</div>
    </form>
  );
}

/** The config document (GET/PATCH /workspaces/:id/config): a shallow merge, applied at the next start. */
function ConfigDocument({ id }: { id: string }) {
  const client = useQueryClient();
  const config = useQuery({ queryKey: ['config', id], queryFn: () => api.config(id) });
  const [text, setText] = useState('');
  const [msg, setMsg] = useState('');
  useEffect(() => { if (config.data) setText(JSON.stringify(config.data.data, null, 2)); }, [config.data]);
  const save = async () => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      setMsg(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      setMsg('The config must be a JSON object.');
      return;
    }
    try {
      await api.patchConfig(id, data as Record<string, unknown>);
      await client.invalidateQueries({ queryKey: ['config', id] });
      setMsg('Saved: restart the workspace to apply it.');
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  return (
    <div className="form">
      <h3>Config document</h3>
      <p className="muted">Keys are merged into the stored config (system prompt, script, skills…) and apply at the next restart.</p>
      <textarea className="code" rows={12} value={text} onChange={(e) => setText(e.target.value)} aria-label="Config JSON" spellCheck={false} />
      <div className="row">
        <button onClick={save}>Save config</button>
        <button onClick={() => useOrg.getState().select(id, 'details')}>Restart…</button>
        {msg && <span className="muted">{msg}</span>}
      </div>
    </div>
  );
}

function Secrets({ id }: { id: string }) {
  const client = useQueryClient();
  const secrets = useQuery({ queryKey: ['secrets', id], queryFn: () => api.secrets(id) });
  const globals = useQuery({ queryKey: ['global-secrets'], queryFn: api.globalSecrets });
  const own = new Set((secrets.data ?? []).filter((s) => s.scope === 'workspace').map((s) => s.key));
  const rows = [
    ...(secrets.data ?? []).filter((s) => s.scope === 'workspace').map((s) => ({
      key: s.key, note: (globals.data ?? []).some((g) => g.key === s.key) ? 'workspace (overrides global)' : 'workspace' })),
    ...(globals.data ?? []).filter((g) => !own.has(g.key)).map((g) => ({ key: g.key, note: 'global (inherited)', deletable: false })),
  ];
  const refresh = () => client.invalidateQueries({ queryKey: ['secrets', id] });
  return (
    <>
      <h3>Secrets</h3>
      <p className="muted">A workspace secret overrides the global one of the same name. Saving restarts the workspace.</p>
      <SecretEditor rows={rows}
        onSave={async (k, v) => { await api.setSecret(id, k, v); await refresh(); }}
        onDelete={async (k) => { await api.deleteSecret(id, k); await refresh(); }} />
    </>
  );
}
