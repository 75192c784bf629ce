import type { Comm, Flight, Workspace, WsEvent } from './types';

/** What the live org chart knows; changed only by hydration and by /ws events. */
export interface OrgState {
  workspaces: Record<string, Workspace>;
  comms: Comm[];
  flights: Flight[];
  recentEvents: WsEvent[];
  agentMessages: Record<string, { at: string; text: string }[]>;
}

export const emptyOrg: OrgState = { workspaces: {}, comms: [], flights: [], recentEvents: [], agentMessages: {} };

const MAX_COMMS = 500;
const MAX_EVENTS = 300;
/** How long a message's dot travels along its edge. */
export const FLIGHT_MS = 2500;

/** Status each lifecycle event moves a workspace to. */
const STATUS_OF: Record<string, string> = {
  WORKSPACE_PROVISIONING: 'provisioning',
  WORKSPACE_ONLINE: 'online',
  WORKSPACE_OFFLINE: 'offline',
  WORKSPACE_DEGRADED: 'degraded',
  WORKSPACE_PROVISION_FAILED: 'failed',
  WORKSPACE_PAUSED: 'paused',
  WORKSPACE_HIBERNATED: 'hibernated',
  WORKSPACE_AWAITING_AGENT: 'awaiting_agent',
};

/** A workspace first seen through an event (before the next hydration fills it in). */
export function placeholder(id: string, p: Record<string, unknown>): Workspace {
  return {
    id, name: typeof p.name === 'string' ? p.name : 'workspace', role: null, tier: Number(p.tier ?? 3),
    status: 'provisioning', agent_card: null, url: '', parent_id: typeof p.parent_id === 'string' ? p.parent_id : null,
    active_tasks: 0, max_concurrent_tasks: 1, last_error_rate: 0, last_sample_error: '', uptime_seconds: 0,
    current_task: '', runtime: typeof p.runtime === 'string' ? p.runtime : 'langgraph',
    x: Number(p.x ?? 0), y: Number(p.y ?? 0), collapsed: false,
  };
}

/** Hydration: the server's list replaces what we had (events missed while offline are covered by it). */
export function hydrate(state: OrgState, list: Workspace[]): OrgState {
  const workspaces: Record<string, Workspace> = {};
  for (const w of list) workspaces[w.id] = w;
  return { ...state, workspaces };
}

function patch(state: OrgState, id: string, fields: Partial<Workspace>): OrgState {
  const w = state.workspaces[id];
  if (!w) return state;
  return { ...state, workspaces: { ...state.workspaces, [id]: { ...w, ...fields } } };
}

/** Ids of a workspace and everything below it. */
export function subtree(workspaces: Record<string, Workspace>, id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const w of Object.values(workspaces)) {
      if (w.parent_id && out.has(w.parent_id) && !out.has(w.id)) {
        out.add(w.id);
        grew = true;
      }
    }
  }
  return out;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);

/** The fields a PATCH set, as WORKSPACE_MOVED / WORKSPACE_UPDATED carry them (absent = unchanged). */
function edited(p: Record<string, unknown>): Partial<Workspace> {
  const f: Partial<Workspace> = {};
  if (typeof p.name === 'string' && p.name) f.name = p.name;
  if ('role' in p) f.role = str(p.role);
  if (typeof p.tier === 'number') f.tier = p.tier;
  if (typeof p.runtime === 'string' && p.runtime) f.runtime = p.runtime;
  if (typeof p.collapsed === 'boolean') f.collapsed = p.collapsed;
  if ('parent_id' in p) f.parent_id = str(p.parent_id);
  if (typeof p.x === 'number' && typeof p.y === 'number') {
    f.x = p.x;
    f.y = p.y;
  }
  return f;
}

/** The event reducer: one /ws event → the next state. Pure; `now` drives the flights' expiry. */
export function applyEvent(state: OrgState, e: WsEvent, now: number): OrgState {
  const p = e.payload ?? {};
  const id = e.workspace_id;
  let next: OrgState = { ...state, recentEvents: [e, ...state.recentEvents].slice(0, MAX_EVENTS) };
  const status = STATUS_OF[e.event];
  if (status) {
    if (!next.workspaces[id] && e.event === 'WORKSPACE_PROVISIONING') {
      next = { ...next, workspaces: { ...next.workspaces, [id]: placeholder(id, p) } };
    }
    const fields: Partial<Workspace> = { status };
    if (e.event === 'WORKSPACE_ONLINE' && p.agent_card && typeof p.agent_card === 'object') {
      fields.agent_card = p.agent_card as Workspace['agent_card'];
    }
    if (e.event === 'WORKSPACE_DEGRADED') {
      fields.last_error_rate = num(p.error_rate, next.workspaces[id]?.last_error_rate ?? 0);
      fields.last_sample_error = str(p.sample_error) ?? '';
    }
    if (e.event === 'WORKSPACE_PROVISION_FAILED') fields.last_sample_error = str(p.error) ?? '';
    if (e.event === 'WORKSPACE_ONLINE' || e.event === 'WORKSPACE_PROVISIONING') fields.last_sample_error = '';
    return patch(next, id, fields);
  }
  switch (e.event) {
    case 'WORKSPACE_REMOVED': {
      const gone = subtree(next.workspaces, id);
      const workspaces = { ...next.workspaces };
      gone.forEach((g) => delete workspaces[g]);
      return { ...next, workspaces };
    }
    case 'WORKSPACE_HEARTBEAT':
      return patch(next, id, { active_tasks: num(p.active_tasks, 0), uptime_seconds: num(p.uptime_seconds, 0) });
    case 'TASK_UPDATED':
      return patch(next, id, { active_tasks: num(p.active_tasks, 0), current_task: str(p.current_task) ?? '' });
    case 'WORKSPACE_MOVED':
    case 'WORKSPACE_UPDATED':
      return patch(next, id, edited(p));
    case 'AGENT_CARD_UPDATED':
      return patch(next, id, { agent_card: (p.agent_card ?? null) as Workspace['agent_card'] });
    case 'AGENT_MESSAGE': {
      const list = next.agentMessages[id] ?? [];
      return { ...next, agentMessages: { ...next.agentMessages, [id]: [...list, { at: e.timestamp, text: String(p.message ?? '') }] } };
    }
    case 'ACTIVITY_LOGGED':
      return traffic(next, e, now);
    default:
      return next;
  }
}

/** a2a_send / a2a_receive between two workspaces: a line in the comms log and a dot on the canvas. */
function traffic(state: OrgState, e: WsEvent, now: number): OrgState {
  const p = e.payload;
  const kind = p.activity_type;
  if (kind !== 'a2a_send' && kind !== 'a2a_receive') return state;
  const sourceId = str(p.source_id);
  const targetId = str(p.target_id);
  const error = p.status === 'error';
  const comm: Comm = {
    key: `${e.timestamp}-${e.workspace_id}-${kind}-${state.comms.length}`, at: e.timestamp, kind,
    sourceId, targetId, summary: str(p.summary) ?? '', status: str(p.status) ?? 'ok',
  };
  let flights = state.flights.filter((f) => f.until > now);
  if (sourceId && targetId && sourceId !== targetId) {
    // a send travels caller → target; a receive is the answer travelling back
    const [from, to] = kind === 'a2a_send' ? [sourceId, targetId] : [targetId, sourceId];
    flights = [...flights, { key: comm.key, from, to, until: now + FLIGHT_MS, error }];
  }
  return { ...state, comms: [comm, ...state.comms].slice(0, MAX_COMMS), flights };
}

/** Flights still travelling at `now` (the canvas drops the rest on its animation tick). */
export function liveFlights(state: OrgState, now: number): OrgState {
  const flights = state.flights.filter((f) => f.until > now);
  return flights.length === state.flights.length ? state : { ...state, flights };
}
