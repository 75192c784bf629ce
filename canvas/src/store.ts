import { create } from 'zustand';
import { applyEvent, emptyOrg, hydrate, liveFlights, type OrgState } from './events';
import type { Workspace, WsEvent } from './types';

export type Connection = 'connecting' | 'live' | 'reconnecting';
export type Dialog = null | { kind: 'create'; parentId?: string | null } | { kind: 'search' } | { kind: 'settings' }
  | { kind: 'signin'; reason: string } | { kind: 'templates' }
  | { kind: 'delete'; id: string; children: { id: string; name: string }[] }
  | { kind: 'collapse'; id: string; children: { id: string; name: string }[] };

export interface OrgStore extends OrgState {
  connection: Connection;
  selectedId: string | null;
  tab: string;
  dialog: Dialog;
  /** Drop target highlighted while a node is dragged. */
  dropTargetId: string | null;
  /** A short message shown at the bottom (the server's error, an action's result). */
  toast: { text: string; error: boolean } | null;
  setWorkspaces(list: Workspace[]): void;
  apply(e: WsEvent, now?: number): void;
  tick(now?: number): void;
  setConnection(c: Connection): void;
  select(id: string | null, tab?: string): void;
  setTab(tab: string): void;
  openDialog(d: Dialog): void;
  setDropTarget(id: string | null): void;
  notify(text: string, error?: boolean): void;
}

export const useOrg = create<OrgStore>()((set) => ({
  ...emptyOrg,
  connection: 'connecting',
  selectedId: null,
  tab: 'chat',
  dialog: null,
  dropTargetId: null,
  toast: null,
  setWorkspaces: (list) => set((s) => {
    const next = hydrate(s, list);
    // a selection that no longer exists closes the panel
    return { ...next, selectedId: s.selectedId && next.workspaces[s.selectedId] ? s.selectedId : null };
  }),
  apply: (e, now = Date.now()) => set((s) => {
    const next = applyEvent(s, e, now);
    return { ...next, selectedId: s.selectedId && next.workspaces[s.selectedId] ? s.selectedId : null };
  }),
  tick: (now = Date.now()) => set((s) => liveFlights(s, now)),
  setConnection: (connection) => set({ connection }),
  select: (selectedId, tab) => set((s) => ({ selectedId, tab: tab ?? s.tab })),
  setTab: (tab) => set({ tab }),
  openDialog: (dialog) => set({ dialog }),
  setDropTarget: (dropTargetId) => set({ dropTargetId }),
  notify: (text, error = false) => set({ toast: { text, error } }),
}));
