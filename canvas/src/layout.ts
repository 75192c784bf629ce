import type { Workspace } from './types';

/** A leaf workspace's card. */
export const CARD_W = 250;
export const CARD_H = 132;
/** Inside a team: the team's own card on top, then its members. */
const PAD = 18;
const GAP = 18;
const PER_ROW = 3;
const ROOT_GAP = 60;
/** Where auto-layout starts: never (0, 0), which means "no saved position". */
const ORIGIN = 40;

export interface Box {
  /** Position relative to the parent (absolute for roots), as xyflow wants it. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Absolute position, for hit-testing drops. */
  ax: number;
  ay: number;
  depth: number;
}

/** Children by parent id (roots under ""), each list in the server's order (created_at). */
export function childrenOf(workspaces: Workspace[]): Map<string, Workspace[]> {
  const ids = new Set(workspaces.map((w) => w.id));
  const out = new Map<string, Workspace[]>();
  for (const w of workspaces) {
    // a parent we do not know (removed, or not hydrated yet) makes it a root for now
    const key = w.parent_id && ids.has(w.parent_id) ? w.parent_id : '';
    out.set(key, [...(out.get(key) ?? []), w]);
  }
  return out;
}

/**
 * Lays the org out: a team is a box holding its members in rows under its own card; roots keep
 * their saved position (x, y) and those without one (0, 0) are placed in a row to the right.
 * {@link unpinned} lists the roots whose place is only this layout's.
 * Returns boxes in parent-before-child order, which xyflow needs for sub-flows.
 */
export function layout(workspaces: Workspace[]): Map<string, Box> {
  const kids = childrenOf(workspaces);
  const size = new Map<string, { w: number; h: number }>();
  const measure = (w: Workspace, seen: Set<string>): { w: number; h: number } => {
    const members = seen.has(w.id) ? [] : kids.get(w.id) ?? [];
    seen.add(w.id);
    if (!members.length) {
      size.set(w.id, { w: CARD_W, h: CARD_H });
      return size.get(w.id)!;
    }
    const sizes = members.map((m) => measure(m, seen));
    let width = 0;
    let height = CARD_H + PAD;
    for (let i = 0; i < sizes.length; i += PER_ROW) {
      const row = sizes.slice(i, i + PER_ROW);
      width = Math.max(width, row.reduce((a, s) => a + s.w, 0) + GAP * (row.length - 1));
      height += Math.max(...row.map((s) => s.h)) + GAP;
    }
    const s = { w: Math.max(CARD_W, width + 2 * PAD), h: height - GAP + PAD };
    size.set(w.id, s);
    return s;
  };
  const roots = kids.get('') ?? [];
  const seen = new Set<string>();
  roots.forEach((r) => measure(r, seen));

  const boxes = new Map<string, Box>();
  const place = (w: Workspace, x: number, y: number, ax: number, ay: number, depth: number) => {
    const s = size.get(w.id)!;
    boxes.set(w.id, { x, y, w: s.w, h: s.h, ax, ay, depth });
    const members = kids.get(w.id) ?? [];
    let top = CARD_H + PAD;
    for (let i = 0; i < members.length; i += PER_ROW) {
      const row = members.slice(i, i + PER_ROW);
      let left = PAD;
      for (const m of row) {
        if (boxes.has(m.id)) continue;
        place(m, left, top, ax + left, ay + top, depth + 1);
        left += size.get(m.id)!.w + GAP;
      }
      top += Math.max(...row.map((m) => size.get(m.id)!.h)) + GAP;
    }
  };
  const positioned = roots.filter((r) => r.x !== 0 || r.y !== 0);
  let cursor = positioned.reduce((right, r) => Math.max(right, r.x + size.get(r.id)!.w + ROOT_GAP), ORIGIN);
  for (const r of roots) {
    if (r.x !== 0 || r.y !== 0) {
      place(r, r.x, r.y, r.x, r.y, 0);
    } else {
      place(r, cursor, ORIGIN, cursor, ORIGIN, 0);
      cursor += size.get(r.id)!.w + ROOT_GAP;
    }
  }
  return boxes;
}

/**
 * Where a node dropped at a point lands: the deepest workspace whose box holds the point, never
 * the dragged one or anything inside it (that would be a cycle). null = empty canvas.
 */
export function dropTarget(boxes: Map<string, Box>, excluded: Set<string>, px: number, py: number): string | null {
  let best: string | null = null;
  let bestDepth = -1;
  for (const [id, b] of boxes) {
    if (excluded.has(id)) continue;
    if (px >= b.ax && px <= b.ax + b.w && py >= b.ay && py <= b.ay + b.h && b.depth > bestDepth) {
      best = id;
      bestDepth = b.depth;
    }
  }
  return best;
}

/** Roots placed by the layout (no saved position): saved once the user starts arranging, so they stay put. */
export function unpinned(workspaces: Workspace[], boxes: Map<string, Box>): { id: string; x: number; y: number }[] {
  return workspaces.filter((w) => !w.parent_id && w.x === 0 && w.y === 0 && boxes.get(w.id)?.depth === 0)
    .map((w) => ({ id: w.id, x: boxes.get(w.id)!.x, y: boxes.get(w.id)!.y }));
}
