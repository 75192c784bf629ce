package ai.molecule.platform.provisioner;

import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.StartupException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The provisioner chosen by MOLECULE_PROVISIONER (embedded, process, none) with what the
 * rest of the platform needs from it: the in-process directory, the console, and bringing
 * back this instance's runtimes after a platform restart.
 */
public final class Provisioners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Provisioners.class);

    private final Provisioner provisioner;
    private final AgentDirectory directory;

    private Provisioners(Provisioner provisioner, AgentDirectory directory) {
        this.provisioner = provisioner;
        this.directory = directory;
    }

    public static Provisioners choose(PlatformConfig config, LaunchPlans plans, String instanceId) {
        return switch (config.provisioner()) {
            case "none" -> new Provisioners(new AwaitAgentProvisioner(), AgentDirectory.NONE);
            case "process" -> new Provisioners(new ProcessProvisioner(plans, instanceId), AgentDirectory.NONE);
            case "embedded" -> {
                EmbeddedProvisioner embedded = new EmbeddedProvisioner(plans, instanceId);
                yield new Provisioners(embedded, embedded);
            }
            default -> throw new StartupException("MOLECULE_PROVISIONER must be embedded, process or none, got '"
                    + config.provisioner() + "'");
        };
    }

    public Provisioner provisioner() {
        return provisioner;
    }

    public AgentDirectory directory() {
        return directory;
    }

    public Optional<String> console(UUID id) {
        return provisioner instanceof ProcessProvisioner p ? p.console(id) : Optional.empty();
    }

    /** Starts again the runtimes this instance ran before it stopped (or that nobody runs yet). */
    public void resumeOwned(Jdbi jdbi, String instanceId) {
        if (provisioner instanceof AwaitAgentProvisioner) return;
        List<UUID> ids = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM workspaces
                        WHERE status IN ('provisioning', 'online', 'degraded', 'offline') AND NOT external
                          AND (instance_id = :me OR instance_id IS NULL)
                        ORDER BY created_at""")
                .bind("me", instanceId).mapTo(UUID.class).list());
        if (!ids.isEmpty()) log.info("starting the runtimes of {} workspace(s)", ids.size());
        for (UUID id : ids) Thread.startVirtualThread(() -> provisioner.start(id));
    }

    @Override
    public void close() {
        if (provisioner instanceof ProcessProvisioner p) p.stopAll();
        if (provisioner instanceof EmbeddedProvisioner e) e.stopAll();
    }
}
