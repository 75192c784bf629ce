package ai.molecule.platform.workspace;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.files.FileTrees;
import ai.molecule.platform.org.OrgImporter;
import ai.molecule.platform.org.OrgTemplateLoader;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.templates.TemplateCatalog;
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
    private final TemplateCatalog templates;
    private final WorkspaceFiles configDirs;

    public WorkspaceCreator(Jdbi jdbi, SecretService secrets, TokenService tokens, EventBus events,
                            Provisioner provisioner, UrlSafety urlSafety, String configsDir,
                            TemplateCatalog templates, WorkspaceFiles configDirs) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.tokens = tokens;
        this.events = events;
        this.provisioner = provisioner;
        this.urlSafety = urlSafety;
        this.configsDir = configsDir;
        this.templates = templates;
        this.configDirs = configDirs;
    }

    /** {@code "runtime":"external"} means the same as {@code "external":true} (spec §1.2). */
    static final String EXTERNAL_RUNTIME = "external";
    static final String DEFAULT_RUNTIME = "langgraph";

    public record NewWorkspace(String name, String role, String template, int tier, String model, String runtime,
                               boolean external, String url, String workspaceDir, String workspaceAccess,
                               UUID parentId, Long budgetLimit, Map<String, String> secrets, int maxConcurrentTasks,
                               double x, double y, List<Memory> initialMemories,
                               com.fasterxml.jackson.databind.node.ObjectNode config) {
        /** This runtime when none was asked for. */
        NewWorkspace withRuntime(String fallback) {
            if (runtime != null) return this;
            return new NewWorkspace(name, role, template, tier, model, fallback, external, url, workspaceDir, workspaceAccess,
                    parentId, budgetLimit, secrets, maxConcurrentTasks, x, y, initialMemories, config);
        }

        NewWorkspace asExternal() {
            return new NewWorkspace(name, role, template, tier, model, runtime, true, url, workspaceDir, workspaceAccess,
                    parentId, budgetLimit, secrets, maxConcurrentTasks, x, y, initialMemories, config);
        }
    }

    public record Memory(String content, String scope) {
    }

    /** A row inserted by {@link #insert}: what {@link #announce} needs once the transaction committed. */
    public record Inserted(UUID id, String status, String token) {
    }

    /**
     * Creates the workspace; returns the 201 body. {@code platformUrl} is shown to external agents.
     * A known workspace {@code template} (spec §1.2) gives its config.yaml as the config under the
     * caller's {@code config}, its {@code runtime:} and {@code model:} as defaults, and its other
     * files (prompts, skills) to the config dir; a null {@code runtime} means the template's, else langgraph.
     */
    public Map<String, Object> create(NewWorkspace requested, String platformUrl) {
        Path template = requested.template() == null || EXTERNAL_RUNTIME.equals(requested.runtime()) || requested.external()
                ? null : templates.workspaceTemplate(requested.template()).orElse(null);
        NewWorkspace applied = template == null ? requested.withRuntime(DEFAULT_RUNTIME) : withTemplate(requested, template);
        NewWorkspace n = EXTERNAL_RUNTIME.equals(applied.runtime()) ? applied.asExternal() : applied;
        Inserted created = jdbi.inTransaction(h -> {
            Inserted i = insert(h, n);
            if (template != null) copyTemplateFiles(template, i.id());
            return i;
        });
        return announce(created, n, platformUrl);
    }

    private static NewWorkspace withTemplate(NewWorkspace n, Path template) {
        String runtime = TemplateCatalog.rawWorkspaceConfig(template).path("runtime").asText(DEFAULT_RUNTIME);
        com.fasterxml.jackson.databind.node.ObjectNode config = TemplateCatalog.workspaceConfig(template);
        if (n.config() != null) config.setAll(n.config());
        return new NewWorkspace(n.name(), n.role(), n.template(), n.tier(), n.model(), n.runtime(), n.external(), n.url(),
                n.workspaceDir(), n.workspaceAccess(), n.parentId(), n.budgetLimit(), n.secrets(), n.maxConcurrentTasks(),
                n.x(), n.y(), n.initialMemories(), config).withRuntime(runtime.isBlank() ? DEFAULT_RUNTIME : runtime);
    }

    /** Inside the insert's transaction: a copy that fails leaves no row and no half-filled config dir. */
    private void copyTemplateFiles(Path template, UUID id) {
        try {
            OrgImporter.copyFiles(template, configDirs.dir(id), new long[]{OrgImporter.MAX_COPIED_BYTES});
        } catch (RuntimeException e) {
            FileTrees.delete(configDirs.dir(id));
            if (e instanceof OrgTemplateLoader.InvalidTemplate) throw new ApiError(400, "invalid template", Map.of("detail", e.getMessage()));
            throw e;
        }
    }

    /**
     * Validates and inserts the workspace (row, layout, config, secrets, initial memories) inside
     * the caller's transaction, so an import of many workspaces commits all or nothing. Nothing is
     * emitted or started here: call {@link #announce} after the commit.
     */
    public Inserted insert(Handle h, NewWorkspace n) {
        validate(h, n);
        boolean awaiting = n.external() && n.url() == null;
        String status = !n.external() ? WorkspaceStatus.PROVISIONING
                : awaiting ? WorkspaceStatus.AWAITING_AGENT : WorkspaceStatus.ONLINE;
        UUID wsId = insert(h, n, status);
        for (var s : n.secrets().entrySet()) secrets.setWorkspaceSecret(h, wsId, s.getKey(), s.getValue());
        for (Memory m : n.initialMemories()) insertMemory(h, wsId, m);
        return new Inserted(wsId, status, awaiting ? tokens.mint(h, wsId) : null);
    }

    /** One initial memory, redacted like every memory write. */
    public static void insertMemory(Handle h, UUID workspaceId, Memory m) {
        h.createUpdate("INSERT INTO agent_memories (workspace_id, content, scope, namespace) VALUES (:ws, :c, :s, :ns)")
                .bind("ws", workspaceId).bind("c", SecretRedactor.redact(m.content())).bind("s", m.scope())
                .bind("ns", "workspace:" + workspaceId).execute();
    }

    /** A workspace inserted by an import, waiting for its {@link #announce}. */
    public record Pending(Inserted inserted, NewWorkspace workspace) {
    }

    /** Announces imported workspaces in order (parents first) on one virtual thread: the import answers at once. */
    public void announceLater(List<Pending> pending, String platformUrl) {
        if (pending.isEmpty()) return;
        Thread.ofVirtual().name("announce-imported").start(() -> {
            for (Pending p : pending) {
                try {
                    announce(p.inserted(), p.workspace(), platformUrl);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(WorkspaceCreator.class)
                            .warn("imported workspace {} did not start: {}", p.inserted().id(), e.getMessage());
                }
            }
        });
    }

    /** After the commit: the events, the runtime start, and the 201 body. */
    public Map<String, Object> announce(Inserted created, NewWorkspace n, String platformUrl) {
        UUID id = created.id();
        String status = created.status();
        Map<String, Object> provisioning = new LinkedHashMap<>(JsonMap.of("name", n.name(), "tier", n.tier(), "runtime", n.runtime()));
        if (n.parentId() != null) provisioning.put("parent_id", n.parentId().toString());
        events.emit(EventTypes.WORKSPACE_PROVISIONING, id, provisioning);
        if (!n.external()) {
            provisioner.start(id);
            return JsonMap.of("id", id.toString(), "status", status, "awareness_namespace", "workspace:" + id,
                    "workspace_access", n.workspaceAccess());
        }
        if (created.token() == null) {
            events.emit(EventTypes.WORKSPACE_ONLINE, id, JsonMap.of("name", n.name(), "external", true));
            return JsonMap.of("id", id.toString(), "external", true, "status", status);
        }
        events.emit(EventTypes.WORKSPACE_AWAITING_AGENT, id, JsonMap.of("name", n.name(), "external", true));
        return JsonMap.of("id", id.toString(), "external", true, "status", status,
                "connection", connection(id, created.token(), platformUrl));
    }

    /** The field rules of POST /workspaces; the parent is looked up through {@code h} (it may be new in this transaction). */
    public void validate(Handle h, NewWorkspace n) {
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
        // with CONFIGS_DIR set a template must exist (there or among the shipped and user ones); without, it is a label
        if (n.template() != null && configsDir != null && templates.workspaceTemplate(n.template()).isEmpty()) {
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
            boolean parentLive = h.createQuery("SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :p AND status <> 'removed')")
                    .bind("p", n.parentId()).mapTo(Boolean.class).one();
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
        if (n.template() != null || !config.containsKey("template")) config.put("template", n.template());
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
