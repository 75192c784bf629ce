import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText, type Schedule } from '../../api';
import { CRON_EXAMPLES, CRON_FIELDS, cronHint, describeCron } from '../../cron';
import { useOrg } from '../../store';
import type { TabProps } from './index';

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const when = (t: string | null) => (t ? new Date(t).toLocaleString() : '—');
/** Refetch whenever the scheduler reports a run of this workspace over /ws. */
const useCronRuns = (id: string) =>
  useOrg((s) => s.recentEvents.filter((e) => e.workspace_id === id && e.event.startsWith('CRON_')).length);

/** The workspace's cron schedules: list, create (with cron help), enable/disable, run now, history, delete. */
export function SchedulesTab({ id }: TabProps) {
  const runs = useCronRuns(id);
  const list = useQuery({ queryKey: ['schedules', id, runs], queryFn: () => api.schedules(id) });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="schedules">
      <h3>Schedules</h3>
      {list.error && <p className="form-error">{errorText(list.error)}</p>}
      <ul className="feed" data-testid="schedules">
        {(list.data ?? []).map((s) => (
          <ScheduleRow key={s.id} id={id} s={s} open={open === s.id} toggle={() => setOpen(open === s.id ? null : s.id)} />
        ))}
        {list.data && !list.data.length && <li className="muted">No schedules yet.</li>}
      </ul>
      <NewScheduleForm id={id} onCreated={(sid) => setOpen(sid)} />
    </div>
  );
}

function ScheduleRow({ id, s, open, toggle }: { id: string; s: Schedule; open: boolean; toggle: () => void }) {
  const client = useQueryClient();
  const [error, setError] = useState('');
  const [firing, setFiring] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ['schedules', id] });
  const act = (p: Promise<unknown>) => { setError(''); return p.then(refresh, (e) => setError(errorText(e))); };
  const runNow = async () => {
    setFiring(true);
    if (!open) toggle();
    await act(api.runSchedule(id, s.id));
    setFiring(false);
  };
  return (
    <li data-testid={`schedule-${s.name}`}>
      <div className="row">
        <strong>{s.name}</strong>
        <code title={describeCron(s.cron_expr) ?? undefined}>{s.cron_expr}</code>
        <span className="muted">{s.timezone}</span>
        <span className={`pill ${s.enabled ? 'status-online' : 'status-paused'}`}>{s.enabled ? 'enabled' : 'disabled'}</span>
        {s.last_status && <span className={`pill ${s.last_status === 'ok' ? 'status-online' : 'status-failed'}`} data-testid="schedule-last-status">{s.last_status}</span>}
      </div>
      <div className="muted">
        {describeCron(s.cron_expr) && <>{describeCron(s.cron_expr)} · </>}
        last run {when(s.last_run_at)} · next {s.enabled ? when(s.next_run_at) : '—'} · {s.run_count} run{s.run_count === 1 ? '' : 's'}
      </div>
      {s.last_error && <div className="error-line">{s.last_error}</div>}
      <div className="row">
        <button onClick={runNow} disabled={firing}>Run now</button>
        <button onClick={() => act(api.patchSchedule(id, s.id, { enabled: !s.enabled }))}>{s.enabled ? 'Disable' : 'Enable'}</button>
        <button className="link" onClick={toggle} aria-expanded={open}>{open ? 'Hide history' : 'History'}</button>
        {deleting
          ? <><button className="danger" onClick={() => act(api.deleteSchedule(id, s.id))}>Delete “{s.name}”</button>
              <button className="link" onClick={() => setDeleting(false)}>Keep it</button></>
          : <button className="link danger" onClick={() => setDeleting(true)}>Delete…</button>}
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      {open && <History id={id} scheduleId={s.id} waiting={firing || s.run_count === 0} />}
    </li>
  );
}

/** The last 20 runs (the platform's cron_run activity rows); polls briefly while a run is expected. */
function History({ id, scheduleId, waiting }: { id: string; scheduleId: string; waiting: boolean }) {
  const runs = useCronRuns(id);
  const history = useQuery({
    queryKey: ['schedule-history', id, scheduleId, runs],
    queryFn: () => api.scheduleHistory(id, scheduleId),
    refetchInterval: (q) => (waiting && !(q.state.data ?? []).length ? 2000 : false),
  });
  return (
    <table className="history" data-testid="schedule-history">
      <tbody>
        {(history.data ?? []).map((r, i) => (
          <tr key={r.timestamp + i} className={r.status === 'ok' ? '' : 'error'} data-testid="schedule-run">
            <td><span className={`pill ${r.status === 'ok' ? 'status-online' : 'status-failed'}`}>{r.status}</span></td>
            <td>{when(r.timestamp)}</td>
            <td className="muted">{r.duration_ms != null ? `${r.duration_ms} ms` : ''}</td>
            <td className="error-line">{r.error_detail ?? ''}</td>
          </tr>
        ))}
        {history.data && !history.data.length && <tr><td className="muted">No runs yet.</td></tr>}
        {history.error && <tr><td className="form-error">{errorText(history.error)}</td></tr>}
      </tbody>
    </table>
  );
}

function NewScheduleForm({ id, onCreated }: { id: string; onCreated: (scheduleId: string) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [cron, setCron] = useState('0 9 * * 1-5');
  const [zone, setZone] = useState(localZone);
  const [prompt, setPrompt] = useState('');
  const [error, setError] = useState('');
  const hint = cronHint(cron);
  const words = describeCron(cron);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const created = await api.createSchedule(id, { name: name.trim(), cron_expr: cron.trim(), timezone: zone.trim(), prompt, enabled: true });
      setName('');
      setPrompt('');
      await client.invalidateQueries({ queryKey: ['schedules', id] });
      onCreated(created.id);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label="New schedule">
      <h3>New schedule</h3>
      <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="daily standup" data-testid="schedule-name" /></label>
      <label>Cron expression
        <input value={cron} onChange={(e) => setCron(e.target.value)} required spellCheck={false} className="code"
          aria-describedby="cron-help" aria-invalid={hint ? true : undefined} data-testid="schedule-cron" />
      </label>
      <div id="cron-help" className="hint" aria-live="polite">
        {hint ? <span className="form-error">{hint}</span> : words ? <span>Runs {words} ({zone}).</span> : null}
        <details>
          <summary>Cron help</summary>
          <p>Five fields separated by spaces: {CRON_FIELDS.map((f) => `${f.name} (${f.range})`).join(', ')}.
            <code>*</code> is any value, <code>a-b</code> a range, <code>a,b</code> a list, <code>*/n</code> every n-th.</p>
          <ul>
            {CRON_EXAMPLES.map((x) => (
              <li key={x.expr}><button type="button" className="link" onClick={() => setCron(x.expr)}><code>{x.expr}</code></button> {x.meaning}</li>
            ))}
          </ul>
        </details>
      </div>
      <label>Time zone
        <input list="schedule-zones" value={zone} onChange={(e) => setZone(e.target.value)} required data-testid="schedule-timezone" />
        <datalist id="schedule-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      </label>
      <label>Prompt<textarea rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} required placeholder="What the agent is asked at each run" data-testid="schedule-prompt" /></label>
      <div className="row"><button type="submit" className="primary">Create schedule</button></div>
      {error && <p className="form-error" role="alert" data-testid="schedule-error">{error}</p>}
    </form>
  );
}
