import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type OrgTemplate } from '../api';
import { alternatives, missingEnv, secretsFor } from '../orgImport';
import { rehydrate } from '../socket';
import { useOrg } from '../store';
import { close, Modal } from './Dialogs';

/**
 * Org templates (GET /org/templates) and their import. The import first asks without `force`:
 * a 412 lists the missing keys, which the user sets as global secrets (then imports again) or
 * skips with "Import anyway". "Scripted model" imports offline: no key is used, so none is asked.
 */
export function TemplatePalette() {
  const templates = useQuery({ queryKey: ['org-templates'], queryFn: api.orgTemplates });
  const [chosen, setChosen] = useState<OrgTemplate | null>(null);
  return (
    <Modal title={chosen ? `Import ${chosen.name}` : 'Org templates'} wide>
      {chosen ? <ImportForm template={chosen} onBack={() => setChosen(null)} /> : (
        <>
          <p className="muted">A template creates a whole team: its workspaces, roles, prompts, memories and schedules.</p>
          <ul className="templates" data-testid="org-templates">
            {(templates.data ?? []).map((t) => (
              <li key={t.dir}>
                <button onClick={() => setChosen(t)} data-testid={`template-${t.dir}`}>
                  <strong>{t.name}</strong> <span className="muted">{t.workspaces} workspace{t.workspaces === 1 ? '' : 's'}</span>
                  <span className="desc">{t.description}</span>
                  {t.required_env.length > 0 && <span className="muted">needs {t.required_env.join(', ')}</span>}
                </button>
              </li>
            ))}
            {templates.isSuccess && !templates.data.length && <li className="muted">No org templates on this platform.</li>}
          </ul>
          {templates.error && <p className="form-error" role="alert">{(templates.error as Error).message}</p>}
          <div className="row end"><button onClick={close}>Close</button></div>
        </>
      )}
    </Modal>
  );
}

function ImportForm({ template, onBack }: { template: OrgTemplate; onBack: () => void }) {
  const client = useQueryClient();
  const [scripted, setScripted] = useState(false);
  const [missing, setMissing] = useState<string[] | null>(null);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const importNow = async (force: boolean) => {
    setBusy(true);
    setError('');
    try {
      const r = await api.importOrg(template.dir, scripted ? { model: 'scripted', force: true } : { force });
      close();
      useOrg.getState().notify(r.error ? `Imported ${r.count} of ${template.name}: ${r.error}` : `Imported ${template.name}: ${r.count} workspaces`, !!r.error);
      await rehydrate();
    } catch (e) {
      const keys = e instanceof ApiError && e.status === 412 ? missingEnv(e.body) : null;
      if (keys) setMissing(keys);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const saveKeysAndImport = async (e: React.FormEvent) => {
    e.preventDefault();
    const { secrets, unfilled } = secretsFor(missing ?? [], picked, values);
    if (unfilled.length) {
      setError(`Still needed: ${unfilled.join(', ')}`);
      return;
    }
    setBusy(true);
    try {
      for (const s of secrets) await api.setGlobalSecret(s.key, s.value);
      await client.invalidateQueries({ queryKey: ['global-secrets'] });
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
      return;
    }
    await importNow(false);
  };

  if (missing) {
    return (
      <form className="form" onSubmit={saveKeysAndImport} data-testid="preflight">
        <p>{template.name} needs keys this platform does not have yet. Save them as global secrets (every workspace
          gets them) and import, or import anyway and add them later.</p>
        {missing.map((entry) => {
          const options = alternatives(entry);
          return (
            <div className="row" key={entry}>
              {options.length > 1
                ? <select aria-label={`Key for ${entry}`} value={picked[entry] ?? options[0]}
                    onChange={(e) => setPicked({ ...picked, [entry]: e.target.value })}>
                    {options.map((o) => <option key={o} value={o}>{o}</option>)}
                  </select>
                : <code>{options[0]}</code>}
              <input type="password" aria-label={`Value of ${options.join(' or ')}`} value={values[entry] ?? ''}
                onChange={(e) => setValues({ ...values, [entry]: e.target.value })} data-testid={`missing-${options[0]}`} />
            </div>
          );
        })}
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row end">
          <button type="button" onClick={onBack}>Back</button>
          <button type="button" onClick={() => importNow(true)} disabled={busy}>Import anyway</button>
          <button type="submit" className="primary" disabled={busy}>Save keys and import</button>
        </div>
      </form>
    );
  }
  return (
    <div className="form">
      <p>{template.description}</p>
      <p className="muted">{template.workspaces} workspaces.
        {template.required_env.length > 0 && <> Needs {template.required_env.join(', ')}.</>}
        {template.recommended_env.length > 0 && <> Works better with {template.recommended_env.join(', ')}.</>}</p>
      <label className="check"><input type="checkbox" checked={scripted} onChange={(e) => setScripted(e.target.checked)} />
        Scripted model: try it offline, no API key used</label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="row end">
        <button type="button" onClick={onBack}>Back</button>
        <button className="primary" onClick={() => importNow(false)} disabled={busy} data-testid="import-org">
          {busy ? 'Importing…' : 'Import'}</button>
      </div>
    </div>
  );
}
