package ai.molecule.platform.plugins;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.runtime.config.Plugin;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An org's plugin allowlist (spec §1.13, table {@code org_plugin_allowlist}); the org is a root
 * workspace. An empty list allows every plugin.
 */
public final class PluginAllowlist {
    static final int MAX_NAMES = 500;

    private final Jdbi jdbi;

    public PluginAllowlist(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Map<String, Object> get(UUID org) {
        requireOrg(org);
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT plugin_name, enabled_by, enabled_at FROM org_plugin_allowlist
                        WHERE org_id = :org ORDER BY plugin_name""")
                .bind("org", org)
                .map((rs, c) -> JsonMap.of("plugin_name", rs.getString(1), "enabled_by", rs.getString(2),
                        "enabled_at", rs.getObject(3, java.time.OffsetDateTime.class)))
                .list());
        return JsonMap.of("org_id", org.toString(), "plugins", rows, "allow_all", rows.isEmpty());
    }

    /** Replaces the list in one transaction. */
    public Map<String, Object> put(UUID org, List<String> names, String enabledBy) {
        requireOrg(org);
        if (names.size() > MAX_NAMES) throw ApiError.badRequest("too many plugins (max " + MAX_NAMES + ")");
        for (String n : names) {
            if (!Plugin.NAME.matcher(n).matches()) throw ApiError.badRequest("invalid plugin name: " + n);
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(names));
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM org_plugin_allowlist WHERE org_id = :org").bind("org", org).execute();
            var batch = h.prepareBatch("""
                    INSERT INTO org_plugin_allowlist (org_id, plugin_name, enabled_by) VALUES (:org, :name, :by)""");
            for (String n : unique) batch.bind("org", org).bind("name", n).bind("by", enabledBy).add();
            if (!unique.isEmpty()) batch.execute();
        });
        return JsonMap.of("org_id", org.toString(), "plugins", unique, "allow_all", unique.isEmpty());
    }

    /** 403 when the org has a list and {@code plugin} is not on it. */
    void check(UUID org, String plugin) {
        boolean refused = jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM org_plugin_allowlist WHERE org_id = :org)
                           AND NOT EXISTS (SELECT 1 FROM org_plugin_allowlist WHERE org_id = :org AND plugin_name = :name)""")
                .bind("org", org).bind("name", plugin).mapTo(Boolean.class).one());
        if (refused) throw ApiError.forbidden("plugin \"" + plugin + "\" is not in the org allowlist");
    }

    private void requireOrg(UUID org) {
        boolean root = jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = :id AND parent_id IS NULL AND status <> 'removed')""")
                .bind("id", org).mapTo(Boolean.class).one());
        if (!root) throw ApiError.notFound("org not found");
    }
}
