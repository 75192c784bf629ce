package ai.molecule.platform.workspace;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A workspace row joined with its canvas layout. */
public record Workspace(
        UUID id, String name, String role, int tier, String status, String agentCard, String url,
        UUID parentId, int activeTasks, int maxConcurrentTasks, double lastErrorRate, String lastSampleError,
        int uptimeSeconds, String currentTask, String runtime, String workspaceDir, String workspaceAccess,
        long monthlySpend, Long budgetLimit, double x, double y, boolean collapsed,
        OffsetDateTime lastOutboundAt, boolean external, String instanceId) {

    static final String COLUMNS = """
            w.id, w.name, w.role, w.tier, w.status, w.agent_card::text AS agent_card, w.url, w.parent_id,
            w.active_tasks, w.max_concurrent_tasks, w.last_error_rate, w.last_sample_error, w.uptime_seconds,
            w.current_task, w.runtime, w.workspace_dir, w.workspace_access, w.monthly_spend, w.budget_limit,
            coalesce(l.x, 0) AS x, coalesce(l.y, 0) AS y, coalesce(l.collapsed, false) AS collapsed,
            w.last_outbound_at, w.external, w.instance_id""";
    static final String FROM = "workspaces w LEFT JOIN canvas_layouts l ON l.workspace_id = w.id";

    static Workspace map(ResultSet rs) throws SQLException {
        long budget = rs.getLong("budget_limit");
        Long budgetLimit = rs.wasNull() ? null : budget;
        return new Workspace(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("role"),
                rs.getInt("tier"), rs.getString("status"), rs.getString("agent_card"), rs.getString("url"),
                rs.getObject("parent_id", UUID.class), rs.getInt("active_tasks"), rs.getInt("max_concurrent_tasks"),
                rs.getDouble("last_error_rate"), rs.getString("last_sample_error"), rs.getInt("uptime_seconds"),
                rs.getString("current_task"), rs.getString("runtime"), rs.getString("workspace_dir"),
                rs.getString("workspace_access"), rs.getLong("monthly_spend"), budgetLimit,
                rs.getDouble("x"), rs.getDouble("y"), rs.getBoolean("collapsed"),
                rs.getObject("last_outbound_at", OffsetDateTime.class), rs.getBoolean("external"), rs.getString("instance_id"));
    }

    /** The agent runs on the scripted model (it says so in its card): shown, never hidden. */
    private static boolean simulated(JsonNode card) {
        return card != null && card.path("simulated").asBoolean(false);
    }

    public boolean isRoot() {
        return parentId == null;
    }

    /** The full record of GET /workspaces, in upstream's field order. */
    public Map<String, Object> toListJson() {
        Map<String, Object> m = common();
        m.put("active_tasks", activeTasks);
        m.put("max_concurrent_tasks", maxConcurrentTasks);
        m.put("last_error_rate", lastErrorRate);
        m.put("last_sample_error", nullToEmpty(lastSampleError));
        m.put("uptime_seconds", uptimeSeconds);
        m.put("current_task", nullToEmpty(currentTask));
        m.put("runtime", runtime);
        m.put("workspace_dir", workspaceDir);
        m.put("monthly_spend", monthlySpend);
        m.put("budget_limit", budgetLimit);
        layout(m);
        return m;
    }

    /** The public GET /workspaces/:id record: no spend, budget, task, sample error or dir. */
    public Map<String, Object> toPublicJson() {
        Map<String, Object> m = common();
        m.put("active_tasks", activeTasks);
        m.put("max_concurrent_tasks", maxConcurrentTasks);
        m.put("last_error_rate", lastErrorRate);
        m.put("uptime_seconds", uptimeSeconds);
        m.put("runtime", runtime);
        layout(m);
        m.put("last_outbound_at", lastOutboundAt);
        return m;
    }

    private Map<String, Object> common() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id.toString());
        m.put("name", name);
        m.put("role", role);
        m.put("tier", tier);
        m.put("status", status);
        JsonNode card = Json.parse(agentCard);
        m.put("agent_card", card);
        m.put("url", nullToEmpty(url));
        m.put("parent_id", parentId == null ? null : parentId.toString());
        if (simulated(card)) m.put("simulated", true); // only then: real agents keep upstream's exact shape
        return m;
    }

    private void layout(Map<String, Object> m) {
        m.put("x", x);
        m.put("y", y);
        m.put("collapsed", collapsed);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
