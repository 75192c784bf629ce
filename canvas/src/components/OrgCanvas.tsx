import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, applyNodeChanges, useReactFlow,
  type NodeChange, type NodeMouseHandler, type OnMoveEnd, type OnNodeDrag, type Viewport,
} from '@xyflow/react';
import { api } from '../api';
import { subtree } from '../events';
import { dropTarget, layout, unpinned } from '../layout';
import { rehydrate } from '../socket';
import { useOrg } from '../store';
import { FlightEdge, type FlightEdgeType } from './FlightEdge';
import { WorkspaceNode, type WorkspaceFlowNode } from './WorkspaceNode';

const nodeTypes = { workspace: WorkspaceNode };
const edgeTypes = { flight: FlightEdge };

export interface MenuAt { id: string; x: number; y: number }

/** The org chart: teams as nested boxes (xyflow sub-flows by parent_id), live traffic as edges. */
export function OrgCanvas({ onMenu }: { onMenu: (m: MenuAt | null) => void }) {
  const workspaces = useOrg((s) => s.workspaces);
  const flights = useOrg((s) => s.flights);
  const selectedId = useOrg((s) => s.selectedId);
  const dropId = useOrg((s) => s.dropTargetId);
  const { screenToFlowPosition, setViewport, getInternalNode } = useReactFlow();

  const list = useMemo(() => Object.values(workspaces), [workspaces]);
  const boxes = useMemo(() => layout(list), [list]);
  // per-node data is reused while nothing it shows changed, so the memoized nodes skip re-rendering
  const dataCache = useRef(new Map<string, WorkspaceFlowNode['data']>());
  const laidOut = useMemo<WorkspaceFlowNode[]>(() => {
    const members = new Map<string, number>();
    for (const w of list) if (w.parent_id) members.set(w.parent_id, (members.get(w.parent_id) ?? 0) + 1);
    const cache = new Map<string, WorkspaceFlowNode['data']>();
    const out: WorkspaceFlowNode[] = [];
    for (const [id, b] of boxes) {
      const ws = workspaces[id];
      const n = members.get(id) ?? 0;
      const prev = dataCache.current.get(id);
      const data = prev && prev.ws === ws && prev.members === n && prev.drop === (id === dropId) && prev.selected === (id === selectedId)
        ? prev : { ws, team: n > 0, members: n, drop: id === dropId, selected: id === selectedId };
      cache.set(id, data);
      out.push({
        id, type: 'workspace', position: { x: b.x, y: b.y },
        parentId: ws.parent_id && boxes.has(ws.parent_id) ? ws.parent_id : undefined,
        width: b.w, height: b.h, style: { width: b.w, height: b.h }, zIndex: b.depth,
        selected: id === selectedId, data, ariaLabel: `${ws.name} (${ws.status})`,
      });
    }
    dataCache.current = cache;
    return out;
  }, [boxes, workspaces, list, dropId, selectedId]);

  // local copy so a drag moves the node before the server has said anything
  const [nodes, setNodes] = useState<WorkspaceFlowNode[]>(laidOut);
  useEffect(() => setNodes(laidOut), [laidOut]);
  const onNodesChange = useCallback((changes: NodeChange<WorkspaceFlowNode>[]) =>
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns)), []);

  // flights expire by themselves: tick while any is travelling
  useEffect(() => {
    if (!flights.length) return;
    const t = setInterval(() => useOrg.getState().tick(), 500);
    return () => clearInterval(t);
  }, [flights.length]);
  const edges = useMemo<FlightEdgeType[]>(() => flights
    .filter((f) => workspaces[f.from] && workspaces[f.to])
    .map((f) => ({ id: f.key, source: f.from, target: f.to, type: 'flight', data: { error: f.error }, zIndex: 1000 })),
  [flights, workspaces]);

  // viewport: restored once, saved (debounced) after each pan or zoom
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    api.viewport().then((v) => setViewport(v)).catch(() => undefined);
  }, [setViewport]);
  const onMoveEnd: OnMoveEnd = useCallback((_e, v: Viewport) => {
    clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      api.saveViewport({ x: Math.round(v.x), y: Math.round(v.y), zoom: Math.round(v.zoom * 1000) / 1000 }).catch(() => undefined);
    }, 400);
  }, []);

  // drag to nest: the deepest box under the pointer that is not the dragged subtree
  const excluded = useRef<Set<string>>(new Set());
  const targetAt = (e: MouseEvent | TouchEvent, id: string) => {
    const pt = 'touches' in e ? e.changedTouches[0] : e;
    const p = screenToFlowPosition({ x: pt.clientX, y: pt.clientY });
    const t = dropTarget(boxes, excluded.current, p.x, p.y);
    return t === workspaces[id]?.parent_id ? undefined : t; // undefined: still inside its own team
  };
  const onNodeDragStart: OnNodeDrag<WorkspaceFlowNode> = (_e, node) => {
    excluded.current = subtree(workspaces, node.id);
    onMenu(null);
  };
  const onNodeDrag: OnNodeDrag<WorkspaceFlowNode> = (e, node) => {
    const t = targetAt(e, node.id);
    const current = useOrg.getState().dropTargetId;
    if ((t ?? null) !== current) useOrg.getState().setDropTarget(t ?? null);
  };
  const onNodeDragStop: OnNodeDrag<WorkspaceFlowNode> = (e, node) => {
    const t = targetAt(e, node.id);
    useOrg.getState().setDropTarget(null);
    const ws = workspaces[node.id];
    if (!ws) return;
    let change: Record<string, unknown> | null = null;
    if (t) change = { parent_id: t };
    else if (t === null) {
      const abs = getInternalNode(node.id)?.internals.positionAbsolute ?? node.position;
      const pos = { x: Math.round(abs.x), y: Math.round(abs.y) };
      change = ws.parent_id ? { parent_id: null, ...pos } : pos;
    }
    if (!change) {
      setNodes(laidOut); // dropped inside its own team: back to its place
      return;
    }
    // the first arrangement pins the other auto-placed roots, so they do not shift under the user
    const pins = unpinned(list, boxes).filter((p) => p.id !== node.id);
    api.patch(node.id, change)
      .then(() => Promise.all(pins.map((p) => api.patch(p.id, { x: p.x, y: p.y }))))
      .then(() => {
        if ('parent_id' in change) {
          useOrg.getState().notify(t ? `${ws.name} now reports to ${workspaces[t]?.name}` : `${ws.name} is now a root workspace`);
        }
        return rehydrate();
      })
      .catch((err: Error) => {
        useOrg.getState().notify(`Could not move ${ws.name}: ${err.message}`, true);
        setNodes(laidOut);
      });
  };

  // xyflow re-subscribes when this changes: it must be stable, or selection loops forever
  const onSelectionChange = useCallback(({ nodes: sel }: { nodes: WorkspaceFlowNode[] }) => {
    if (sel.length === 1 && sel[0].id !== useOrg.getState().selectedId) useOrg.getState().select(sel[0].id);
  }, []);

  // keyboard: Tab reaches nodes, Enter selects (xyflow); the menu key or Shift+F10 opens the context menu
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'ContextMenu' && !(e.shiftKey && e.key === 'F10')) return;
      const el = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.react-flow__node');
      const id = el?.dataset.id;
      if (!el || !id) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      onMenu({ id, x: r.left + 24, y: r.top + 40 });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onMenu]);

  const onNodeContextMenu: NodeMouseHandler<WorkspaceFlowNode> = (e, node) => {
    e.preventDefault();
    onMenu({ id: node.id, x: e.clientX, y: e.clientY });
  };

  return (
    <ReactFlow<WorkspaceFlowNode, FlightEdgeType>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStart={onNodeDragStart}
      onNodeDrag={onNodeDrag}
      onNodeDragStop={onNodeDragStop}
      onNodeClick={(_e, n) => { onMenu(null); useOrg.getState().select(n.id); }}
      onNodeDoubleClick={(_e, n) => useOrg.getState().select(n.id, 'chat')}
      onNodeContextMenu={onNodeContextMenu}
      onPaneClick={() => onMenu(null)}
      onSelectionChange={onSelectionChange}
      onMoveEnd={onMoveEnd}
      nodesConnectable={false}
      edgesFocusable={false}
      deleteKeyCode={null}
      minZoom={0.1}
      maxZoom={2}
      onlyRenderVisibleElements
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable className="minimap" nodeStrokeWidth={2} />
    </ReactFlow>
  );
}
