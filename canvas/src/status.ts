import type { Workspace } from './types';

/** The word shown for a status, and whether it needs the user's attention. */
export function statusWord(status: string): string {
  return status.replace(/_/g, ' ');
}

export function isTrouble(status: string): boolean {
  return status === 'failed' || status === 'offline' || status === 'degraded';
}

/** The model the agent runs on, from its card (where the runtime puts it). */
export function modelOf(w: Workspace): string {
  const m = w.agent_card?.model;
  return typeof m === 'string' ? m : '';
}

export function skillsSummary(w: Workspace): string {
  const skills = w.agent_card?.skills ?? [];
  if (!skills.length) return '';
  const names = skills.map((s) => s.name ?? s.id ?? '').filter(Boolean);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
}
