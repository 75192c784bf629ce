import { useState } from 'react';
import { createDemoOrg } from '../demo';
import { rehydrate } from '../socket';
import { useOrg } from '../store';

/** An empty platform: start from one workspace or from the demo org. */
export function EmptyState() {
  const [busy, setBusy] = useState(false);
  const demo = async () => {
    setBusy(true);
    try {
      await createDemoOrg();
      await rehydrate();
    } catch (e) {
      useOrg.getState().notify(`Demo org failed: ${(e as Error).message}`, true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No workspaces yet</h2>
      <p>A workspace is one agent with a role. Put workspaces inside each other to build teams.</p>
      <div className="row">
        <button className="primary" onClick={() => useOrg.getState().openDialog({ kind: 'create' })}>Create workspace</button>
        <button onClick={demo} disabled={busy}>{busy ? 'Creating…' : 'Import demo org'}</button>
        <button onClick={() => useOrg.getState().openDialog({ kind: 'templates' })}>Browse org templates</button>
      </div>
      <p className="hint">The demo org is a PM with a Dev Lead and a Researcher on the scripted model: no API key needed.</p>
    </div>
  );
}
