-- The full schema of the original platform (spec §4), in one migration.
-- Differences on purpose (docs/compatibility.md): status is TEXT with a CHECK that includes
-- awaiting_agent and hibernating; child tables cascade so a purge is one DELETE.

CREATE TABLE workspaces (
    id                       UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                     TEXT NOT NULL,
    role                     TEXT,
    tier                     INT DEFAULT 1,
    status                   TEXT NOT NULL DEFAULT 'provisioning'
        CHECK (status IN ('provisioning', 'online', 'offline', 'degraded', 'failed', 'removed', 'paused',
                          'hibernating', 'hibernated', 'awaiting_agent')),
    source_bundle_id         TEXT,
    agent_card               JSONB,
    url                      TEXT,
    parent_id                UUID REFERENCES workspaces (id) ON DELETE SET NULL,
    forwarded_to             UUID REFERENCES workspaces (id) ON DELETE SET NULL,
    last_heartbeat_at        TIMESTAMPTZ,
    last_error_rate          DOUBLE PRECISION DEFAULT 0,
    last_sample_error        TEXT,
    active_tasks             INT DEFAULT 0,
    uptime_seconds           INT DEFAULT 0,
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    current_task             TEXT,
    awareness_namespace      TEXT,
    runtime                  TEXT DEFAULT 'langgraph',
    workspace_dir            TEXT,
    workspace_access         VARCHAR(20) NOT NULL DEFAULT 'none'
        CHECK (workspace_access IN ('none', 'read_only', 'read_write')),
    budget_limit             BIGINT,
    monthly_spend            BIGINT NOT NULL DEFAULT 0,
    hibernation_idle_minutes INT,
    last_outbound_at         TIMESTAMPTZ,
    max_concurrent_tasks     INT NOT NULL DEFAULT 1,
    instance_id              TEXT,
    external                 BOOLEAN NOT NULL DEFAULT false,
    runtime_metadata         JSONB
);
CREATE INDEX idx_workspaces_parent ON workspaces (parent_id);
CREATE INDEX idx_workspaces_status ON workspaces (status);
CREATE INDEX idx_workspaces_instance ON workspaces (instance_id);
CREATE INDEX idx_workspaces_hibernation ON workspaces (hibernation_idle_minutes) WHERE hibernation_idle_minutes IS NOT NULL;

CREATE TABLE agents (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id   UUID REFERENCES workspaces (id) ON DELETE CASCADE,
    model          TEXT,
    status         TEXT DEFAULT 'active' CHECK (status IN ('active', 'replaced', 'removed')),
    removed_at     TIMESTAMPTZ,
    removal_reason TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE structure_events (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type   TEXT NOT NULL,
    workspace_id UUID,
    agent_id     UUID,
    target_id    UUID,
    payload      JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_structure_events_ws ON structure_events (workspace_id, created_at DESC);
CREATE INDEX idx_structure_events_created ON structure_events (created_at DESC);

CREATE TABLE workspace_secrets (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id       UUID REFERENCES workspaces (id) ON DELETE CASCADE,
    key                TEXT NOT NULL,
    encrypted_value    BYTEA NOT NULL,
    encryption_version INT NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, key)
);

CREATE TABLE global_secrets (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    key                TEXT UNIQUE NOT NULL,
    encrypted_value    BYTEA NOT NULL,
    encryption_version INT NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE canvas_layouts (
    workspace_id UUID PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    x            DOUBLE PRECISION DEFAULT 0,
    y            DOUBLE PRECISION DEFAULT 0,
    collapsed    BOOLEAN DEFAULT false
);

CREATE TABLE canvas_viewport (
    id       UUID PRIMARY KEY,
    x        DOUBLE PRECISION,
    y        DOUBLE PRECISION,
    zoom     DOUBLE PRECISION DEFAULT 1,
    saved_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE workspace_config (
    workspace_id UUID PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    data         JSONB NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE workspace_memory (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key          TEXT,
    value        JSONB NOT NULL,
    expires_at   TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, key)
);

CREATE TABLE approval_requests (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID REFERENCES workspaces (id) ON DELETE CASCADE,
    task_id      TEXT,
    action       TEXT NOT NULL,
    reason       TEXT,
    context      JSONB DEFAULT '{}',
    status       TEXT DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'escalated')),
    decided_by   TEXT,
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE agent_memories (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID REFERENCES workspaces (id) ON DELETE CASCADE,
    content      TEXT NOT NULL,
    scope        VARCHAR(10) CHECK (scope IN ('LOCAL', 'TEAM', 'GLOBAL')),
    namespace    VARCHAR(50) NOT NULL DEFAULT 'general',
    content_tsv  TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_agent_memories_tsv ON agent_memories USING GIN (content_tsv);
CREATE INDEX idx_agent_memories_ws ON agent_memories (workspace_id, scope);

CREATE TABLE activity_logs (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id    UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    activity_type   TEXT NOT NULL,
    source_id       UUID,
    target_id       UUID,
    method          TEXT,
    summary         TEXT,
    request_body    JSONB,
    response_body   JSONB,
    tool_trace      JSONB,
    duration_ms     INT,
    status          TEXT DEFAULT 'ok',
    error_detail    TEXT,
    idempotency_key TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_activity_idempotency ON activity_logs (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX idx_activity_ws_type ON activity_logs (workspace_id, activity_type, created_at DESC);

CREATE TABLE workspace_schedules (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id           UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name                   TEXT NOT NULL DEFAULT '',
    cron_expr              TEXT NOT NULL,
    timezone               TEXT NOT NULL DEFAULT 'UTC',
    prompt                 TEXT NOT NULL,
    enabled                BOOLEAN NOT NULL DEFAULT true,
    last_run_at            TIMESTAMPTZ,
    next_run_at            TIMESTAMPTZ,
    run_count              INT NOT NULL DEFAULT 0,
    last_status            TEXT DEFAULT '',
    last_error             TEXT DEFAULT '',
    source                 TEXT NOT NULL DEFAULT 'runtime' CHECK (source IN ('template', 'runtime')),
    consecutive_empty_runs INT NOT NULL DEFAULT 0,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE workspace_channels (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id    UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    channel_type    TEXT NOT NULL,
    channel_config  JSONB NOT NULL DEFAULT '{}',
    enabled         BOOLEAN NOT NULL DEFAULT true,
    allowed_users   JSONB DEFAULT '[]',
    last_message_at TIMESTAMPTZ,
    message_count   INT NOT NULL DEFAULT 0,
    channel_budget  INT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, channel_type)
);

CREATE TABLE workspace_auth_tokens (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX idx_tokens_live ON workspace_auth_tokens (workspace_id) WHERE revoked_at IS NULL;

CREATE TABLE org_api_tokens (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash   BYTEA UNIQUE NOT NULL,
    prefix       TEXT NOT NULL,
    name         TEXT,
    created_by   TEXT,
    org_id       UUID REFERENCES workspaces (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE workspace_token_usage (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id       UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    period_start       TIMESTAMPTZ NOT NULL,
    input_tokens       BIGINT DEFAULT 0,
    output_tokens      BIGINT DEFAULT 0,
    call_count         INT DEFAULT 0,
    estimated_cost_usd NUMERIC(12, 6) DEFAULT 0,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, period_start)
);

CREATE TABLE org_plugin_allowlist (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    plugin_name TEXT NOT NULL,
    enabled_by  TEXT NOT NULL,
    enabled_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, plugin_name)
);

CREATE TABLE workspace_artifacts (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL UNIQUE REFERENCES workspaces (id) ON DELETE CASCADE,
    cf_repo_name TEXT,
    cf_namespace TEXT NOT NULL,
    remote_url   TEXT,
    description  TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
    id                   TEXT PRIMARY KEY,
    timestamp            TIMESTAMPTZ NOT NULL,
    agent_id             TEXT,
    session_id           TEXT,
    operation            TEXT NOT NULL,
    input_hash           TEXT,
    output_hash          TEXT,
    model_used           TEXT,
    human_oversight_flag BOOLEAN,
    risk_flag            BOOLEAN NOT NULL DEFAULT false,
    prev_hmac            TEXT,
    hmac                 TEXT NOT NULL,
    workspace_id         UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE
);

CREATE TABLE platform_instructions (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    scope        TEXT NOT NULL CHECK (scope IN ('global', 'team', 'workspace')),
    scope_target TEXT,
    title        TEXT NOT NULL CHECK (length(title) <= 200),
    content      TEXT NOT NULL CHECK (length(content) <= 8192),
    priority     INT DEFAULT 0,
    enabled      BOOLEAN DEFAULT true,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE a2a_queue (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id    UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    caller_id       UUID,
    priority        SMALLINT NOT NULL DEFAULT 50,
    body            JSONB NOT NULL,
    method          TEXT,
    idempotency_key TEXT,
    enqueued_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    dispatched_at   TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    attempts        INT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'dispatched', 'completed', 'dropped', 'failed')),
    last_error      TEXT
);
CREATE UNIQUE INDEX idx_a2a_queue_idem ON a2a_queue (workspace_id, idempotency_key) WHERE status IN ('queued', 'dispatched');
CREATE INDEX idx_a2a_queue_drain ON a2a_queue (workspace_id, status, priority DESC, enqueued_at);

CREATE TABLE workflow_checkpoints (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    workflow_id  TEXT,
    step_name    TEXT,
    step_index   INT NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload      JSONB,
    UNIQUE (workspace_id, workflow_id, step_name)
);

-- Supervised background loops report here; /admin/liveness reads it (works across instances).
CREATE TABLE subsystem_ticks (
    name         TEXT PRIMARY KEY,
    last_tick_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Events too large for a NOTIFY payload travel between instances through here.
CREATE TABLE event_relay (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    envelope   JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
