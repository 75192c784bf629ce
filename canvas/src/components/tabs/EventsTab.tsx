import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { useOrg } from '../../store';
import type { TabProps } from './index';

/** Events of this workspace: live from /ws since the page opened, then the recorded history. */
export function EventsTab({ id }: TabProps) {
  const live = useOrg((s) => s.recentEvents.filter((e) => e.workspace_id === id));
  const recorded = useQuery({ queryKey: ['events', id, live.length], queryFn: () => api.events(id) });
  return (
    <div>
      <h3>Live</h3>
      <ul className="feed" data-testid="events-live">
        {live.map((e, i) => (
          <li key={`${e.timestamp}-${i}`}><span className="pill">{e.event}</span> <span className="muted">{new Date(e.timestamp).toLocaleTimeString()}</span>
            <code className="payload">{JSON.stringify(e.payload)}</code></li>
        ))}
        {!live.length && <li className="muted">None since this page opened.</li>}
      </ul>
      <h3>Recorded</h3>
      <ul className="feed">
        {(recorded.data ?? []).map((e) => (
          <li key={e.id}><span className="pill">{e.event_type}</span> <span className="muted">{new Date(e.created_at).toLocaleString()}</span></li>
        ))}
        {recorded.error && <li className="form-error">{(recorded.error as Error).message}</li>}
      </ul>
    </div>
  );
}
