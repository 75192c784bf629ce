import { placeholder } from './events';
import type { Workspace, WsEvent } from './types';

/** A workspace as GET /workspaces returns it, with the given fields. */
export function ws(id: string, fields: Partial<Workspace> = {}): Workspace {
  return { ...placeholder(id, {}), name: id, status: 'online', ...fields };
}

export function ev(event: string, workspace_id: string, payload: Record<string, unknown> = {}): WsEvent {
  return { event, workspace_id, timestamp: '2026-01-01T00:00:00Z', payload };
}
