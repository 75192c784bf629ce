import { describe, expect, it } from 'vitest';
import { applyEvent, emptyOrg, FLIGHT_MS, hydrate, liveFlights, subtree } from './events';
import { ev, ws } from './testkit';

const org = (...list: ReturnType<typeof ws>[]) => hydrate(emptyOrg, list);

describe('event reducer', () => {
  it('moves a workspace through the lifecycle events', () => {
    let s = org(ws('a', { status: 'provisioning' }));
    s = applyEvent(s, ev('WORKSPACE_ONLINE', 'a', { agent_card: { name: 'A', model: 'scripted' } }), 0);
    expect(s.workspaces.a.status).toBe('online');
    expect(s.workspaces.a.agent_card?.model).toBe('scripted');
    s = applyEvent(s, ev('WORKSPACE_DEGRADED', 'a', { error_rate: 0.6, sample_error: 'boom' }), 0);
    expect(s.workspaces.a).toMatchObject({ status: 'degraded', last_error_rate: 0.6, last_sample_error: 'boom' });
    s = applyEvent(s, ev('WORKSPACE_PROVISION_FAILED', 'a', { error: 'no key' }), 0);
    expect(s.workspaces.a).toMatchObject({ status: 'failed', last_sample_error: 'no key' });
    s = applyEvent(s, ev('WORKSPACE_PAUSED', 'a'), 0);
    expect(s.workspaces.a.status).toBe('paused');
    s = applyEvent(s, ev('WORKSPACE_OFFLINE', 'a'), 0);
    expect(s.workspaces.a.status).toBe('offline');
  });

  it('adds a workspace first seen in WORKSPACE_PROVISIONING, with its parent and name', () => {
    const s = applyEvent(org(ws('p')), ev('WORKSPACE_PROVISIONING', 'c', { name: 'Child', parent_id: 'p', runtime: 'x' }), 0);
    expect(s.workspaces.c).toMatchObject({ name: 'Child', parent_id: 'p', runtime: 'x', status: 'provisioning' });
  });

  it('ignores status events of workspaces it does not know (hydration brings them)', () => {
    const s = applyEvent(org(), ev('WORKSPACE_ONLINE', 'ghost'), 0);
    expect(s.workspaces).toEqual({});
    expect(s.recentEvents).toHaveLength(1);
  });

  it('removes a deleted workspace with everything below it', () => {
    const s0 = org(ws('root'), ws('team', { parent_id: 'root' }), ws('member', { parent_id: 'team' }), ws('other'));
    const s = applyEvent(s0, ev('WORKSPACE_REMOVED', 'team', { cascade_deleted: 1 }), 0);
    expect(Object.keys(s.workspaces).sort()).toEqual(['other', 'root']);
  });

  it('follows a rename, a move and a re-parent made elsewhere, changing only the fields sent', () => {
    let s = org(ws('boss'), ws('a', { name: 'Old', role: 'dev', parent_id: 'boss', x: 5, y: 6 }));
    s = applyEvent(s, ev('WORKSPACE_UPDATED', 'a', { name: 'New', tier: 2, collapsed: true }), 0);
    expect(s.workspaces.a).toMatchObject({ name: 'New', role: 'dev', tier: 2, collapsed: true, parent_id: 'boss', x: 5 });
    s = applyEvent(s, ev('WORKSPACE_MOVED', 'a', { x: 40, y: 7.5 }), 0);
    expect(s.workspaces.a).toMatchObject({ x: 40, y: 7.5, parent_id: 'boss' });
    s = applyEvent(s, ev('WORKSPACE_MOVED', 'a', { parent_id: null }), 0);
    expect(s.workspaces.a.parent_id).toBeNull();
    s = applyEvent(s, ev('WORKSPACE_MOVED', 'a', { parent_id: 'boss' }), 0);
    expect(s.workspaces.a.parent_id).toBe('boss');
    s = applyEvent(s, ev('WORKSPACE_UPDATED', 'a', { role: null, name: '' }), 0);
    expect(s.workspaces.a).toMatchObject({ name: 'New', role: null });
    expect(applyEvent(s, ev('WORKSPACE_MOVED', 'ghost', { parent_id: 'boss' }), 0).workspaces.ghost).toBeUndefined();
  });

  it('tracks tasks from heartbeats and TASK_UPDATED', () => {
    let s = org(ws('a'));
    s = applyEvent(s, ev('TASK_UPDATED', 'a', { current_task: 'writing tests', active_tasks: 1 }), 0);
    expect(s.workspaces.a).toMatchObject({ current_task: 'writing tests', active_tasks: 1 });
    s = applyEvent(s, ev('WORKSPACE_HEARTBEAT', 'a', { active_tasks: 0, uptime_seconds: 42 }), 0);
    expect(s.workspaces.a).toMatchObject({ active_tasks: 0, uptime_seconds: 42, current_task: 'writing tests' });
  });

  it('turns a2a_send into a flight caller → target and a2a_receive into the answer flying back', () => {
    let s = org(ws('pm'), ws('dev', { parent_id: 'pm' }));
    s = applyEvent(s, ev('ACTIVITY_LOGGED', 'pm', { activity_type: 'a2a_send', source_id: 'pm', target_id: 'dev', summary: 'message/send → dev', status: 'ok' }), 1000);
    expect(s.flights).toMatchObject([{ from: 'pm', to: 'dev', until: 1000 + FLIGHT_MS, error: false }]);
    s = applyEvent(s, ev('ACTIVITY_LOGGED', 'dev', { activity_type: 'a2a_receive', source_id: 'pm', target_id: 'dev', status: 'error' }), 1500);
    expect(s.flights[1]).toMatchObject({ from: 'dev', to: 'pm', error: true });
    expect(s.comms.map((c) => c.kind)).toEqual(['a2a_receive', 'a2a_send']);
    expect(liveFlights(s, 1000 + FLIGHT_MS + 1).flights).toHaveLength(1);
    expect(liveFlights(s, 1500 + FLIGHT_MS + 1).flights).toHaveLength(0);
  });

  it('logs a canvas call (no source) in comms but flies nothing', () => {
    const s = applyEvent(org(ws('a')), ev('ACTIVITY_LOGGED', 'a', { activity_type: 'a2a_receive', source_id: null, target_id: 'a' }), 0);
    expect(s.comms).toHaveLength(1);
    expect(s.flights).toHaveLength(0);
  });

  it('ignores other activity types for traffic', () => {
    const s = applyEvent(org(ws('a')), ev('ACTIVITY_LOGGED', 'a', { activity_type: 'agent_log', source_id: 'a', target_id: 'b' }), 0);
    expect(s.comms).toHaveLength(0);
  });

  it('keeps agent messages per workspace', () => {
    const s = applyEvent(org(ws('a')), ev('AGENT_MESSAGE', 'a', { message: 'done!' }), 0);
    expect(s.agentMessages.a).toEqual([{ at: '2026-01-01T00:00:00Z', text: 'done!' }]);
  });

  it('finds a subtree', () => {
    const s = org(ws('r'), ws('a', { parent_id: 'r' }), ws('b', { parent_id: 'a' }), ws('x'));
    expect([...subtree(s.workspaces, 'r')].sort()).toEqual(['a', 'b', 'r']);
  });
});
