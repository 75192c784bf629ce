import type { Activity } from './types';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);

/** The text of a list of parts, in either A2A generation's shape ({kind:"text",text} or {text}). */
export function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts.map((p) => (obj(p) && typeof (p as Json).text === 'string' ? (p as Json).text as string : '')).join('');
}

/** A message object's text. */
function messageText(m: unknown): string {
  return partsText(obj(m)?.parts);
}

/** A file a message carries: an upload (`workspace:/workspace/...`) or a link. */
export interface FileRef {
  uri: string;
  name: string;
  mimeType?: string;
  size?: number;
}

/**
 * The file parts of a list of parts: A2A 0.3 `{kind:"file", file:{uri, name, mimeType}}` and
 * 1.0 `{url, filename, mediaType}` alike; inline bytes are skipped (the platform never sends them).
 */
export function partsFiles(parts: unknown): FileRef[] {
  if (!Array.isArray(parts)) return [];
  const out: FileRef[] = [];
  for (const p of parts) {
    const part = obj(p);
    const file = obj(part?.file);
    const uri = file ? file.uri : part?.url;
    if (typeof uri !== 'string' || !uri) continue;
    const name = (file ? file.name : part?.filename) ?? uri.slice(uri.lastIndexOf('/') + 1);
    const mime = file ? file.mimeType : part?.mediaType;
    const size = file ? file.size : undefined;
    out.push({ uri, name: String(name), ...(typeof mime === 'string' ? { mimeType: mime } : {}), ...(typeof size === 'number' ? { size } : {}) });
  }
  return out;
}

/**
 * The files of a JSON-RPC result (its message, task artifacts and status message, or a 1.0
 * wrapped one of these), each once: a task names a file in its artifact and its status message alike.
 */
export function resultFiles(result: unknown): FileRef[] {
  const r = obj(result);
  if (!r) return [];
  for (const wrapper of ['message', 'task', 'statusUpdate']) if (obj(r[wrapper]) && !r.kind) return resultFiles(r[wrapper]);
  const artifacts = Array.isArray(r.artifacts) ? r.artifacts.flatMap((a) => partsFiles(obj(a)?.parts)) : [];
  const all = [...partsFiles(r.parts), ...artifacts, ...partsFiles(obj(obj(r.status)?.message)?.parts)];
  return all.filter((f, i) => all.findIndex((g) => g.uri === f.uri) === i);
}

/**
 * Where a file can be fetched from: an upload or agent output under the workspace's roots goes
 * through `GET /workspaces/:id/chat/download?path=`; an http(s) URL is a plain link; anything else none.
 */
export function fileTarget(uri: string): { download: string } | { href: string } | null {
  const path = uri.startsWith('workspace:') ? uri.slice('workspace:'.length)
    : uri.startsWith('file://') ? uri.slice('file://'.length) : uri;
  if (/^\/(workspace|configs|home|plugins)\/[^\0]+$/.test(path) && !path.split('/').includes('..')) return { download: path };
  if (/^https?:\/\//i.test(uri)) return { href: uri };
  return null;
}

/**
 * The reply text of one JSON-RPC result: a message, a task (its artifacts, else its status message),
 * a status update (its message) or an artifact update (its chunk). 0.3 `kind` tags and 1.0 wrappers alike.
 */
export function resultText(result: unknown): string {
  const r = obj(result);
  if (!r) return typeof result === 'string' ? result : '';
  for (const wrapper of ['message', 'task', 'statusUpdate', 'artifactUpdate']) {
    if (obj(r[wrapper]) && !r.kind) return resultText({ ...obj(r[wrapper]), kind: kindOf(wrapper) });
  }
  switch (r.kind) {
    case 'message':
      return messageText(r);
    case 'task': {
      const artifacts = Array.isArray(r.artifacts) ? r.artifacts : [];
      const text = artifacts.map((a) => partsText(obj(a)?.parts)).join('');
      return text || messageText(obj(r.status)?.message);
    }
    case 'status-update':
      return messageText(obj(r.status)?.message);
    case 'artifact-update':
      return partsText(obj(r.artifact)?.parts);
    default:
      return messageText(r) || (typeof r.result === 'string' ? r.result : '');
  }
}

function kindOf(wrapper: string): string {
  return ({ message: 'message', task: 'task', statusUpdate: 'status-update', artifactUpdate: 'artifact-update' } as Json)[wrapper] as string;
}

/** A JSON-RPC response's reply text, or its error as an Error. */
export function replyText(response: unknown): string {
  const r = obj(response);
  if (!r) return typeof response === 'string' ? response : '';
  const err = obj(r.error);
  if (err) throw new Error(String(err.message ?? 'agent error'));
  if (typeof r.error === 'string') throw new Error(r.error);
  return resultText('result' in r ? r.result : r);
}

/** Splits an SSE byte stream into `data:` payloads; keeps the unfinished tail for the next chunk. */
export function splitSse(buffer: string): { events: string[]; rest: string } {
  const normalized = buffer.replace(/\r\n/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: string[] = [];
  for (const block of blocks) {
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length) events.push(data.join('\n'));
  }
  return { events, rest };
}

/**
 * Folds a stream's events into the text shown so far: artifact chunks append (or replace when
 * `append` is false); a final message or completed status replaces the whole with the agent's last word,
 * and its file parts, when it has any, become the reply's files.
 */
export class StreamText {
  text = '';
  files: FileRef[] = [];
  done = false;
  error: string | null = null;

  add(data: string): string {
    let msg: Json | null;
    try {
      msg = obj(JSON.parse(data));
    } catch {
      return this.text;
    }
    if (!msg) return this.text;
    const err = obj(msg.error);
    if (err || typeof msg.error === 'string') {
      this.error = err ? String(err.message ?? 'agent error') : String(msg.error);
      this.done = true;
      return this.text;
    }
    let r = obj(msg.result) ?? msg;
    for (const wrapper of ['message', 'task', 'statusUpdate', 'artifactUpdate']) {
      if (obj(r[wrapper]) && !r.kind) r = { ...obj(r[wrapper]), kind: kindOf(wrapper) };
    }
    if (r.kind === 'artifact-update') {
      const chunk = partsText(obj(r.artifact)?.parts);
      this.text = r.append ? this.text + chunk : chunk;
    } else if (r.kind === 'message') {
      this.text = messageText(r) || this.text;
      this.keepFiles(r);
    } else if (r.kind === 'status-update' || r.kind === 'task') {
      const status = obj(r.status);
      const state = String(status?.state ?? '').toLowerCase().replace('task_state_', '');
      const final = resultText(r);
      if (state === 'completed' || r.kind === 'task') {
        if (final) this.text = final;
        this.keepFiles(r);
      }
      if (state === 'failed' || state === 'rejected') this.error = final || 'the agent failed';
      if (r.final === true || ['completed', 'failed', 'canceled', 'cancelled', 'rejected'].includes(state)) this.done = true;
    }
    return this.text;
  }

  private keepFiles(result: Json) {
    const files = resultFiles(result);
    if (files.length) this.files = files;
  }
}

/** One bubble of the chat view. */
export interface ChatLine {
  key: string;
  role: 'user' | 'agent' | 'error';
  text: string;
  at: string;
  files?: FileRef[];
}

/** My chat history with a workspace, oldest first: canvas-originated a2a_receive rows (and notify messages). */
export function chatHistory(rows: Activity[]): ChatLine[] {
  const lines: ChatLine[] = [];
  for (const row of [...rows].reverse()) {
    if (row.activity_type !== 'a2a_receive' || row.source_id !== null) continue;
    if (row.method === 'notify') {
      const text = typeof obj(row.response_body)?.result === 'string' ? String(obj(row.response_body)!.result) : row.summary ?? '';
      lines.push(withFiles({ key: row.id + 'n', role: 'agent', text, at: row.created_at }, partsFiles(obj(row.response_body)?.parts)));
      continue;
    }
    const params = obj(obj(row.request_body)?.params);
    const asked = messageText(params?.message);
    const attached = partsFiles(obj(params?.message)?.parts);
    if (asked || attached.length) lines.push(withFiles({ key: row.id + 'u', role: 'user', text: asked, at: row.created_at }, attached));
    if (row.status === 'error') {
      lines.push({ key: row.id + 'e', role: 'error', text: row.error_detail ?? 'error', at: row.created_at });
      continue;
    }
    try {
      const answer = replyText(row.response_body);
      const files = resultFiles(obj(row.response_body)?.result);
      if (answer || files.length) lines.push(withFiles({ key: row.id + 'a', role: 'agent', text: answer, at: row.created_at }, files));
    } catch (e) {
      lines.push({ key: row.id + 'e', role: 'error', text: (e as Error).message, at: row.created_at });
    }
  }
  return lines;
}

function withFiles(line: ChatLine, files: FileRef[]): ChatLine {
  return files.length ? { ...line, files } : line;
}

/** The text a user typed and the files they attached, as the A2A request the proxy forwards. */
export function userMessage(text: string, method: 'message/stream' | 'message/send' = 'message/stream', files: FileRef[] = []) {
  const parts: Json[] = text ? [{ kind: 'text', text }] : [];
  for (const f of files) parts.push({ kind: 'file', file: { uri: f.uri, name: f.name, ...(f.mimeType ? { mimeType: f.mimeType } : {}) } });
  return {
    jsonrpc: '2.0',
    id: crypto.randomUUID(),
    method,
    params: { message: { role: 'user', messageId: crypto.randomUUID(), parts } },
  };
}
