-- Caches of the request path (workspace rows, tokens, ancestor chains) learn about changes from
-- these triggers, whoever makes them: every platform instance LISTENs on molecule_invalidate.
-- Heartbeat-only updates (last_heartbeat_at, active_tasks, ...) do not fire.

CREATE FUNCTION molecule_invalidate_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('molecule_invalidate', 'workspaces:' || OLD.id);
    RETURN NULL;
END $$;

CREATE TRIGGER workspaces_invalidate_update AFTER UPDATE ON workspaces FOR EACH ROW
    WHEN ((OLD.status, OLD.url, OLD.parent_id, OLD.name, OLD.max_concurrent_tasks, OLD.budget_limit,
           OLD.monthly_spend, OLD.external, OLD.runtime, OLD.agent_card)
          IS DISTINCT FROM
          (NEW.status, NEW.url, NEW.parent_id, NEW.name, NEW.max_concurrent_tasks, NEW.budget_limit,
           NEW.monthly_spend, NEW.external, NEW.runtime, NEW.agent_card))
    EXECUTE FUNCTION molecule_invalidate_workspace();

CREATE TRIGGER workspaces_invalidate_delete AFTER DELETE ON workspaces FOR EACH ROW
    EXECUTE FUNCTION molecule_invalidate_workspace();

CREATE FUNCTION molecule_invalidate_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('molecule_invalidate', 'workspace_auth_tokens:' || coalesce(NEW.workspace_id, OLD.workspace_id));
    RETURN NULL;
END $$;

CREATE TRIGGER tokens_invalidate_insert_delete AFTER INSERT OR DELETE ON workspace_auth_tokens FOR EACH ROW
    EXECUTE FUNCTION molecule_invalidate_token();

CREATE TRIGGER tokens_invalidate_revoke AFTER UPDATE ON workspace_auth_tokens FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
    EXECUTE FUNCTION molecule_invalidate_token();
