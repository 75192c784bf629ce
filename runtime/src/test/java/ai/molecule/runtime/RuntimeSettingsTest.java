package ai.molecule.runtime;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeSettingsTest {
    private static RuntimeSettings withEnv(Map<String, String> env) {
        return new RuntimeSettings(UUID.randomUUID(), "http://127.0.0.1:1", Path.of("/configs"), env, "http://self",
                HttpClient.newHttpClient());
    }

    @Test
    void theWorkspaceDirIsWhatThePlatformHandedOverElseWorkspaceItself() {
        assertThat(withEnv(Map.of(RuntimeSettings.WORKSPACE_DIR, " /srv/ws/abc ")).workspaceDir()).isEqualTo(Path.of("/srv/ws/abc"));
        assertThat(withEnv(Map.of()).workspaceDir()).isEqualTo(Path.of("/workspace"));
        assertThat(withEnv(Map.of(RuntimeSettings.WORKSPACE_DIR, "")).workspaceDir()).isEqualTo(Path.of("/workspace"));
    }
}
