-- Capacity: one row per concurrent task a workspace allows (slot_no < max_concurrent_tasks),
-- created on first use. Taking a slot claims a free row with FOR UPDATE SKIP LOCKED, so it is
-- atomic across every platform instance and concurrent messages never queue on one hot row;
-- the holder names the instance, so the slots of one that died or restarted are given back.
CREATE TABLE a2a_slots (
    workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    slot_no      INT NOT NULL,
    holder       TEXT,
    taken_at     TIMESTAMPTZ,
    PRIMARY KEY (workspace_id, slot_no)
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
