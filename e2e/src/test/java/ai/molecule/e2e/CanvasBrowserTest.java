package ai.molecule.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The canvas in a real browser: {@code canvas/e2e/canvas.test.mjs} (playwright-core driving Debian's
 * headless Chromium) against the packaged jar on its embedded defaults, in development mode on a
 * fresh MOLECULE_HOME and a free port
 * ({@code canvas/e2e/auth.test.mjs}: a production jar with an ADMIN_TOKEN). Screenshots go to {@code -Dcanvas.screenshots}
 * (default {@code e2e/target/canvas-screenshots}; {@code ../docs/screenshots} refreshes the README's).
 */
class CanvasBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CANVAS = Path.of("..", "canvas").toAbsolutePath().normalize();
    private static final Duration SUITE_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path home;
    MoleculeProcess molecule;

    @AfterEach
    void stop() {
        if (molecule != null) molecule.close();
    }

    @Test
    void canvasWorksInTheBrowser() throws IOException, InterruptedException {
        requireBrowser();
        molecule = MoleculeProcess.start(home, "MOLECULE_ENV", "development").awaitHealthy(Duration.ofSeconds(90));
        runSuite("e2e/canvas.test.mjs", "canvas-browser.log", Map.of());
    }

    /** Outside development mode the canvas asks for ADMIN_TOKEN (production also needs the secrets key). */
    @Test
    void canvasSignsInWithTheAdminToken() throws IOException, InterruptedException {
        requireBrowser();
        String token = "canvas-e2e-" + UUID.randomUUID();
        String key = Base64.getEncoder().encodeToString(randomKey());
        molecule = MoleculeProcess.start(home, "MOLECULE_ENV", "production", "ADMIN_TOKEN", token,
                "SECRETS_ENCRYPTION_KEY", key).awaitHealthy(Duration.ofSeconds(90));
        runSuite("e2e/auth.test.mjs", "canvas-auth.log", Map.of("ADMIN_TOKEN", token));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the canvas browser tests need Debian's Chromium "
                    + "(DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)");
        }
        if (!Files.isDirectory(CANVAS.resolve("node_modules/playwright-core"))) {
            fail("canvas/node_modules is missing: build the canvas module first (mvn verify builds it)");
        }
    }

    /** Runs one node:test script of canvas/e2e against the started jar; it must pass every test. */
    private void runSuite(String script, String logName, Map<String, String> env) throws IOException, InterruptedException {
        Path shots = Path.of(System.getProperty("canvas.screenshots", "target/canvas-screenshots")).toAbsolutePath().normalize();
        Path log = Files.createDirectories(Path.of("target", "e2e-logs")).resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(List.of("node", "--test", "--test-concurrency=1", script))
                .directory(CANVAS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MOLECULE_URL", molecule.base());
        pb.environment().put("SCREENSHOTS_DIR", shots.toString());
        pb.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        pb.environment().putAll(env);
        Process node = pb.start();
        if (!node.waitFor(SUITE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("browser suite still running after " + SUITE_LIMIT + ":\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertThat(node.exitValue()).as("browser suite failed:\n%s\nplatform:\n%s", out, molecule.output()).isZero();
        assertThat(out).contains("# fail 0").doesNotContain("# pass 0");
    }
}
