import { api, ApiError } from './api';
import { useOrg } from './store';
import type { WsEvent } from './types';

const MAX_BACKOFF_MS = 10_000;

/** Loads GET /workspaces into the store; the server's list wins over anything seen before. */
export async function rehydrate(): Promise<void> {
  try {
    useOrg.getState().setWorkspaces(await api.list());
  } catch (e) {
    // a 401 has opened the sign-in dialog: that says it better than a toast
    if (e instanceof ApiError && e.status === 401) return;
    useOrg.getState().notify(`Could not load workspaces: ${(e as Error).message}`, true);
  }
}

/**
 * The live connection: /ws on the same origin, reconnecting with backoff; every (re)connect
 * re-hydrates over HTTP so events missed while offline cannot leave the chart stale.
 */
export function connectLive(): () => void {
  let socket: WebSocket | null = null;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    socket = new WebSocket(url);
    socket.onopen = () => {
      attempts = 0;
      useOrg.getState().setConnection('live');
      void rehydrate();
    };
    socket.onmessage = (m) => {
      try {
        const e = JSON.parse(String(m.data)) as WsEvent;
        const known = !!useOrg.getState().workspaces[e.workspace_id];
        useOrg.getState().apply(e);
        // a workspace we have not seen: the event carries too little, the list has it all
        if (!known && e.event !== 'WORKSPACE_REMOVED' && e.workspace_id) scheduleHydrate();
      } catch {
        /* a frame that is not an event: ignore */
      }
    };
    socket.onclose = () => {
      if (closed) return;
      useOrg.getState().setConnection('reconnecting');
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts++);
      timer = setTimeout(open, delay);
    };
  };

  let pending: ReturnType<typeof setTimeout> | undefined;
  const scheduleHydrate = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      void rehydrate();
    }, 300);
  };

  void rehydrate();
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
}
