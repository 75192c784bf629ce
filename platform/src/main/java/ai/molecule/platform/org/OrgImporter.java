package ai.molecule.platform.org;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.secrets.SecretService;
import ai.molecule.platform.workspace.WorkspaceCreator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code POST /org/import} (spec §1.13): the {@code required_env} preflight, then the whole
 * tree in one transaction (rows, config, secrets from the {@code .env} files, memories,
 * template schedules, the files of each {@code files_dir}), so a failure leaves nothing
 * behind. A workspace that already exists under the same parent with the same name is
 * updated in place; schedules are upserted by name over template rows only, so schedules
 * added at runtime stay. Runtimes start (new) or restart (updated) after the commit.
 */
public final class OrgImporter {
    public static final long MAX_COPIED_BYTES = 8L * 1024 * 1024;

    private final Jdbi jdbi;
    private final WorkspaceCreator creator;
    private final SecretService secrets;
    private final WorkspaceFiles configDirs;
    private final Consumer<UUID> restart;

    public OrgImporter(Jdbi jdbi, WorkspaceCreator creator, SecretService secrets, WorkspaceFiles configDirs,
                       Consumer<UUID> restart) {
        this.jdbi = jdbi;
        this.creator = creator;
        this.secrets = secrets;
        this.configDirs = configDirs;
        this.restart = restart;
    }

    private record Done(OrgPlan.Node node, UUID id, WorkspaceCreator.NewWorkspace created, WorkspaceCreator.Inserted inserted,
                        double[] xy) {
    }

    /** Imports the plan; {@code template} names it in the 412. Returns the 201 body. */
    public Map<String, Object> importPlan(OrgPlan plan, String template, boolean force, String platformUrl) {
        if (!force) preflight(plan, template);
        List<Path> createdDirs = new ArrayList<>();
        List<Done> done;
        try {
            done = jdbi.inTransaction(h -> write(h, plan, createdDirs));
        } catch (RuntimeException e) {
            createdDirs.forEach(ai.molecule.platform.files.FileTrees::delete);
            throw e;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Done d : done) {
            Map<String, Object> w = new LinkedHashMap<>(JsonMap.of("id", d.id().toString(), "name", d.node().name(),
                    "tier", d.node().tier(), "status", d.created() != null ? "created" : "updated"));
            if (!d.node().channelsSkipped().isEmpty()) w.put("channels_skipped", d.node().channelsSkipped());
            out.add(w);
        }
        creator.announceLater(done.stream().filter(d -> d.created() != null)
                .map(d -> new WorkspaceCreator.Pending(d.inserted(), d.created())).toList(), platformUrl);
        done.stream().filter(d -> d.created() == null).forEach(d -> restart.accept(d.id()));
        return JsonMap.of("org", plan.name(), "workspaces", out, "count", out.size());
    }

    /** 412 unless every required variable (or one of its alternatives) is a global secret or in the template's .env. */
    private void preflight(OrgPlan plan, String template) {
        Set<String> have = new HashSet<>();
        secrets.listGlobal().forEach(s -> have.add(s.key()));
        plan.nodes().forEach(n -> have.addAll(n.secrets().keySet()));
        List<String> missing = plan.requiredEnv().stream()
                .filter(alts -> alts.stream().noneMatch(have::contains))
                .map(alts -> String.join("|", alts)).toList();
        if (missing.isEmpty()) return;
        throw ApiError.withBody(412, JsonMap.of(
                "error", "missing required environment variables",
                "missing_env", missing,
                "required_env", OrgPlan.names(plan.requiredEnv()),
                "template", template,
                "suggestion", "set them as global secrets (PUT /settings/secrets {\"key\":\"NAME\",\"value\":\"...\"}) "
                        + "or in the template's .env, then import again; or import with \"force\":true"));
    }

    private List<Done> write(Handle h, OrgPlan plan, List<Path> createdDirs) {
        List<Done> done = new ArrayList<>();
        Map<Integer, Integer> childCount = new LinkedHashMap<>();
        int roots = 0;
        for (OrgPlan.Node node : plan.nodes()) {
            UUID parentId = node.parent() < 0 ? null : done.get(node.parent()).id();
            double[] xy = layout(node, done, childCount, node.parent() < 0 ? roots++ : -1);
            WorkspaceCreator.NewWorkspace n = new WorkspaceCreator.NewWorkspace(node.name(), node.role(), null,
                    node.tier(), node.model(), node.runtime(), node.external(), node.url(), node.workspaceDir(),
                    node.workspaceAccess(), parentId, null, node.secrets(), node.maxConcurrentTasks(), xy[0], xy[1],
                    node.initialMemories(), node.config());
            UUID existing = h.createQuery("""
                            SELECT id FROM workspaces
                            WHERE name = :name AND parent_id IS NOT DISTINCT FROM :parent AND status <> 'removed'
                            ORDER BY created_at LIMIT 1""")
                    .bind("name", node.name()).bind("parent", parentId).mapTo(UUID.class).findOne().orElse(null);
            Done d;
            if (existing == null) {
                WorkspaceCreator.Inserted inserted = creator.insert(h, n);
                createdDirs.add(configDirs.dir(inserted.id()));
                d = new Done(node, inserted.id(), n, inserted, xy);
            } else {
                update(h, existing, n);
                d = new Done(node, existing, null, null, xy);
            }
            upsertSchedules(h, d.id(), node.schedules());
            done.add(d);
        }
        if (!done.isEmpty()) {
            UUID first = done.getFirst().id();
            for (WorkspaceCreator.Memory m : plan.globalMemories()) addMemoryOnce(h, first, m);
        }
        long[] budget = {MAX_COPIED_BYTES};
        for (Done d : done) {
            if (d.node().filesDir() != null) copyFiles(d.node().filesDir(), configDirs.dir(d.id()), budget);
        }
        return done;
    }

    /** Roots from their canvas coordinates (else side by side); children in a 2-column grid under their parent. */
    private static double[] layout(OrgPlan.Node node, List<Done> done, Map<Integer, Integer> childCount, int rootIndex) {
        if (node.parent() < 0) {
            return new double[]{node.x() != null ? node.x() : rootIndex * 700.0, node.y() != null ? node.y() : 0};
        }
        int i = childCount.merge(node.parent(), 1, Integer::sum) - 1;
        double[] p = done.get(node.parent()).xy();
        return new double[]{p[0] + (i % 2) * 320 - 160, p[1] + 180 * (i / 2 + 1)};
    }

    private void update(Handle h, UUID id, WorkspaceCreator.NewWorkspace n) {
        creator.validate(h, n);
        h.createUpdate("""
                        UPDATE workspaces SET role = :role, tier = :tier, runtime = :runtime, max_concurrent_tasks = :max,
                               workspace_dir = :dir, workspace_access = :access, updated_at = now()
                        WHERE id = :id""")
                .bind("role", n.role()).bind("tier", n.tier()).bind("runtime", n.runtime()).bind("max", n.maxConcurrentTasks())
                .bind("dir", n.workspaceDir()).bind("access", n.workspaceAccess()).bind("id", id).execute();
        h.createUpdate("""
                        INSERT INTO workspace_config (workspace_id, data) VALUES (:id, CAST(:data AS jsonb))
                        ON CONFLICT (workspace_id) DO UPDATE SET data = workspace_config.data || excluded.data, updated_at = now()""")
                .bind("id", id).bind("data", n.config().toString()).execute();
        for (var s : n.secrets().entrySet()) secrets.setWorkspaceSecret(h, id, s.getKey(), s.getValue());
        for (WorkspaceCreator.Memory m : n.initialMemories()) addMemoryOnce(h, id, m);
    }

    private static void addMemoryOnce(Handle h, UUID id, WorkspaceCreator.Memory m) {
        String redacted = ai.molecule.platform.memory.SecretRedactor.redact(m.content());
        boolean present = h.createQuery("SELECT EXISTS (SELECT 1 FROM agent_memories WHERE workspace_id = :id AND scope = :s AND content = :c)")
                .bind("id", id).bind("s", m.scope()).bind("c", redacted).mapTo(Boolean.class).one();
        if (!present) WorkspaceCreator.insertMemory(h, id, m);
    }

    /** Template schedules by (workspace, name); a runtime schedule of the same name is left as it is. */
    private static void upsertSchedules(Handle h, UUID id, List<OrgPlan.Schedule> schedules) {
        for (OrgPlan.Schedule s : schedules) {
            h.createUpdate("""
                            INSERT INTO workspace_schedules (workspace_id, name, cron_expr, timezone, prompt, enabled, source)
                            VALUES (:ws, :name, :cron, :tz, :prompt, :enabled, 'template')
                            ON CONFLICT (workspace_id, name) DO UPDATE
                                SET cron_expr = excluded.cron_expr, timezone = excluded.timezone, prompt = excluded.prompt,
                                    enabled = excluded.enabled, updated_at = now(),
                                    next_run_at = CASE WHEN workspace_schedules.cron_expr = excluded.cron_expr
                                                        AND workspace_schedules.timezone = excluded.timezone
                                                       THEN workspace_schedules.next_run_at END
                                WHERE workspace_schedules.source = 'template'""")
                    .bind("ws", id).bind("name", s.name()).bind("cron", s.cronExpr()).bind("tz", s.timezone())
                    .bind("prompt", s.prompt()).bind("enabled", s.enabled()).execute();
        }
    }

    /** The role folder into the config dir: regular files only, never .env files, org wiring or symlinks. */
    public static void copyFiles(Path from, Path to, long[] budget) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    String name = f.getFileName().toString();
                    if (!a.isRegularFile() || name.startsWith(".env") || (f.getParent().equals(from)
                            && (name.equals("workspace.yaml") || name.equals("config.yaml")))) {
                        return FileVisitResult.CONTINUE;
                    }
                    budget[0] -= a.size();
                    if (budget[0] < 0) throw new OrgTemplateLoader.InvalidTemplate("files_dir contents exceed " + MAX_COPIED_BYTES + " bytes");
                    Path target = to.resolve(from.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from.getFileName(), e);
        }
    }

}
