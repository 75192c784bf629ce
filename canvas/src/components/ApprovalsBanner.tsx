import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { useOrg } from '../store';

/** Pending approvals across the org, with approve / reject; refreshed by APPROVAL_* events. */
export function ApprovalsBanner() {
  const client = useQueryClient();
  const seen = useOrg((s) => s.recentEvents.filter((e) => e.event.startsWith('APPROVAL_')).length);
  const pending = useQuery({ queryKey: ['approvals', seen], queryFn: api.pendingApprovals, refetchInterval: 30_000 });
  const list = pending.data ?? [];
  if (!list.length) return null;
  const decide = (workspaceId: string, approvalId: string, decision: 'approved' | 'denied') =>
    api.decide(workspaceId, approvalId, decision).then(
      () => client.invalidateQueries({ queryKey: ['approvals'] }),
      (e: Error) => useOrg.getState().notify(`Could not decide: ${e.message}`, true));
  return (
    <div className="approvals" role="region" aria-label="Pending approvals" data-testid="approvals">
      {list.map((a) => (
        <div key={a.id} className="approval" data-testid="approval">
          <span><strong>{a.workspace_name}</strong> asks to <strong>{a.action}</strong>{a.reason ? `: ${a.reason}` : ''}</span>
          <span className="row">
            <button className="primary" onClick={() => decide(a.workspace_id, a.id, 'approved')}>Approve</button>
            <button className="danger" onClick={() => decide(a.workspace_id, a.id, 'denied')}>Reject</button>
          </span>
        </div>
      ))}
    </div>
  );
}
