import { beforeEach, describe, expect, it } from 'vitest';
import { useOrg } from './store';
import { ev, ws } from './testkit';

describe('store', () => {
  beforeEach(() => useOrg.setState({ workspaces: {}, flights: [], comms: [], recentEvents: [], selectedId: null, tab: 'chat' }));

  it('hydrates, then applies events', () => {
    useOrg.getState().setWorkspaces([ws('a', { status: 'provisioning' })]);
    useOrg.getState().apply(ev('WORKSPACE_ONLINE', 'a'));
    expect(useOrg.getState().workspaces.a.status).toBe('online');
  });

  it('re-hydration replaces what events left behind', () => {
    useOrg.getState().setWorkspaces([ws('a'), ws('b')]);
    useOrg.getState().setWorkspaces([ws('b', { status: 'offline' })]);
    expect(Object.keys(useOrg.getState().workspaces)).toEqual(['b']);
    expect(useOrg.getState().workspaces.b.status).toBe('offline');
  });

  it('closes the panel when the selected workspace goes away', () => {
    useOrg.getState().setWorkspaces([ws('a'), ws('b')]);
    useOrg.getState().select('a', 'details');
    expect(useOrg.getState()).toMatchObject({ selectedId: 'a', tab: 'details' });
    useOrg.getState().apply(ev('WORKSPACE_REMOVED', 'a'));
    expect(useOrg.getState().selectedId).toBeNull();
    useOrg.getState().select('b');
    useOrg.getState().setWorkspaces([ws('c')]);
    expect(useOrg.getState().selectedId).toBeNull();
  });

  it('drops flights that have landed on tick', () => {
    useOrg.getState().setWorkspaces([ws('a'), ws('b')]);
    useOrg.getState().apply(ev('ACTIVITY_LOGGED', 'a', { activity_type: 'a2a_send', source_id: 'a', target_id: 'b' }), 0);
    expect(useOrg.getState().flights).toHaveLength(1);
    useOrg.getState().tick(100);
    expect(useOrg.getState().flights).toHaveLength(1);
    useOrg.getState().tick(60_000);
    expect(useOrg.getState().flights).toHaveLength(0);
  });
});
