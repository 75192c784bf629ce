import { describe, expect, it, vi } from 'vitest';
import { clearToken, readToken, saveToken, setUnauthorizedHandler, TOKEN_KEY, unauthorized, withAuth, type KeyStore } from './auth';

function store(): KeyStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('admin token', () => {
  it('is kept for the tab only unless remembered', () => {
    const s = store(), l = store();
    saveToken(' tok-1 ', false, s, l);
    expect(s.data.get(TOKEN_KEY)).toBe('tok-1');
    expect(l.data.size).toBe(0);
    saveToken('tok-2', true, s, l);
    expect(s.data.size).toBe(0);
    expect(l.data.get(TOKEN_KEY)).toBe('tok-2');
    expect(readToken(s, l)).toBe('tok-2');
  });

  it('prefers the tab token over the remembered one, and clears both', () => {
    const s = store(), l = store();
    l.setItem(TOKEN_KEY, 'device');
    s.setItem(TOKEN_KEY, 'tab');
    expect(readToken(s, l)).toBe('tab');
    clearToken(s, l);
    expect(readToken(s, l)).toBeNull();
  });

  it('adds the bearer only when there is a token', () => {
    expect(withAuth({ Accept: 'x' }, null)).toEqual({ Accept: 'x' });
    expect(withAuth({ Accept: 'x' }, 'abc')).toEqual({ Accept: 'x', Authorization: 'Bearer abc' });
  });

  it('asks for a token on a 401 only', () => {
    const ask = vi.fn();
    setUnauthorizedHandler(ask);
    expect(unauthorized(403, 'forbidden')).toBe(false);
    expect(ask).not.toHaveBeenCalled();
    expect(unauthorized(401, 'admin auth required')).toBe(true);
    expect(ask).toHaveBeenCalledWith('admin auth required');
  });
});
