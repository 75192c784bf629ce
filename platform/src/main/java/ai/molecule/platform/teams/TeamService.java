package ai.molecule.platform.teams;

import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.files.FileTrees;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.org.OrgImporter;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.templates.TemplateCatalog;
import ai.molecule.platform.workspace.WorkspaceCreator;
import ai.molecule.platform.workspace.WorkspaceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Team expand / collapse (spec §1.8, agent-side §6.4). Expanding keeps the workspace as it
 * is (same id, token and A2A address) and gives it children, which makes it their
 * coordinator; collapsing removes the children (and their subtrees) and leaves it alone again.
 */
public final class TeamService {
    private final Jdbi jdbi;
    private final WorkspaceCreator creator;
    private final WorkspaceService workspaces;
    private final TemplateCatalog catalog;
    private final WorkspaceFiles configDirs;
    private final EventBus events;

    public TeamService(Jdbi jdbi, WorkspaceCreator creator, WorkspaceService workspaces, TemplateCatalog catalog,
                       WorkspaceFiles configDirs, EventBus events) {
        this.jdbi = jdbi;
        this.creator = creator;
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.configDirs = configDirs;
        this.events = events;
    }

    /** One child to create: {@code config} names a workspace template (its config and files), or is null. */
    public record Member(String name, String role, String config, String model) {
    }

    private record Lead(String name, int tier, String runtime, ObjectNode config) {
    }

    /**
     * Children from {@code given} when the caller lists them, else from {@code sub_workspaces}
     * in the workspace's config, else in its workspace template (named in its config, or the
     * template whose folder is its normalized name).
     */
    public Map<String, Object> expand(UUID id, List<Member> given, String platformUrl) {
        Lead lead = lead(id);
        List<Member> members = given != null && !given.isEmpty() ? given : fromConfig(lead);
        List<Path> dirs = new ArrayList<>();
        List<WorkspaceCreator.Pending> pending = new ArrayList<>();
        List<Map<String, Object>> children = new ArrayList<>();
        try {
            jdbi.useTransaction(h -> {
                int i = 0;
                for (Member m : members) {
                    Path template = m.config() == null ? null : catalog.workspaceTemplate(m.config())
                            .orElseThrow(() -> ApiError.badRequest("template not found: " + m.config()));
                    ObjectNode config = template == null ? Json.MAPPER.createObjectNode() : TemplateCatalog.workspaceConfig(template);
                    String model = m.model() != null ? m.model() : config.path("model").asText(lead.config().path("model").asText(""));
                    if (!model.isEmpty()) config.put("model", model);
                    if (m.config() != null) config.put("template", m.config());
                    WorkspaceCreator.NewWorkspace n = new WorkspaceCreator.NewWorkspace(m.name(), m.role(), null, lead.tier(),
                            model.isEmpty() ? null : model, lead.runtime(), false, null, null, "none", id, null, Map.of(), 1,
                            (i % 2) * 320 - 160, 180 * (i / 2 + 1), List.of(), config);
                    i++;
                    WorkspaceCreator.Inserted inserted = creator.insert(h, n);
                    dirs.add(configDirs.dir(inserted.id()));
                    if (template != null) OrgImporter.copyFiles(template, configDirs.dir(inserted.id()), new long[]{OrgImporter.MAX_COPIED_BYTES});
                    pending.add(new WorkspaceCreator.Pending(inserted, n));
                    children.add(JsonMap.of("id", inserted.id().toString(), "name", m.name(), "role", m.role() == null ? "" : m.role()));
                }
            });
        } catch (RuntimeException e) {
            dirs.forEach(FileTrees::delete);
            throw e;
        }
        creator.announceLater(pending, platformUrl);
        events.emit(EventTypes.WORKSPACE_EXPANDED, id, Map.of("children", children));
        return JsonMap.of("status", "expanded", "children", children);
    }

    /** Removes every direct child with its subtree; the workspace itself is untouched. */
    public Map<String, Object> collapse(UUID id) {
        lead(id);
        List<Map.Entry<UUID, String>> children = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, name FROM workspaces WHERE parent_id = :id AND status <> 'removed' ORDER BY created_at")
                .bind("id", id).map((rs, c) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).list());
        List<String> removed = new ArrayList<>();
        for (var child : children) {
            workspaces.delete(child.getKey(), true, false);
            removed.add(child.getValue());
        }
        events.emit(EventTypes.WORKSPACE_COLLAPSED, id, Map.of("removed_children", removed));
        return JsonMap.of("status", "collapsed", "removed", removed);
    }

    private Lead lead(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT w.name, w.tier, w.runtime, COALESCE(c.data::text, '{}') AS data
                        FROM workspaces w LEFT JOIN workspace_config c ON c.workspace_id = w.id
                        WHERE w.id = :id AND w.status <> 'removed'""")
                .bind("id", id)
                .map((rs, c) -> new Lead(rs.getString("name"), rs.getInt("tier"), rs.getString("runtime"),
                        Json.parse(rs.getString("data")) instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode()))
                .findOne()).orElseThrow(() -> ApiError.notFound("workspace not found"));
    }

    private List<Member> fromConfig(Lead lead) {
        JsonNode subs = lead.config().get("sub_workspaces");
        if (subs == null) {
            Path template = ownTemplate(lead).orElseThrow(() -> ApiError.badRequest("no config found for workspace"));
            subs = TemplateCatalog.workspaceConfig(template).get("sub_workspaces");
        }
        if (subs == null || !subs.isArray() || subs.isEmpty()) throw ApiError.badRequest("workspace has no sub_workspaces defined in config");
        return members(subs);
    }

    private Optional<Path> ownTemplate(Lead lead) {
        String named = lead.config().path("template").asText("");
        if (!named.isEmpty()) return catalog.workspaceTemplate(named);
        String normalized = lead.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        Optional<Path> byFolder = catalog.workspaceTemplate(normalized);
        if (byFolder.isPresent()) return byFolder;
        return catalog.workspaceTemplates().values().stream()
                .filter(p -> lead.name().equals(TemplateCatalog.rawWorkspaceConfig(p).path("name").asText(null))).findFirst();
    }

    /** {@code [{config, name, role, model?}]}; a name is required. */
    public static List<Member> members(JsonNode list) {
        List<Member> out = new ArrayList<>();
        if (!list.isArray()) throw ApiError.badRequest("sub_workspaces must be a list");
        for (JsonNode m : list) {
            String name = m.path("name").asText("");
            if (name.isBlank()) throw ApiError.badRequest("every sub_workspace needs a name");
            out.add(new Member(name, m.hasNonNull("role") ? m.get("role").asText() : null,
                    m.hasNonNull("config") ? m.get("config").asText() : null,
                    m.hasNonNull("model") ? m.get("model").asText() : null));
        }
        if (out.size() > 50) throw ApiError.badRequest("at most 50 sub_workspaces at once");
        return out;
    }
}
