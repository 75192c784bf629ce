import { describe, expect, it } from 'vitest';
import { alternatives, missingEnv, secretsFor } from './orgImport';

describe('org import preflight', () => {
  it('splits alternatives', () => {
    expect(alternatives('ANTHROPIC_API_KEY')).toEqual(['ANTHROPIC_API_KEY']);
    expect(alternatives('ANTHROPIC_API_KEY| OPENAI_API_KEY |')).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
  });

  it('reads missing_env from a 412 body only', () => {
    expect(missingEnv({ error: 'missing required environment variables', missing_env: ['A', 'B|C'] })).toEqual(['A', 'B|C']);
    expect(missingEnv({ error: 'org template not found: x' })).toBeNull();
    expect(missingEnv({ missing_env: [1] })).toBeNull();
    expect(missingEnv('text')).toBeNull();
  });

  it('turns the filled form into global secrets, with the picked alternative', () => {
    const r = secretsFor(['A', 'B|C', 'D'], { 'B|C': 'C' }, { A: ' a-value ', 'B|C': 'c-value' });
    expect(r.secrets).toEqual([{ key: 'A', value: 'a-value' }, { key: 'C', value: 'c-value' }]);
    expect(r.unfilled).toEqual(['D']);
  });

  it('ignores a pick that is not one of the alternatives', () => {
    expect(secretsFor(['B|C'], { 'B|C': 'EVIL' }, { 'B|C': 'v' }).secrets).toEqual([{ key: 'B', value: 'v' }]);
  });
});
