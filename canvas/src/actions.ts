import { api, ApiError, type DeleteConfirmation } from './api';
import { rehydrate } from './socket';
import { useOrg } from './store';

const say = (text: string, error = false) => useOrg.getState().notify(text, error);
const nameOf = (id: string) => useOrg.getState().workspaces[id]?.name ?? 'workspace';

async function run(label: string, id: string, fn: () => Promise<unknown>) {
  try {
    await fn();
    say(`${label}: ${nameOf(id)}`);
    await rehydrate();
  } catch (e) {
    say(`${label} ${nameOf(id)} failed: ${(e as Error).message}`, true);
  }
}

/** The workspace actions of the context menu and the Details tab, one implementation. */
export const actions = {
  restart: (id: string) => run('Restarting', id, () => api.restart(id)),
  pause: (id: string) => run('Paused', id, () => api.pause(id)),
  resume: (id: string) => run('Resuming', id, () => api.resume(id)),
  /** A copy beside the original (same parent), made from its bundle by the platform. */
  duplicate: (id: string) => run('Duplicated', id, () => api.duplicate(id)),
  /** Creates the team its config's `sub_workspaces` describe (POST /workspaces/:id/expand). */
  expand: (id: string) => run('Expanded', id, () => api.expand(id)),
  /** Removes the direct members of a team, after the confirmation dialog. */
  collapse: (id: string) => run('Collapsed', id, async () => {
    await api.collapse(id);
    useOrg.getState().openDialog(null);
  }),
  /** Downloads the workspace's bundle (with its team) as a JSON file. */
  exportBundle: (id: string) => run('Exported', id, async () => {
    const bundle = await api.exportBundle(id);
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${nameOf(id).replace(/[^\w.-]+/g, '-')}.bundle.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }),
  /**
   * Deletes. A team needs the cascade confirmation: asked first when we know its members, and
   * whenever the server answers 409 confirmation_required (it has the last word).
   */
  async remove(id: string, confirmed = false) {
    const name = nameOf(id);
    const members = Object.values(useOrg.getState().workspaces).filter((w) => w.parent_id === id);
    if (!confirmed && members.length) {
      useOrg.getState().openDialog({ kind: 'delete', id, children: members.map((w) => ({ id: w.id, name: w.name })) });
      return;
    }
    try {
      const r = await api.remove(id, confirmed);
      useOrg.getState().openDialog(null);
      say(r.cascade_deleted ? `Deleted ${name} and ${r.cascade_deleted} below it` : `Deleted ${name}`);
      await rehydrate();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && (e.body as DeleteConfirmation)?.status === 'confirmation_required') {
        useOrg.getState().openDialog({ kind: 'delete', id, children: (e.body as DeleteConfirmation).children });
        return;
      }
      say(`Delete ${name} failed: ${(e as Error).message}`, true);
    }
  },
};
