import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { Workspace } from '../types';
import { isTrouble, modelOf, skillsSummary, statusWord } from '../status';

export type WorkspaceNodeData = { ws: Workspace; team: boolean; members: number; drop: boolean; selected: boolean };
export type WorkspaceFlowNode = Node<WorkspaceNodeData, 'workspace'>;

/** Handles sit at the card's centre: traffic dots travel card to card, never drawn by hand. */
const handleStyle = { top: 58, left: '50%', opacity: 0, pointerEvents: 'none' as const };

/** One workspace: its card, and for a team the box its members sit in. Memoized: panning re-renders nothing. */
export const WorkspaceNode = memo(function WorkspaceNode({ data }: NodeProps<WorkspaceFlowNode>) {
  const { ws, team, members, drop, selected } = data;
  const working = ws.active_tasks > 0;
  const classes = ['ws-node', `status-${ws.status}`, team ? 'team' : '', working ? 'working' : '',
    drop ? 'drop-target' : '', selected ? 'selected' : '', isTrouble(ws.status) ? 'trouble' : ''].filter(Boolean).join(' ');
  const model = modelOf(ws);
  const skills = skillsSummary(ws);
  return (
    <div className={classes} data-testid={`node-${ws.name}`} data-id={ws.id} data-status={ws.status}
      aria-label={`${ws.name}, ${statusWord(ws.status)}`}>
      <Handle type="target" position={Position.Top} style={handleStyle} isConnectable={false} />
      <Handle type="source" position={Position.Bottom} style={handleStyle} isConnectable={false} />
      <div className="card">
        <div className="card-head">
          <span className="name" title={ws.name}>{ws.name}</span>
          {ws.simulated && <span className="badge sim" title="scripted model: no LLM behind it">simulated</span>}
        </div>
        <div className="status-line">
          <span className="dot" aria-hidden="true" />
          <span className="status-word">{statusWord(ws.status)}</span>
          {working && <span className="tasks">{ws.active_tasks} active</span>}
          {team && <span className="members">team of {members}</span>}
        </div>
        {ws.role && <div className="role" title={ws.role}>{ws.role}</div>}
        <div className="meta">{ws.runtime}{model ? ` · ${model}` : ''}{skills ? ` · ${skills}` : ''}</div>
        {ws.current_task && <div className="current" title={ws.current_task}>▶ {ws.current_task}</div>}
        {ws.status === 'failed' && ws.last_sample_error && <div className="error-line" title={ws.last_sample_error}>{ws.last_sample_error}</div>}
      </div>
    </div>
  );
});
