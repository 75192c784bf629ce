package ai.molecule.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mistakes a user can fix end the process with exit code 1 and one {@code molecule: ...}
 * line on stderr, never a stack trace. None of these boot Postgres.
 */
class StartupErrorsTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void portAlreadyTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            MoleculeProcess m = MoleculeProcess.start(tmp.resolve("home"), port);
            assertFailsWith(m, "molecule: port " + port + " on 127.0.0.1 is already in use");
            assertThat(lines(m, "molecule: ").getFirst()).isEqualTo("molecule: port " + port
                    + " on 127.0.0.1 is already in use (set PORT to choose another)");
        }
    }

    static Stream<Arguments> badEnvironments() {
        return Stream.of(
                Arguments.of("data directory under a regular file", "home-is-under-a-file", List.of(),
                        "molecule: data directory %s is not writable (set MOLECULE_HOME to a writable directory)"),
                Arguments.of("network bind without ADMIN_TOKEN", "home", List.of("BIND_ADDRESS", "0.0.0.0"),
                        "molecule: refusing to listen on 0.0.0.0 without ADMIN_TOKEN: set ADMIN_TOKEN "
                                + "(or MOLECULE_ENV=development) to serve beyond this machine"),
                Arguments.of("PORT not a number", "home", List.of("PORT", "eighty"),
                        "molecule: PORT must be an integer, got 'eighty'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEnvironments")
    void refusesToStart(String caseName, String homeKind, List<String> env, String expectedLine) throws IOException {
        Path home = tmp.resolve("home");
        if (homeKind.equals("home-is-under-a-file")) {
            Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
            home = file.resolve("molecule-home"); // mkdir fails even for root
        }
        MoleculeProcess m = MoleculeProcess.start(home, env.toArray(String[]::new));
        String expected = expectedLine.formatted(home);
        assertFailsWith(m, expected);
        assertThat(lines(m, "molecule: ")).containsExactly(expected);
        if (homeKind.equals("home")) assertThat(home.resolve("pgdata")).as("no database was created").doesNotExist();
    }

    /** Exit code 1, exactly one stderr line starting with {@code prefix}, and no stack trace anywhere. */
    private static void assertFailsWith(MoleculeProcess m, String prefix) {
        int code = m.awaitExit(EXIT);
        String all = m.output();
        assertThat(code).as(all).isEqualTo(1);
        assertThat(m.stderr().lines().filter(l -> l.startsWith(prefix)).count()).as(all).isEqualTo(1);
        assertThat(lines(m, "molecule: ")).as("one molecule: line in\n" + all).hasSize(1);
        assertThat(all.lines().filter(l -> l.matches("\\s+at .*") || l.contains("Exception"))).as(all).isEmpty();
    }

    private static List<String> lines(MoleculeProcess m, String prefix) {
        return m.stderr().lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
