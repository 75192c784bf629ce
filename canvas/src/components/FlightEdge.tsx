import { memo } from 'react';
import { BaseEdge, getStraightPath, type EdgeProps, type Edge } from '@xyflow/react';
import { FLIGHT_MS } from '../events';

export type FlightEdgeType = Edge<{ error: boolean }, 'flight'>;

/** A message in flight: a line between sender and receiver with a dot travelling along it. */
export const FlightEdge = memo(function FlightEdge({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps<FlightEdgeType>) {
  const [path] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  return (
    <g className={`flight${data?.error ? ' flight-error' : ''}`} data-testid="flight">
      <BaseEdge id={id} path={path} className="flight-path" />
      <circle r="7" className="flight-dot">
        <animateMotion dur={`${FLIGHT_MS / 1000 / 2}s`} repeatCount="2" path={path} />
      </circle>
    </g>
  );
});
