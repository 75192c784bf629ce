/** The workspace object of GET /workspaces (spec §1.2), the fields the canvas reads. */
export interface Workspace {
  id: string;
  name: string;
  role: string | null;
  tier: number;
  status: string;
  agent_card: AgentCard | null;
  url: string;
  parent_id: string | null;
  active_tasks: number;
  max_concurrent_tasks: number;
  last_error_rate: number;
  last_sample_error: string;
  uptime_seconds: number;
  current_task: string;
  runtime: string;
  x: number;
  y: number;
  collapsed: boolean;
  simulated?: boolean;
  budget_limit?: number | null;
  monthly_spend?: number;
}

export interface AgentCard {
  name?: string;
  description?: string;
  skills?: { id?: string; name?: string }[];
  [k: string]: unknown;
}

/** The /ws envelope (spec §5). */
export interface WsEvent {
  event: string;
  workspace_id: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

/** An activity row (spec §1.5). */
export interface Activity {
  id: string;
  workspace_id: string;
  activity_type: string;
  source_id: string | null;
  target_id: string | null;
  method: string | null;
  summary: string | null;
  duration_ms: number | null;
  status: string;
  error_detail: string | null;
  created_at: string;
  request_body?: unknown;
  response_body?: unknown;
}

/** One line of agent-to-agent traffic, from ACTIVITY_LOGGED a2a_send / a2a_receive. */
export interface Comm {
  key: string;
  at: string;
  kind: 'a2a_send' | 'a2a_receive';
  sourceId: string | null;
  targetId: string | null;
  summary: string;
  status: string;
}

/** A message travelling along the canvas right now (the animated edge). */
export interface Flight {
  key: string;
  from: string;
  to: string;
  until: number;
  error: boolean;
}
