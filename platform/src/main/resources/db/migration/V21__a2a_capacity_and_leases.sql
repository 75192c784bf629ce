-- Capacity: how many messages each workspace is handling right now, across every platform
-- instance, and which instances hold them (so the slots of an instance that died are given
-- back). Taking or giving back a slot is one statement on one row: atomic under any number
-- of instances racing for the last slot, and no lock-order deadlocks.
CREATE TABLE a2a_slots (
    workspace_id UUID PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    in_flight    INT NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
    holders      JSONB NOT NULL DEFAULT '{}'  -- instance id -> slots it holds
);

-- Platform instances say they are alive (and where they answer, for messages to the runtimes
-- they host); a silent one's slots and queue leases are released.
CREATE TABLE platform_instances (
    instance_id  TEXT PRIMARY KEY,
    url          TEXT,
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A queue row being delivered is leased by the instance delivering it; the lease is renewed
-- while the delivery runs, and a periodic sweep puts rows with an expired lease back in line once.
ALTER TABLE a2a_queue ADD COLUMN dispatched_by TEXT;
ALTER TABLE a2a_queue ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE a2a_queue ADD COLUMN redeliveries INT NOT NULL DEFAULT 0;
CREATE INDEX idx_a2a_queue_leases ON a2a_queue (lease_until) WHERE status = 'dispatched';
