import { describe, expect, it } from 'vitest';
import { parseConfig, readFields, setField, stringify, withField } from './yamlConfig';

const SAMPLE = `# Dev Lead's config (hand-written)
name: Dev Lead # shown on the card
# who this agent is to its peers
role: builds the API
model: anthropic:claude-sonnet-4-5
skills: [api-design, code-review]
delegation:
  timeout: 60 # seconds
custom_key: kept
`;

const doc = (text: string) => {
  const p = parseConfig(text);
  if (!p.doc) throw new Error(p.error);
  return p.doc;
};

describe('config.yaml parsing', () => {
  it('reads the form fields, lists joined, missing keys empty', () => {
    const f = readFields(doc(SAMPLE));
    expect(f.name).toBe('Dev Lead');
    expect(f.role).toBe('builds the API');
    expect(f.skills).toBe('api-design, code-review');
    expect(f.system_prompt).toBe('');
    expect(f.idle_interval_seconds).toBe('');
    expect(readFields(doc('idle_interval_seconds: 90')).idle_interval_seconds).toBe('90');
  });

  it('reports invalid YAML with its position, and refuses a root that is not a mapping', () => {
    expect(parseConfig('name: [oops\nrole: x').error).toMatch(/line 2, column 1$/);
    expect(parseConfig('name: a\nname: b').error).toMatch(/^Map keys must be unique/);
    expect(parseConfig('- a\n- b').error).toBe('config.yaml must be a mapping of keys to values');
    expect(parseConfig('just text').error).toBe('config.yaml must be a mapping of keys to values');
    expect(parseConfig('').error).toBeNull();
  });
});

describe('config.yaml editing', () => {
  it('changes a field in place, keeping comments, order and unknown keys', () => {
    const out = withField(SAMPLE, 'role', 'reviews every change');
    expect(out).toBe(SAMPLE.replace('role: builds the API', 'role: reviews every change'));
  });

  it('adds a missing field at the end, multi-line text as a block', () => {
    const out = withField(SAMPLE, 'system_prompt', 'You lead the developers.\nBe brief.\n');
    expect(out.startsWith(SAMPLE)).toBe(true);
    expect(out.slice(SAMPLE.length)).toBe('system_prompt: |\n  You lead the developers.\n  Be brief.\n');
    expect(readFields(doc(out)).system_prompt).toBe('You lead the developers.\nBe brief.\n');
  });

  it('writes lists as YAML lists and numbers as numbers', () => {
    const d = doc(SAMPLE);
    setField(d, 'skills', ' api-design,  testing ,');
    setField(d, 'idle_interval_seconds', '300');
    expect(d.toJS().skills).toEqual(['api-design', 'testing']);
    expect(d.toJS().idle_interval_seconds).toBe(300);
    expect(stringify(d)).toContain('delegation:\n  timeout: 60 # seconds\n');
  });

  it('removes a key whose field is emptied', () => {
    const d = doc(SAMPLE);
    setField(d, 'model', '  ');
    setField(d, 'skills', '');
    expect(Object.keys(d.toJS())).toEqual(['name', 'role', 'delegation', 'custom_key']);
  });

  it('leaves an unchanged field alone (a flow list keeps its style)', () => {
    expect(withField(SAMPLE, 'skills', 'api-design, code-review')).toBe(SAMPLE);
  });

  it('starts a mapping in an empty document, and leaves text that does not parse as it is', () => {
    expect(withField('', 'role', 'tester')).toBe('role: tester\n');
    expect(withField('name: [oops', 'role', 'tester')).toBe('name: [oops');
  });
});
