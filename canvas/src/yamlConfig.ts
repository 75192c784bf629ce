import { Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * A workspace's `config.yaml` as a document the Config tab edits two ways: the raw text and a
 * form of its common keys (agent-side §1.2). The text is the one source of truth: the form
 * reads from it and writes into it, so comments, key order and keys the form does not know stay.
 */

export type FieldKind = 'text' | 'multiline' | 'list' | 'number';

/** The keys the form shows, in order; everything else is edited as raw YAML. */
export const CONFIG_FIELDS: { key: string; label: string; kind: FieldKind; help?: string }[] = [
  { key: 'name', label: 'Name', kind: 'text' },
  { key: 'role', label: 'Role', kind: 'text', help: 'shown to peers and in their prompts' },
  { key: 'description', label: 'Description', kind: 'text', help: 'the agent card description' },
  { key: 'model', label: 'Model', kind: 'text', help: 'provider:model; a model override (above) wins' },
  { key: 'system_prompt', label: 'System prompt', kind: 'multiline' },
  { key: 'prompt_files', label: 'Prompt files', kind: 'list', help: 'comma-separated, under the config folder' },
  { key: 'initial_prompt', label: 'Initial prompt', kind: 'multiline', help: 'sent once when the agent first starts' },
  { key: 'idle_prompt', label: 'Idle prompt', kind: 'multiline' },
  { key: 'idle_interval_seconds', label: 'Idle interval (seconds)', kind: 'number' },
  { key: 'skills', label: 'Skills', kind: 'list', help: 'comma-separated folder names under skills/' },
  { key: 'tools', label: 'Tools', kind: 'list', help: 'comma-separated built-in tool names' },
];

/** The form's values: text fields as strings, lists joined by ", ", numbers as their text ("" = unset). */
export type ConfigFields = Record<string, string>;

export type Parsed = { doc: Document; error: null } | { doc: null; error: string };

/** Parses the text; a YAML error (first line, with its position) or a non-mapping root is an error. */
export function parseConfig(text: string): Parsed {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) return { doc: null, error: doc.errors[0].message.split('\n')[0].replace(/:$/, '') };
  if (doc.contents !== null && !isMap(doc.contents)) return { doc: null, error: 'config.yaml must be a mapping of keys to values' };
  return { doc, error: null };
}

const kindOf = (key: string): FieldKind => CONFIG_FIELDS.find((f) => f.key === key)?.kind ?? 'text';

/** The form's values of a parsed document ("" for a missing key). */
export function readFields(doc: Document): ConfigFields {
  const out: ConfigFields = {};
  for (const f of CONFIG_FIELDS) {
    const node = doc.get(f.key, true);
    if (isSeq(node)) out[f.key] = node.items.map((i) => String(isScalar(i) ? i.value : i)).join(', ');
    else if (isScalar(node)) out[f.key] = node.value == null ? '' : String(node.value);
    else out[f.key] = '';
  }
  return out;
}

/** The value a form entry stands for: a list, a number, a string, or undefined (the key is removed). */
function valueOf(kind: FieldKind, input: string): unknown {
  if (kind === 'list') {
    const items = input.split(',').map((s) => s.trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  if (kind === 'number') {
    const t = input.trim();
    return t === '' ? undefined : /^-?\d+$/.test(t) ? Number(t) : t;
  }
  if (kind === 'multiline') return input === '' ? undefined : input;
  return input.trim() === '' ? undefined : input.trim();
}

/**
 * Sets one form field in the document: an existing scalar keeps its node (and so its comments),
 * an emptied field removes the key, an unchanged one is left alone.
 */
export function setField(doc: Document, key: string, input: string): void {
  const kind = kindOf(key);
  const value = valueOf(kind, input);
  if (readFields(doc)[key] === input) return;
  if (value === undefined) {
    doc.delete(key);
    return;
  }
  if (doc.contents === null) doc.contents = doc.createNode({});
  const node = doc.get(key, true);
  if (isScalar(node) && !Array.isArray(value)) node.value = value;
  else doc.set(key, doc.createNode(value));
}

/** The text with one form field changed; the text itself when it does not parse. */
export function withField(text: string, key: string, input: string): string {
  const parsed = parseConfig(text);
  if (!parsed.doc) return text;
  setField(parsed.doc, key, input);
  return stringify(parsed.doc);
}

export function stringify(doc: Document): string {
  return doc.contents === null ? '' : doc.toString({ flowCollectionPadding: false });
}
