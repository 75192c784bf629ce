package ai.molecule.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This platform instance's stable identity: MOLECULE_INSTANCE_ID, else an id kept in
 * MOLECULE_HOME/instance-id. It marks the workspaces whose runtimes this instance runs, so
 * after a restart it brings back exactly those.
 */
final class InstanceId {
    private InstanceId() {
    }

    static String resolve(PlatformConfig config) throws IOException {
        if (config.instanceId() != null) return config.instanceId();
        Path file = config.home().resolve("instance-id");
        if (Files.exists(file)) return Files.readString(file).trim();
        String id = UUID.randomUUID().toString();
        Files.createDirectories(config.home());
        Files.writeString(file, id + "\n");
        return id;
    }
}
