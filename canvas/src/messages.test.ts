import { describe, expect, it } from 'vitest';
import { chatHistory, fileTarget, partsFiles, replyText, resultFiles, resultText, splitSse, StreamText, userMessage } from './messages';
import type { Activity } from './types';

// Frames as the platform relays them for message/stream on the scripted model (A2A 0.3 shapes).
const frames = [
  { result: { kind: 'status-update', status: { state: 'working' }, final: false } },
  { result: { kind: 'artifact-update', artifact: { artifactId: 'x', parts: [{ kind: 'text', text: 'echo: ' }] }, append: false } },
  { result: { kind: 'artifact-update', artifact: { artifactId: 'x', parts: [{ kind: 'text', text: 'hello ' }] }, append: true } },
  { result: { kind: 'artifact-update', artifact: { artifactId: 'x', parts: [{ kind: 'text', text: 'there' }] }, append: true } },
  { result: { kind: 'message', role: 'agent', parts: [{ kind: 'text', text: 'echo: hello there' }] } },
  { result: { kind: 'status-update', status: { state: 'completed', message: { parts: [{ kind: 'text', text: 'echo: hello there' }] } }, final: true } },
].map((f) => JSON.stringify({ jsonrpc: '2.0', id: '1', ...f }));

describe('SSE splitting', () => {
  it('splits complete events and keeps the partial tail', () => {
    const { events, rest } = splitSse(`data: ${frames[0]}\n\ndata: ${frames[1]}\n\ndata: {"jso`);
    expect(events).toEqual([frames[0], frames[1]]);
    expect(rest).toBe('data: {"jso');
  });

  it('handles CRLF, comments and multi-line data', () => {
    const { events } = splitSse(': ping\r\n\r\ndata: {"a":\r\ndata: 1}\r\n\r\n');
    expect(events).toEqual(['{"a":\n1}']);
  });
});

describe('stream text', () => {
  it('grows with artifact chunks and ends on the completed status', () => {
    const s = new StreamText();
    const seen = frames.map((f) => s.add(f));
    expect(seen.slice(1, 4)).toEqual(['echo: ', 'echo: hello ', 'echo: hello there']);
    expect(s.text).toBe('echo: hello there');
    expect(s.done).toBe(true);
    expect(s.error).toBeNull();
  });

  it('reads A2A 1.0 wrapped events', () => {
    const s = new StreamText();
    s.add(JSON.stringify({ result: { artifactUpdate: { artifact: { parts: [{ text: 'hi' }] }, append: false } } }));
    s.add(JSON.stringify({ result: { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED', message: { parts: [{ text: 'hi there' }] } } } } }));
    expect(s.text).toBe('hi there');
    expect(s.done).toBe(true);
  });

  it('reports a JSON-RPC error and a failed task', () => {
    const e = new StreamText();
    e.add(JSON.stringify({ error: { code: -32000, message: 'budget exceeded' } }));
    expect(e).toMatchObject({ error: 'budget exceeded', done: true });
    const f = new StreamText();
    f.add(JSON.stringify({ result: { kind: 'status-update', status: { state: 'failed', message: { parts: [{ text: 'model down' }] } }, final: true } }));
    expect(f).toMatchObject({ error: 'model down', done: true });
  });

  it('collects the file parts of a 0.3 final message once, though the completed status repeats them', () => {
    const file = { kind: 'file', file: { uri: 'workspace:/workspace/.molecule/chat-uploads/ab-notes.txt', name: 'ab-notes.txt', mimeType: 'text/plain' } };
    const text = { kind: 'text', text: 'echo: see /workspace/.molecule/chat-uploads/ab-notes.txt' };
    const s = new StreamText();
    s.add(JSON.stringify({ result: { kind: 'artifact-update', artifact: { parts: [text] }, append: false } }));
    expect(s.files).toEqual([]);
    s.add(JSON.stringify({ result: { kind: 'message', role: 'agent', parts: [text, file] } }));
    expect(s.files).toEqual([{ uri: file.file.uri, name: 'ab-notes.txt', mimeType: 'text/plain' }]);
    s.add(JSON.stringify({ result: { kind: 'status-update', status: { state: 'completed', message: { parts: [text, file] } }, final: true } }));
    expect(s.files).toEqual([{ uri: file.file.uri, name: 'ab-notes.txt', mimeType: 'text/plain' }]);
    expect(s).toMatchObject({ text: text.text, done: true });
  });

  it('collects the file parts of a 1.0 completed status and of a 1.0 wrapped final message', () => {
    const s = new StreamText();
    s.add(JSON.stringify({ result: { statusUpdate: { status: { state: 'TASK_STATE_WORKING' } } } }));
    s.add(JSON.stringify({ result: { statusUpdate: { status: { state: 'TASK_STATE_COMPLETED', message: { parts: [
      { text: 'wrote /workspace/out.csv and /workspace/out.csv' },
      { url: 'workspace:/workspace/out.csv', filename: 'out.csv', mediaType: 'text/csv' },
      { url: 'workspace:/workspace/out.csv', filename: 'out.csv', mediaType: 'text/csv' },
    ] } } } } }));
    expect(s.files).toEqual([{ uri: 'workspace:/workspace/out.csv', name: 'out.csv', mimeType: 'text/csv' }]);
    const m = new StreamText();
    m.add(JSON.stringify({ result: { message: { role: 'ROLE_AGENT', parts: [{ text: 'here' }, { url: 'https://example.com/a.png', filename: 'a.png' }] } } }));
    expect(m.files).toEqual([{ uri: 'https://example.com/a.png', name: 'a.png' }]);
  });

  it('keeps no files from a working status or a failed one', () => {
    const file = { url: 'workspace:/workspace/half.txt', filename: 'half.txt' };
    const s = new StreamText();
    s.add(JSON.stringify({ result: { statusUpdate: { status: { state: 'TASK_STATE_WORKING', message: { parts: [{ text: 'drafting' }, file] } } } } }));
    s.add(JSON.stringify({ result: { statusUpdate: { status: { state: 'TASK_STATE_FAILED', message: { parts: [{ text: 'model down' }, file] } } } } }));
    expect(s.files).toEqual([]);
    expect(s.error).toBe('model down');
  });

  it('ignores frames that are not JSON', () => {
    const s = new StreamText();
    expect(s.add('not json')).toBe('');
  });
});

describe('reply text', () => {
  it('reads message/send results of both generations', () => {
    expect(replyText({ result: { kind: 'message', parts: [{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }] } })).toBe('ab');
    expect(replyText({ result: { kind: 'task', artifacts: [{ parts: [{ kind: 'text', text: 'art' }] }], status: { state: 'completed' } } })).toBe('art');
    expect(replyText({ result: { task: { status: { state: 'TASK_STATE_COMPLETED', message: { parts: [{ text: 'v1' }] } } } } })).toBe('v1');
    expect(resultText('plain')).toBe('plain');
  });

  it('throws the error of a failed call', () => {
    expect(() => replyText({ error: { message: 'nope' } })).toThrow('nope');
    expect(() => replyText({ error: 'workspace not found' })).toThrow('workspace not found');
  });
});

describe('chat history', () => {
  const row = (over: Partial<Activity>): Activity => ({
    id: 'r', workspace_id: 'w', activity_type: 'a2a_receive', source_id: null, target_id: 'w', method: 'message/stream',
    summary: null, duration_ms: 1, status: 'ok', error_detail: null, created_at: '2026-01-01T00:00:00Z', ...over,
  });
  it('turns canvas rows into user and agent lines, oldest first; skips agent traffic', () => {
    const rows = [ // newest first, as the API lists them
      row({ id: '3', source_id: 'other' }),
      row({ id: '2', status: 'error', error_detail: 'agent unreachable',
        request_body: { params: { message: { parts: [{ kind: 'text', text: 'again?' }] } } } }),
      row({ id: '1', request_body: { params: { message: { parts: [{ kind: 'text', text: 'hello' }] } } },
        response_body: { result: { kind: 'status-update', final: true, status: { state: 'completed', message: { parts: [{ kind: 'text', text: 'echo: hello' }] } } } } }),
      row({ id: '0', method: 'notify', response_body: { result: 'I finished the report' } }),
    ];
    expect(chatHistory(rows).map((l) => [l.role, l.text])).toEqual([
      ['agent', 'I finished the report'], ['user', 'hello'], ['agent', 'echo: hello'], ['user', 'again?'], ['error', 'agent unreachable'],
    ]);
  });

  it('keeps the files of a message: attachments of mine, file parts of a reply or a notify', () => {
    const upload = { uri: 'workspace:/workspace/.molecule/chat-uploads/ab12-notes.txt', name: 'notes.txt', mimeType: 'text/plain' };
    const rows = [
      row({ id: '2', method: 'notify', response_body: { result: 'the report', parts: [{ kind: 'file', file: { uri: 'workspace:/workspace/report.pdf', name: 'report.pdf', size: 12 } }] } }),
      row({ id: '1', request_body: { params: { message: { parts: [{ kind: 'text', text: 'read this' }, { kind: 'file', file: upload }] } } },
        response_body: { result: { kind: 'message', parts: [{ kind: 'text', text: 'done' }, { kind: 'file', file: { uri: 'workspace:/workspace/out.csv', name: 'out.csv' } }] } } }),
      row({ id: '0', request_body: { params: { message: { parts: [{ kind: 'file', file: upload }] } } }, response_body: { result: { kind: 'message', parts: [{ kind: 'text', text: 'got it' }] } } }),
    ];
    expect(chatHistory(rows).map((l) => [l.role, l.text, (l.files ?? []).map((f) => f.name)])).toEqual([
      ['user', '', ['notes.txt']], ['agent', 'got it', []],
      ['user', 'read this', ['notes.txt']], ['agent', 'done', ['out.csv']],
      ['agent', 'the report', ['report.pdf']],
    ]);
    expect(chatHistory(rows)[2].files).toEqual([upload]);
    expect(chatHistory(rows)[4].files).toEqual([{ uri: 'workspace:/workspace/report.pdf', name: 'report.pdf', size: 12 }]);
  });
});

describe('file parts', () => {
  it('reads both A2A generations, names a file by its path when it has no name, skips inline bytes', () => {
    expect(partsFiles([
      { kind: 'text', text: 'x' },
      { kind: 'file', file: { uri: 'workspace:/workspace/a.txt', name: 'a.txt', mimeType: 'text/plain' } },
      { url: 'https://example.com/b.png', filename: 'b.png', mediaType: 'image/png' },
      { kind: 'file', file: { uri: 'workspace:/workspace/dir/c.log' } },
      { kind: 'file', file: { bytes: 'aGk=', name: 'inline.txt' } },
    ])).toEqual([
      { uri: 'workspace:/workspace/a.txt', name: 'a.txt', mimeType: 'text/plain' },
      { uri: 'https://example.com/b.png', name: 'b.png', mimeType: 'image/png' },
      { uri: 'workspace:/workspace/dir/c.log', name: 'c.log' },
    ]);
    expect(partsFiles(undefined)).toEqual([]);
  });

  it('finds the files of a task in its artifacts and of a 1.0 wrapped message', () => {
    const file = { kind: 'file', file: { uri: 'workspace:/workspace/x.md', name: 'x.md' } };
    expect(resultFiles({ kind: 'task', artifacts: [{ parts: [{ kind: 'text', text: 'see' }, file] }] }).map((f) => f.name)).toEqual(['x.md']);
    expect(resultFiles({ message: { parts: [file] } }).map((f) => f.name)).toEqual(['x.md']);
    expect(resultFiles({ kind: 'task', artifacts: [{ parts: [file] }], status: { state: 'completed', message: { parts: [file] } } })
      .map((f) => f.name)).toEqual(['x.md']);
    expect(resultFiles({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED', message: { parts: [{ url: 'workspace:/workspace/x.md' }] } } } })
      .map((f) => f.name)).toEqual(['x.md']);
    expect(resultFiles('plain')).toEqual([]);
  });

  it('downloads workspace paths through the platform, links http(s), refuses the rest', () => {
    expect(fileTarget('workspace:/workspace/.molecule/chat-uploads/ab-n.txt')).toEqual({ download: '/workspace/.molecule/chat-uploads/ab-n.txt' });
    expect(fileTarget('file:///workspace/out.csv')).toEqual({ download: '/workspace/out.csv' });
    expect(fileTarget('/configs/system-prompt.md')).toEqual({ download: '/configs/system-prompt.md' });
    expect(fileTarget('https://example.com/a.png')).toEqual({ href: 'https://example.com/a.png' });
    expect(fileTarget('workspace:/etc/passwd')).toBeNull();
    expect(fileTarget('workspace:/workspace/../etc/passwd')).toBeNull();
    expect(fileTarget('javascript:alert(1)')).toBeNull();
  });

  it('sends attachments as file parts after the text', () => {
    const files = [{ uri: 'workspace:/workspace/.molecule/chat-uploads/ab-n.txt', name: 'n.txt', mimeType: 'text/plain', size: 3 }];
    expect(userMessage('look', 'message/stream', files).params.message.parts).toEqual([
      { kind: 'text', text: 'look' },
      { kind: 'file', file: { uri: 'workspace:/workspace/.molecule/chat-uploads/ab-n.txt', name: 'n.txt', mimeType: 'text/plain' } },
    ]);
    expect(userMessage('', 'message/stream', files).params.message.parts).toHaveLength(1);
  });
});
