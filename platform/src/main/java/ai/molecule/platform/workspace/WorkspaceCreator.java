package ai.molecule.platform.workspace;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.memory.SecretRedactor;
import ai.molecule.platform.provisioner.Provisioner;
import ai.molecule.platform.registry.UrlSafety;
import ai.molecule.platform.secrets.SecretService;
import ai.molecule.platform.tokens.TokenService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** POST /workspaces: validation, the insert transaction, and what happens next per kind. */
public final class WorkspaceCreator {
    private final Jdbi jdbi;
    private final SecretService secrets;
    private final TokenService tokens;
    private final EventBus events;
    private final Provisioner provisioner;
    private final UrlSafety urlSafety;
    private final String configsDir;

    public WorkspaceCreator(Jdbi jdbi, SecretService secrets, TokenService tokens, EventBus events,
                            Provisioner provisioner, UrlSafety urlSafety, String configsDir) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.tokens = tokens;
        this.events = events;
        this.provisioner = provisioner;
        this.urlSafety = urlSafety;
        this.configsDir = configsDir;
    }

    public record NewWorkspace(String name, String role, String template, int tier, String model, String runtime,
                               boolean external, String url, String workspaceDir, String workspaceAccess,
                               UUID parentId, Long budgetLimit, Map<String, String> secrets, int maxConcurrentTasks,
                               double x, double y, List<Memory> initialMemories,
                               com.fasterxml.jackson.databind.node.ObjectNode config) {
    }

    public record Memory(String content, String scope) {
    }

    /** Creates the workspace; returns the 201 body. {@code platformUrl} is shown to external agents. */
    public Map<String, Object> create(NewWorkspace n, String platformUrl) {
        validate(n);
        boolean awaiting = n.external() && n.url() == null;
        String status = !n.external() ? WorkspaceStatus.PROVISIONING
                : awaiting ? WorkspaceStatus.AWAITING_AGENT : WorkspaceStatus.ONLINE;
        String[] token = new String[1];
        UUID id = jdbi.inTransaction(h -> {
            UUID wsId = insert(h, n, status);
            for (var s : n.secrets().entrySet()) secrets.setWorkspaceSecret(h, wsId, s.getKey(), s.getValue());
            for (Memory m : n.initialMemories()) {
                h.createUpdate("INSERT INTO agent_memories (workspace_id, content, scope, namespace) VALUES (:ws, :c, :s, :ns)")
                        .bind("ws", wsId).bind("c", SecretRedactor.redact(m.content())).bind("s", m.scope()).bind("ns", "workspace:" + wsId)
                        .execute();
            }
            if (awaiting) token[0] = tokens.mint(h, wsId);
            return wsId;
        });
        events.emit(EventTypes.WORKSPACE_PROVISIONING, id, JsonMap.of("name", n.name(), "tier", n.tier(), "runtime", n.runtime()));
        if (!n.external()) {
            provisioner.start(id);
            return JsonMap.of("id", id.toString(), "status", status, "awareness_namespace", "workspace:" + id,
                    "workspace_access", n.workspaceAccess());
        }
        if (!awaiting) {
            events.emit(EventTypes.WORKSPACE_ONLINE, id, JsonMap.of("name", n.name(), "external", true));
            return JsonMap.of("id", id.toString(), "external", true, "status", status);
        }
        events.emit(EventTypes.WORKSPACE_AWAITING_AGENT, id, JsonMap.of("name", n.name(), "external", true));
        return JsonMap.of("id", id.toString(), "external", true, "status", status,
                "connection", connection(id, token[0], platformUrl));
    }

    private void validate(NewWorkspace n) {
        try {
            FieldRules.name(n.name());
            FieldRules.role(n.role());
            FieldRules.model(n.model());
            FieldRules.runtime(n.runtime());
            if (n.tier() < 1 || n.tier() > 4) throw ApiError.badRequest("tier must be between 1 and 4");
            if (n.budgetLimit() != null && n.budgetLimit() < 0) throw ApiError.badRequest("budget_limit must be >= 0 (USD cents)");
            for (String key : n.secrets().keySet()) SecretService.validateKey(key);
            for (Memory m : n.initialMemories()) {
                if (m.content().length() > 100_000) throw ApiError.badRequest("initial memory content exceeds 100000 characters");
                if (!List.of("LOCAL", "TEAM", "GLOBAL").contains(m.scope())) {
                    throw ApiError.badRequest("scope must be LOCAL, TEAM, or GLOBAL");
                }
            }
        } catch (ApiError e) {
            throw new ApiError(400, "invalid workspace fields", Map.of("detail", e.getMessage()));
        }
        FieldRules.template(n.template());
        if (n.template() != null && configsDir != null && !Files.isDirectory(Path.of(configsDir, n.template()))) {
            throw ApiError.badRequest("invalid template");
        }
        FieldRules.workspaceDir(n.workspaceDir());
        FieldRules.workspaceAccess(n.workspaceAccess(), n.workspaceDir());
        if (n.url() != null) {
            urlSafety.problem(n.url()).ifPresent(p -> {
                throw new ApiError(400, "invalid workspace fields", Map.of("detail", "url rejected: " + p));
            });
        }
        if (n.parentId() != null) {
            boolean parentLive = jdbi.withHandle(h -> h.createQuery(
                            "SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :p AND status <> 'removed')")
                    .bind("p", n.parentId()).mapTo(Boolean.class).one());
            if (!parentLive) throw new ApiError(400, "invalid workspace fields", Map.of("detail", "parent workspace not found"));
        }
    }

    private static UUID insert(Handle h, NewWorkspace n, String status) {
        UUID id = h.createQuery("""
                        INSERT INTO workspaces (name, role, tier, status, url, parent_id, runtime, workspace_dir,
                                                workspace_access, budget_limit, max_concurrent_tasks, external)
                        VALUES (:name, :role, :tier, :status, :url, :parent, :runtime, :dir, :access, :budget, :max, :external)
                        RETURNING id""")
                .bind("name", n.name()).bind("role", n.role()).bind("tier", n.tier()).bind("status", status)
                .bind("url", n.url() == null ? "" : n.url()).bind("parent", n.parentId()).bind("runtime", n.runtime())
                .bind("dir", n.workspaceDir()).bind("access", n.workspaceAccess()).bind("budget", n.budgetLimit())
                .bind("max", n.maxConcurrentTasks()).bind("external", n.external())
                .mapTo(UUID.class).one();
        h.createUpdate("UPDATE workspaces SET awareness_namespace = :ns WHERE id = :id")
                .bind("ns", "workspace:" + id).bind("id", id).execute();
        h.createUpdate("INSERT INTO canvas_layouts (workspace_id, x, y) VALUES (:id, :x, :y)")
                .bind("id", id).bind("x", n.x()).bind("y", n.y()).execute();
        Map<String, Object> config = new LinkedHashMap<>();
        if (n.config() != null) n.config().fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue()));
        config.put("name", n.name());
        config.put("runtime", n.runtime());
        config.put("tier", n.tier());
        config.put("template", n.template());
        if (n.model() != null) config.put("model", n.model());
        h.createUpdate("INSERT INTO workspace_config (workspace_id, data) VALUES (:id, CAST(:data AS jsonb))")
                .bind("id", id).bind("data", Json.write(config)).execute();
        return id;
    }

    private static Map<String, Object> connection(UUID id, String token, String platformUrl) {
        String register = platformUrl + "/registry/register";
        return JsonMap.of(
                "workspace_id", id.toString(),
                "platform_url", platformUrl,
                "auth_token", token,
                "registry_endpoint", register,
                "heartbeat_endpoint", platformUrl + "/registry/heartbeat",
                "curl_register_template", "curl -X POST " + register
                        + " -H 'Content-Type: application/json' -H 'Authorization: Bearer " + token + "'"
                        + " -d '{\"id\":\"" + id + "\",\"url\":\"<YOUR_AGENT_URL>\",\"agent_card\":{\"name\":\"<NAME>\"}}'",
                "python_snippet", "import requests\n"
                        + "requests.post(\"" + register + "\",\n"
                        + "    headers={\"Authorization\": \"Bearer " + token + "\"},\n"
                        + "    json={\"id\": \"" + id + "\", \"url\": \"<YOUR_AGENT_URL>\", \"agent_card\": {\"name\": \"<NAME>\"}})\n");
    }
}
