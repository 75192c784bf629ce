-- Org memory and governance (issue 11).

-- Budgets: every model call the proxy records in workspace_token_usage moves the workspace's
-- monthly_spend (USD cents, rounded up) to at least this calendar month's recorded cost, so the
-- proxy's budget check (monthly_spend >= budget_limit → 402) sees it. A runtime that reports a
-- higher spend in its heartbeat keeps the higher figure.
CREATE FUNCTION sync_monthly_spend() RETURNS trigger AS $$
BEGIN
    UPDATE workspaces w
    SET monthly_spend = GREATEST(w.monthly_spend, (
            SELECT ceil(coalesce(sum(u.estimated_cost_usd), 0) * 100)::bigint
            FROM workspace_token_usage u
            WHERE u.workspace_id = NEW.workspace_id
              AND u.period_start >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'))
    WHERE w.id = NEW.workspace_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER workspace_token_usage_spend
    AFTER INSERT OR UPDATE OF estimated_cost_usd ON workspace_token_usage
    FOR EACH ROW EXECUTE FUNCTION sync_monthly_spend();

-- Scoped memory reads: TEAM and GLOBAL rows are read across workspaces by scope.
CREATE INDEX idx_agent_memories_scope ON agent_memories (scope, created_at DESC);

-- Approvals: the admin pending list and its auto-expiry scan pending rows by age.
CREATE INDEX idx_approval_requests_pending ON approval_requests (created_at) WHERE status = 'pending';
CREATE INDEX idx_approval_requests_ws ON approval_requests (workspace_id, created_at DESC);

-- Schedules: the scheduler claims due rows by next_run_at.
CREATE INDEX idx_workspace_schedules_due ON workspace_schedules (next_run_at) WHERE enabled;
