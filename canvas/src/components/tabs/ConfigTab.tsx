import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, errorText } from '../../api';
import { CONFIG_FIELDS, parseConfig, readFields, withField, type ConfigFields } from '../../yamlConfig';
import { MODELS, SecretEditor } from '../Dialogs';
import { useOrg } from '../../store';
import type { TabProps } from './index';

/** Model choice, the workspace's config.yaml (form + raw YAML) and its secrets beside the global ones. */
export function ConfigTab({ id }: TabProps) {
  return (
    <div className="config">
      <ModelForm id={id} />
      <ConfigYaml id={id} />
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

/**
 * config.yaml (GET/PUT /workspaces/:id/files/config.yaml): a form of its common keys above the raw
 * YAML of the same document. The text is the source of truth; the form writes into it (comments and
 * unknown keys stay) and follows it while it parses. Invalid YAML is shown inline and never saved.
 */
function ConfigYaml({ id }: { id: string }) {
  const client = useQueryClient();
  const ws = useOrg((s) => s.workspaces[id]);
  const file = useQuery({
    queryKey: ['config-yaml', id],
    queryFn: () => api.readFile(id, 'config.yaml').catch((e) => {
      if (e instanceof ApiError && e.status === 404) return { path: 'config.yaml', content: '', size: 0 };
      throw e;
    }),
  });
  const [text, setText] = useState('');
  const [fields, setFields] = useState<ConfigFields>({});
  const [msg, setMsg] = useState('');
  const [saved, setSaved] = useState(false);
  const parsed = useMemo(() => parseConfig(text), [text]);
  const load = (t: string) => {
    setText(t);
    const p = parseConfig(t);
    if (p.doc) setFields(readFields(p.doc));
  };
  useEffect(() => { if (file.data) load(file.data.content); }, [file.data]);
  const editRaw = (t: string) => { load(t); setSaved(false); };
  const editField = (key: string, value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    setText((t) => withField(t, key, value));
    setSaved(false);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setMsg('');
    if (parsed.error) return;
    try {
      await api.writeFile(id, 'config.yaml', text);
      // the platform writes config.yaml from the workspace row's name and role at every start: keep the row in step
      const row: Record<string, string> = {};
      const name = fields.name?.trim();
      if (name && ws && name !== ws.name) row.name = name;
      if (ws && (fields.role?.trim() ?? '') !== (ws.role ?? '')) row.role = fields.role?.trim() ?? '';
      if (Object.keys(row).length) await api.patch(id, row);
      await client.invalidateQueries({ queryKey: ['config-yaml', id] });
      await client.invalidateQueries({ queryKey: ['config', id] });
      setSaved(true);
    } catch (err) {
      setMsg(errorText(err));
    }
  };
  const restart = () => api.restart(id).then(() => { setSaved(false); setMsg('Restarting with the new config…'); }, (err) => setMsg(errorText(err)));
  return (
    <form className="form" onSubmit={save} aria-label="config.yaml">
      <h3>config.yaml</h3>
      {file.error && <p className="form-error">{errorText(file.error)}</p>}
      <fieldset className="config-fields" disabled={!!parsed.error}>
        {CONFIG_FIELDS.map((f) => (
          <label key={f.key}>{f.label}{f.help && <span className="muted"> ({f.help})</span>}
            {f.kind === 'multiline'
              ? <textarea rows={3} value={fields[f.key] ?? ''} onChange={(e) => editField(f.key, e.target.value)} data-testid={`config-field-${f.key}`} />
              : <input type={f.kind === 'number' ? 'number' : 'text'} min={f.kind === 'number' ? 1 : undefined}
                  value={fields[f.key] ?? ''} onChange={(e) => editField(f.key, e.target.value)} data-testid={`config-field-${f.key}`} />}
          </label>
        ))}
      </fieldset>
      <label>Raw YAML <span className="muted">(keys the form does not show are edited here)</span>
        <textarea className="code" rows={14} value={text} onChange={(e) => editRaw(e.target.value)} spellCheck={false}
          aria-invalid={parsed.error ? true : undefined} aria-describedby="config-yaml-error" data-testid="config-yaml" />
      </label>
      {parsed.error && <p id="config-yaml-error" className="form-error" role="alert" data-testid="config-error">Invalid YAML: {parsed.error}. Fix it to save (the form is paused).</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={!!parsed.error || file.isLoading} data-testid="config-save">Save config.yaml</button>
        {saved && <><span className="muted" data-testid="config-saved">Saved: it applies at the next restart.</span>
          <button type="button" onClick={restart}>Restart now</button></>}
        {msg && <span className="muted" role="status">{msg}</span>}
      </div>
    </form>
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
