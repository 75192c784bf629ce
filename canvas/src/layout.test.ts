import { describe, expect, it } from 'vitest';
import { CARD_H, CARD_W, dropTarget, layout, unpinned } from './layout';
import { ws } from './testkit';

describe('layout', () => {
  it('nests members inside their team, parents before children', () => {
    const boxes = layout([ws('pm'), ws('dev', { parent_id: 'pm' }), ws('res', { parent_id: 'pm' })]);
    expect([...boxes.keys()]).toEqual(['pm', 'dev', 'res']);
    const pm = boxes.get('pm')!, dev = boxes.get('dev')!, res = boxes.get('res')!;
    expect(dev.y).toBeGreaterThanOrEqual(CARD_H); // under the team's own card
    expect(res.x).toBeGreaterThanOrEqual(dev.x + CARD_W); // side by side
    expect(pm.w).toBeGreaterThanOrEqual(res.x + res.w); // the team box holds them
    expect(pm.h).toBeGreaterThanOrEqual(res.y + res.h);
    expect(dev.ax).toBe(pm.ax + dev.x);
  });

  it('keeps saved root positions and places the others in a row beside them', () => {
    const boxes = layout([ws('a', { x: 500, y: 300 }), ws('b'), ws('c')]);
    expect(boxes.get('a')).toMatchObject({ x: 500, y: 300 });
    expect(boxes.get('b')!.x).toBeGreaterThan(500 + CARD_W);
    expect(boxes.get('c')!.x).toBeGreaterThan(boxes.get('b')!.x);
  });

  it('lists the roots only the layout placed, with where it put them', () => {
    const list = [ws('a', { x: 500, y: 300 }), ws('b'), ws('c', { parent_id: 'b' })];
    const boxes = layout(list);
    expect(unpinned(list, boxes)).toEqual([{ id: 'b', x: boxes.get('b')!.x, y: 40 }]);
  });

  it('treats a workspace whose parent is unknown as a root', () => {
    const boxes = layout([ws('orphan', { parent_id: 'gone' })]);
    expect(boxes.get('orphan')).toMatchObject({ x: 40, y: 40, depth: 0 });
  });

  it('drops on the deepest box under the pointer, never inside the dragged subtree', () => {
    const boxes = layout([ws('pm'), ws('dev', { parent_id: 'pm' }), ws('solo', { x: 2000, y: 0 })]);
    const dev = boxes.get('dev')!;
    const inDev = [dev.ax + 10, dev.ay + 10] as const;
    expect(dropTarget(boxes, new Set(['solo']), ...inDev)).toBe('dev');
    expect(dropTarget(boxes, new Set(['dev']), ...inDev)).toBe('pm');
    expect(dropTarget(boxes, new Set(['pm', 'dev']), ...inDev)).toBeNull();
    expect(dropTarget(boxes, new Set(), 1500, 900)).toBeNull();
  });
});
