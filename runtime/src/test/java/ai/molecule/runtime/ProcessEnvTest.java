package ai.molecule.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessEnvTest {
    private static final String ID = "11111111-1111-1111-1111-111111111111";

    @Test
    void readsItsOwnVariablesAndPassesTheRestToTheAgent() throws Exception {
        ProcessEnv e = ProcessEnv.from(Map.of("WORKSPACE_ID", ID, "PLATFORM_URL", "http://127.0.0.1:9090",
                "WORKSPACE_CONFIG_PATH", "/tmp/ws", "PORT", "8123", "OPENAI_API_KEY", "sk-x"));
        assertThat(e).isEqualTo(new ProcessEnv(UUID.fromString(ID), "http://127.0.0.1:9090", Path.of("/tmp/ws"), 8123,
                Map.of("OPENAI_API_KEY", "sk-x")));
    }

    @Test
    void defaults() throws Exception {
        ProcessEnv e = ProcessEnv.from(Map.of("WORKSPACE_ID", ID));
        assertThat(e.platformUrl()).isEqualTo("http://localhost:8080");
        assertThat(e.configDir()).isEqualTo(Path.of("/configs"));
        assertThat(e.port()).isZero();
    }

    @Test
    void badValuesAreOneClearLine() {
        assertThatThrownBy(() -> ProcessEnv.from(Map.of())).hasMessage("WORKSPACE_ID is required");
        assertThatThrownBy(() -> ProcessEnv.from(Map.of("WORKSPACE_ID", "pm"))).hasMessage("WORKSPACE_ID must be a UUID, got 'pm'");
        assertThatThrownBy(() -> ProcessEnv.from(Map.of("WORKSPACE_ID", ID, "PORT", "http")))
                .hasMessage("PORT must be a number from 0 to 65535, got 'http'");
    }
}
