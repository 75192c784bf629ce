import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, downloadChatFile, errorText, MAX_UPLOAD_BYTES, uploadChatFiles } from '../../api';
import { unauthorized, withAuth } from '../../auth';
import { chatHistory, fileTarget, replyText, resultFiles, splitSse, StreamText, userMessage, type ChatLine, type FileRef } from '../../messages';
import { useOrg } from '../../store';
import type { Activity } from '../../types';
import type { TabProps } from './index';

/** Chat: my conversation with the agent (streamed), and the agent-to-agent traffic of this workspace. */
export function ChatTab({ id }: TabProps) {
  const [view, setView] = useState<'mine' | 'comms'>('mine');
  return (
    <div className="chat">
      <div className="seg" role="tablist" aria-label="Chat view">
        <button role="tab" aria-selected={view === 'mine'} className={view === 'mine' ? 'active' : ''} onClick={() => setView('mine')}>My chat</button>
        <button role="tab" aria-selected={view === 'comms'} className={view === 'comms' ? 'active' : ''} onClick={() => setView('comms')} data-testid="agent-comms-tab">Agent comms</button>
      </div>
      {view === 'mine' ? <MyChat id={id} /> : <AgentComms id={id} />}
    </div>
  );
}

/** An agent's reply: its text and the files it hands back. */
export interface Reply {
  text: string;
  files: FileRef[];
}

/** Sends one message through the proxy as message/stream; calls `onReply` as the reply grows. */
export async function sendStreaming(id: string, text: string, onReply: (r: Reply) => void, files: FileRef[] = []): Promise<Reply> {
  const res = await fetch(`/workspaces/${encodeURIComponent(id)}/a2a`, {
    method: 'POST',
    headers: withAuth({ 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json' }),
    body: JSON.stringify(userMessage(text, 'message/stream', files)),
  });
  const type = res.headers.get('Content-Type') ?? '';
  if (res.status === 202) return { text: 'The agent is busy: your message is queued and will be delivered when it is free.', files: [] };
  if (!type.startsWith('text/event-stream') || !res.body) {
    const body = await res.text();
    let json: unknown = body;
    try { json = JSON.parse(body); } catch { /* plain text */ }
    if (!res.ok) {
      const msg = (json as { error?: string })?.error ?? `the proxy answered ${res.status}`;
      unauthorized(res.status, msg);
      throw new Error(msg);
    }
    return { text: replyText(json), files: resultFiles((json as { result?: unknown })?.result) };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const stream = new StreamText();
  const fold = (data: string) => onReply({ text: stream.add(data), files: stream.files });
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const split = splitSse(buffer + decoder.decode(value, { stream: true }));
    buffer = split.rest;
    split.events.forEach(fold);
  }
  if (buffer.trim()) splitSse(buffer + '\n\n').events.forEach(fold);
  if (stream.error) throw new Error(stream.error);
  return { text: stream.text, files: stream.files };
}

function MyChat({ id }: { id: string }) {
  const client = useQueryClient();
  const [live, setLive] = useState<ChatLine[]>([]);
  // how many lines the history had when the live exchange began: it hands over once the history has it
  const [liveBase, setLiveBase] = useState(0);
  const awaitingLog = live.length > 0 && !live.some((l) => l.role === 'error');
  const history = useQuery({
    queryKey: ['chat', id],
    queryFn: () => api.activity(id, 'a2a_receive', 'canvas'),
    refetchInterval: (q) => (awaitingLog && chatHistory(q.state.data ?? []).length < liveBase + 2 ? 1000 : false),
  });
  const notes = useOrg((s) => s.agentMessages[id]?.length ?? 0);
  const [text, setText] = useState('');
  const [attached, setAttached] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => { if (notes) void client.invalidateQueries({ queryKey: ['chat', id] }); }, [notes, id, client]);
  const past = chatHistory(history.data ?? []);
  // the platform logs the exchange a little later (write-behind): keep showing ours until the history holds it
  const lines = live.length && (sending || past.length < liveBase + 2) ? [...past, ...live] : past;
  useEffect(() => { end.current?.scrollIntoView({ block: 'end' }); }, [lines.length, live]);

  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    const msg = text.trim();
    if ((!msg && !attached.length) || sending) return;
    const files = attached;
    setText('');
    setAttached([]);
    setSending(true);
    const at = new Date().toISOString();
    let user: ChatLine = { key: 'live-u', role: 'user', text: msg, at };
    setLiveBase(past.length);
    setLive([user, { key: 'live-a', role: 'agent', text: files.length ? 'Uploading…' : '…', at }]);
    try {
      const refs = files.length ? await uploadChatFiles(id, files) : [];
      if (refs.length) user = { ...user, files: refs };
      setLive([user, { key: 'live-a', role: 'agent', text: '…', at }]);
      // the reply's files show as chips on the live bubble as soon as the stream hands them over
      const reply = await sendStreaming(id, msg, (r) => setLive([user, { key: 'live-a', role: 'agent', ...r, text: r.text || '…', at }]), refs);
      setLive([user, { key: 'live-a', role: 'agent', ...reply, at }]);
      // done sending before the history reloads, so the history that holds the exchange replaces the live lines, not joins them
      setSending(false);
      await client.invalidateQueries({ queryKey: ['chat', id] });
    } catch (err) {
      setLive([user, { key: 'live-e', role: 'error', text: errorText(err), at }]);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <div className="messages" data-testid="chat-messages" aria-live="polite">
        {history.isLoading && <p className="muted">Loading history…</p>}
        {!history.isLoading && !lines.length && <p className="muted">No messages yet. Say hello.</p>}
        {lines.map((l) => (
          <div key={l.key} className={`bubble ${l.role}`} data-testid={`bubble-${l.role}`} data-live={l.key.startsWith('live-') || undefined}>
            {l.text}
            {l.files?.map((f) => <FileChip key={f.uri} id={id} file={f} />)}
          </div>
        ))}
        <div ref={end} />
      </div>
      <form className="composer" onSubmit={send}>
        <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder="Message the agent (Enter sends, Shift+Enter new line)"
          aria-label="Message" data-testid="chat-input" rows={2}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); void send(e); } }} />
        <Attach files={attached} onChange={setAttached} />
        <button type="submit" className="primary" disabled={sending || (!text.trim() && !attached.length)}>{sending ? 'Sending…' : 'Send'}</button>
      </form>
    </>
  );
}

/** The attach button and the files waiting to go with the next message (25 MB each, as the platform allows). */
function Attach({ files, onChange }: { files: File[]; onChange: (f: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState('');
  const add = (list: FileList | null) => {
    const picked = Array.from(list ?? []);
    const big = picked.filter((f) => f.size > MAX_UPLOAD_BYTES);
    setError(big.length ? `${big.map((f) => f.name).join(', ')}: larger than 25 MB, not attached` : '');
    onChange([...files, ...picked.filter((f) => f.size <= MAX_UPLOAD_BYTES)]);
    if (input.current) input.current.value = '';
  };
  return (
    <div className="attach">
      <input ref={input} type="file" multiple hidden onChange={(e) => add(e.target.files)} data-testid="chat-file" />
      <button type="button" onClick={() => input.current?.click()} title="Attach files (25 MB each)">Attach</button>
      {files.map((f, i) => (
        <span key={f.name + i} className="pill" data-testid="chat-attached">{f.name}
          <button type="button" className="link" aria-label={`Remove ${f.name}`} onClick={() => onChange(files.filter((_, j) => j !== i))}>×</button></span>
      ))}
      {error && <span className="form-error" role="alert">{error}</span>}
    </div>
  );
}

/** A file a message carries: workspace files download through the platform (with the token), links open. */
function FileChip({ id, file }: { id: string; file: FileRef }) {
  const [error, setError] = useState('');
  const target = fileTarget(file.uri);
  const size = file.size != null ? ` (${file.size < 1024 ? `${file.size} B` : `${Math.ceil(file.size / 1024)} KB`})` : '';
  if (!target) return <div className="file muted">{file.name}</div>;
  return (
    <div className="file" data-testid="chat-file-link">
      {'href' in target
        ? <a href={target.href} target="_blank" rel="noopener noreferrer">{file.name}</a>
        : <button type="button" className="link" title="Download" onClick={() => downloadChatFile(id, target.download, file.name).catch((e) => setError(errorText(e)))}>{file.name}</button>}
      <span className="muted">{size}</span>
      {error && <span className="form-error"> {error}</span>}
    </div>
  );
}

function requestText(row: Activity): string {
  const params = (row.request_body as { params?: { message?: { parts?: unknown } } })?.params;
  const parts = params?.message?.parts;
  return Array.isArray(parts) ? parts.map((p) => (p as { text?: string }).text ?? '').join('') : '';
}

/** This workspace's agent-to-agent messages: what it sent to peers and what peers asked it. */
function AgentComms({ id }: { id: string }) {
  const workspaces = useOrg((s) => s.workspaces);
  const seen = useOrg((s) => s.comms.filter((c) => c.sourceId === id || c.targetId === id).length);
  const rows = useQuery({ queryKey: ['comms', id, seen], queryFn: () => api.activity(id, undefined, 'agent') });
  const name = (wid: string | null) => (wid && workspaces[wid]?.name) || (wid ? wid.slice(0, 8) : 'user');
  const list = (rows.data ?? []).filter((r) => r.activity_type === 'a2a_send' || r.activity_type === 'a2a_receive');
  return (
    <div className="messages" data-testid="agent-comms">
      {!list.length && <p className="muted">No agent-to-agent messages yet.</p>}
      {list.map((r) => {
        let reply = '';
        try { reply = r.activity_type === 'a2a_receive' ? replyText(r.response_body) : ''; } catch (e) { reply = (e as Error).message; }
        return (
          <div key={r.id} className={`comm ${r.status === 'error' ? 'error' : ''}`} data-testid="comm">
            <div className="comm-head">
              <strong>{name(r.source_id)} → {name(r.target_id)}</strong>
              <span className="muted">{r.activity_type === 'a2a_send' ? 'sent' : 'answered'} · {new Date(r.created_at).toLocaleTimeString()}</span>
            </div>
            <div className="comm-text">{requestText(r)}</div>
            {reply && <div className="comm-reply">↳ {reply}</div>}
            {r.error_detail && <div className="error-line">{r.error_detail}</div>}
          </div>
        );
      })}
    </div>
  );
}
