/** The missing-keys preflight of POST /org/import (spec §1.13: 412 with `missing_env`). */

/** One required entry: a key, or alternatives written `A|B` (any one of them will do). */
export function alternatives(entry: string): string[] {
  return entry.split('|').map((k) => k.trim()).filter(Boolean);
}

/** The entries a 412 body says are missing; null when the body is no preflight answer. */
export function missingEnv(body: unknown): string[] | null {
  if (!body || typeof body !== 'object') return null;
  const m = (body as { missing_env?: unknown }).missing_env;
  return Array.isArray(m) && m.every((k) => typeof k === 'string') ? (m as string[]) : null;
}

/**
 * The global secrets to set before importing again: for each missing entry the key the user
 * picked (the first alternative by default) and its value. An entry left empty is reported
 * in `unfilled`, so the dialog can say what is still needed.
 */
export function secretsFor(missing: string[], picked: Record<string, string>, values: Record<string, string>):
  { secrets: { key: string; value: string }[]; unfilled: string[] } {
  const secrets: { key: string; value: string }[] = [];
  const unfilled: string[] = [];
  for (const entry of missing) {
    const options = alternatives(entry);
    const key = options.includes(picked[entry]) ? picked[entry] : options[0];
    const value = (values[entry] ?? '').trim();
    if (!key) continue;
    if (value) secrets.push({ key, value });
    else unfilled.push(key);
  }
  return { secrets, unfilled };
}
