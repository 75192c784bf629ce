import { unauthorized, withAuth } from './auth';
import type { FileRef } from './messages';
import type { Activity, Workspace } from './types';

/** A failed call: the HTTP status and the server's {"error"} text (or its whole JSON body). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

/**
 * Same-origin JSON call with the admin token when there is one; errors carry the server's own
 * message so the UI can show it, and a 401 asks the user for a token.
 */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: withAuth(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer<T>(res, method, path);
}

/** A response's JSON, or an ApiError with the server's message. */
async function answer<T>(res: Response, method: string, path: string): Promise<T> {
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  if (!res.ok) {
    const serverError = json && typeof json === 'object' && 'error' in json ? String((json as { error: unknown }).error) : '';
    const msg = serverError || (typeof json === 'string' && json ? json : `${method} ${path} answered ${res.status}`);
    unauthorized(res.status, msg);
    throw new ApiError(res.status, msg, json);
  }
  return json as T;
}

const ws = (id: string) => `/workspaces/${encodeURIComponent(id)}`;

/** The platform's per-file cap on chat uploads (spec §1.14): checked here too, to say so before sending 25 MB. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Uploads chat attachments (multipart, field `files`); the answer names each as a `workspace:` URI. */
export async function uploadChatFiles(id: string, files: File[]): Promise<FileRef[]> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  const path = ws(id) + '/chat/uploads';
  const res = await fetch(path, { method: 'POST', headers: withAuth({}), body: form });
  return (await answer<{ files: FileRef[] }>(res, 'POST', path)).files;
}

/** Saves a workspace file the chat names (an upload or agent output) with the admin token, as the browser's download. */
export async function downloadChatFile(id: string, path: string, name: string): Promise<void> {
  const url = `${ws(id)}/chat/download?path=${encodeURIComponent(path)}`;
  const res = await fetch(url, { headers: withAuth({}) });
  if (!res.ok) await answer(res, 'GET', url);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export interface NewWorkspace {
  name: string;
  role?: string;
  model?: string;
  parent_id?: string | null;
  tier?: number;
  runtime?: string;
  canvas?: { x: number; y: number };
  config?: Record<string, unknown>;
}

export interface DeleteConfirmation {
  status: 'confirmation_required';
  message: string;
  children: { id: string; name: string }[];
  children_count: number;
}

export interface Secret {
  key: string;
  has_value: boolean;
  scope: 'workspace' | 'global';
  created_at?: string;
  updated_at?: string;
}

export interface Memory {
  id: string;
  workspace_id: string;
  content: string;
  scope: 'LOCAL' | 'TEAM' | 'GLOBAL';
  namespace: string;
  created_at: string;
}

export interface KeyValue {
  key: string;
  value: unknown;
  version: number;
  expires_at?: string | null;
  updated_at: string;
}

export interface PendingApproval {
  id: string;
  workspace_id: string;
  workspace_name: string;
  action: string;
  reason: string | null;
  status: string;
  created_at: string;
}

export interface OrgTemplate {
  dir: string;
  name: string;
  description: string;
  workspaces: number;
  required_env: string[];
  recommended_env: string[];
}

export interface OrgImported {
  org: string;
  workspaces: { id: string; name: string; tier: number }[];
  count: number;
  /** Set on a 207: some workspaces were not created. */
  error?: string;
}

export interface Schedule {
  id: string;
  workspace_id: string;
  name: string;
  cron_expr: string;
  timezone: string;
  prompt: string;
  enabled: boolean;
  last_run_at: string | null;
  next_run_at: string | null;
  run_count: number;
  last_status: string | null;
  last_error: string | null;
  source: string;
  created_at: string;
}

export interface ScheduleRun {
  timestamp: string;
  duration_ms: number | null;
  status: string;
  error_detail: string | null;
}

export interface NewSchedule {
  name: string;
  cron_expr: string;
  timezone: string;
  prompt: string;
  enabled: boolean;
}

/** An error for the user: the server's message and, when it sent one, its detail (e.g. which cron field is wrong). */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const body = e instanceof ApiError && e.body && typeof e.body === 'object' ? (e.body as { detail?: unknown }) : null;
  return body && typeof body.detail === 'string' && body.detail ? `${msg}: ${body.detail}` : msg;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export const api = {
  list: () => call<Workspace[]>('GET', '/workspaces'),
  get: (id: string) => call<Workspace>('GET', ws(id)),
  create: (w: NewWorkspace) => call<{ id: string; status: string }>('POST', '/workspaces', w),
  patch: (id: string, fields: Record<string, unknown>) => call<{ status: string }>('PATCH', ws(id), fields),
  remove: (id: string, confirm: boolean) =>
    call<{ status: string; cascade_deleted: number }>('DELETE', ws(id) + (confirm ? '?confirm=true' : '')),
  restart: (id: string) => call<{ status: string }>('POST', ws(id) + '/restart'),
  pause: (id: string) => call<{ status: string }>('POST', ws(id) + '/pause'),
  resume: (id: string) => call<{ status: string }>('POST', ws(id) + '/resume'),
  activity: (id: string, type?: string, source?: string) => {
    const q = new URLSearchParams();
    if (type) q.set('type', type);
    if (source) q.set('source', source);
    q.set('limit', '200');
    return call<Activity[]>('GET', `${ws(id)}/activity?${q}`);
  },
  config: (id: string) => call<{ data: Record<string, unknown> }>('GET', ws(id) + '/config'),
  readFile: (id: string, path: string) =>
    call<{ path: string; content: string; size: number }>('GET', `${ws(id)}/files/${path.split('/').map(encodeURIComponent).join('/')}`),
  writeFile: (id: string, path: string, content: string) =>
    call<{ status: string; path: string; needs_restart?: boolean }>('PUT', `${ws(id)}/files/${path.split('/').map(encodeURIComponent).join('/')}`, { content }),
  model: (id: string) => call<{ model: string; source: string }>('GET', ws(id) + '/model'),
  setModel: (id: string, model: string) => call<{ status: string }>('PUT', ws(id) + '/model', { model }),
  secrets: (id: string) => call<Secret[]>('GET', ws(id) + '/secrets'),
  setSecret: (id: string, key: string, value: string) => call('PUT', ws(id) + '/secrets', { key, value }),
  deleteSecret: (id: string, key: string) => call('DELETE', `${ws(id)}/secrets/${encodeURIComponent(key)}`),
  globalSecrets: () => call<Secret[]>('GET', '/settings/secrets'),
  setGlobalSecret: (key: string, value: string) => call('PUT', '/settings/secrets', { key, value }),
  deleteGlobalSecret: (key: string) => call('DELETE', `/settings/secrets/${encodeURIComponent(key)}`),
  tokens: (id: string) =>
    call<{ tokens: { id: string; prefix: string; created_at: string; last_used_at: string | null }[]; count: number }>(
      'GET', ws(id) + '/tokens'),
  createToken: (id: string) => call<{ auth_token: string }>('POST', ws(id) + '/tokens'),
  revokeToken: (id: string, tokenId: string) => call('DELETE', `${ws(id)}/tokens/${encodeURIComponent(tokenId)}`),
  events: (id: string) =>
    call<{ id: string; event_type: string; workspace_id: string; payload: unknown; created_at: string }[]>(
      'GET', `/events/${encodeURIComponent(id)}`),
  memories: (id: string, scope: string, q: string, namespace = '') => {
    const p = new URLSearchParams();
    if (scope) p.set('scope', scope);
    if (q) p.set('q', q);
    if (namespace) p.set('namespace', namespace);
    return call<Memory[]>('GET', `${ws(id)}/memories?${p}`);
  },
  addMemory: (id: string, content: string, scope: string, namespace: string) =>
    call('POST', ws(id) + '/memories', { content, scope, namespace: namespace || undefined }),
  deleteMemory: (id: string, memoryId: string) => call('DELETE', `${ws(id)}/memories/${encodeURIComponent(memoryId)}`),
  keyValues: (id: string) => call<KeyValue[]>('GET', ws(id) + '/memory'),
  setKeyValue: (id: string, key: string, value: unknown, ttlSeconds?: number) =>
    call('POST', ws(id) + '/memory', { key, value, ...(ttlSeconds ? { ttl_seconds: ttlSeconds } : {}) }),
  deleteKeyValue: (id: string, key: string) => call('DELETE', `${ws(id)}/memory/${encodeURIComponent(key)}`),
  pendingApprovals: () => call<PendingApproval[]>('GET', '/approvals/pending'),
  decide: (workspaceId: string, approvalId: string, decision: 'approved' | 'denied') =>
    call('POST', `${ws(workspaceId)}/approvals/${encodeURIComponent(approvalId)}/decide`, { decision }),
  orgTemplates: () => call<OrgTemplate[]>('GET', '/org/templates'),
  importOrg: (dir: string, opts: { force?: boolean; model?: string }) =>
    call<OrgImported>('POST', '/org/import', { dir, ...opts }),
  exportBundle: (id: string) => call<Record<string, unknown>>('GET', `/bundles/export/${encodeURIComponent(id)}`),
  duplicate: (id: string) => call<{ workspace_id: string; name: string; status: string }>('POST', `/bundles/duplicate/${encodeURIComponent(id)}`),
  expand: (id: string) => call<{ status: string; children: { id: string; name: string }[] }>('POST', ws(id) + '/expand'),
  collapse: (id: string) => call<{ status: string; removed: string[] }>('POST', ws(id) + '/collapse'),
  schedules: (id: string) => call<Schedule[]>('GET', ws(id) + '/schedules'),
  createSchedule: (id: string, s: NewSchedule) =>
    call<{ id: string; status: string; next_run_at: string | null }>('POST', ws(id) + '/schedules', s),
  patchSchedule: (id: string, scheduleId: string, fields: Partial<NewSchedule>) =>
    call<{ status: string }>('PATCH', `${ws(id)}/schedules/${encodeURIComponent(scheduleId)}`, fields),
  deleteSchedule: (id: string, scheduleId: string) => call('DELETE', `${ws(id)}/schedules/${encodeURIComponent(scheduleId)}`),
  /** `fire=true`: the platform sends the prompt itself, so the run lands in the history. */
  runSchedule: (id: string, scheduleId: string) =>
    call<{ status: string }>('POST', `${ws(id)}/schedules/${encodeURIComponent(scheduleId)}/run?fire=true`),
  scheduleHistory: (id: string, scheduleId: string) =>
    call<ScheduleRun[]>('GET', `${ws(id)}/schedules/${encodeURIComponent(scheduleId)}/history`),
  viewport: () => call<Viewport>('GET', '/canvas/viewport'),
  saveViewport: (v: Viewport) => call('PUT', '/canvas/viewport', v),
};
