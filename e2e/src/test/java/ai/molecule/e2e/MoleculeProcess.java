package ai.molecule.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code -Dmolecule.jar}) running as its own OS process, started with this
 * JVM's java, on a given MOLECULE_HOME and a free PORT. Its stdout and stderr go to files
 * under {@code e2e/target/e2e-logs/} so a failing test can show (and leave) what the process said.
 */
public final class MoleculeProcess implements AutoCloseable {
    /** Variables of the test's own environment that would change how the jar boots. */
    private static final List<String> SCRUBBED = List.of("PORT", "BIND_ADDRESS", "DATABASE_URL", "MOLECULE_HOME",
            "ADMIN_TOKEN", "MOLECULE_ENV", "MOLECULE_ENABLE_TEST_TOKENS", "SECRETS_ENCRYPTION_KEY", "CORS_ORIGINS",
            "RATE_LIMIT", "LIVENESS_TTL_SECONDS", "REMOTE_LIVENESS_STALE_AFTER", "PROVISION_TIMEOUT_SECONDS",
            "LIVENESS_SWEEP_INTERVAL_MS", "CONFIGS_DIR", "MOLECULE_INSTANCE_ID", "EXTERNAL_PLATFORM_URL",
            "MOLECULE_PROVISIONER", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"); // keys: --demo would use a real provider
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Every jar this JVM started: if the test JVM itself is stopped, they are stopped too (with their Postgres). */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            STARTED.forEach(Process::destroy);
            for (Process p : STARTED) {
                try {
                    p.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "molecule-e2e-cleanup"));
    }

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;

    private MoleculeProcess(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the jar on {@code home} and a free port; {@code env} is name, value, name, value... */
    public static MoleculeProcess start(Path home, String... env) {
        return start(home, freePort(), env);
    }

    public static MoleculeProcess start(Path home, int port, String... env) {
        return start(home, port, List.of(), env);
    }

    /** As {@link #start(Path, String...)}, with command-line {@code args} after the jar (e.g. {@code --demo}). */
    public static MoleculeProcess start(Path home, List<String> args, String... env) {
        return start(home, freePort(), args, env);
    }

    private static MoleculeProcess start(Path home, int port, List<String> args, String... env) {
        try {
            Path logs = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e-logs")), "run-");
            Path out = logs.resolve("stdout.log"), err = logs.resolve("stderr.log");
            List<String> cmd = new ArrayList<>(List.of(javaBinary()));
            // protobuf (inside the A2A SDK) uses sun.misc.Unsafe; Java 23+ warns about it on every start
            if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.addAll(List.of("-jar", jar().toString()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> e = pb.environment();
            SCRUBBED.forEach(e::remove);
            e.put("MOLECULE_HOME", home.toString());
            e.put("PORT", String.valueOf(port));
            for (int i = 0; i < env.length; i += 2) e.put(env[i], env[i + 1]);
            Process p = pb.start();
            STARTED.add(p);
            p.onExit().thenAccept(STARTED::remove);
            return new MoleculeProcess(p, port, out, err);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static Path jar() {
        String p = System.getProperty("molecule.jar");
        if (p == null) throw new IllegalStateException("system property molecule.jar is not set (run through Maven)");
        Path jar = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: package the cli module first");
        return jar;
    }

    /** The java of the JVM running the tests (Temurin 25 under Maven with JAVA_HOME set). */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** Waits until GET /health answers 200; fails early with the process output if it exits. */
    public MoleculeProcess awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + "/health")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("molecule exited with " + process.exitValue() + " before becoming healthy\n" + output());
            }
            try {
                if (PROBE.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return this;
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            pause(50);
        }
        throw new AssertionError("molecule not healthy within " + timeout + "\n" + output());
    }

    /** SIGTERM, then the exit code; fails if the process is still running after {@code timeout}. */
    public int stop(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: the JVM dies without running its shutdown hooks. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(10));
    }

    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("molecule still running after " + timeout + "\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Both streams, for failure messages. */
    public String output() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // polling interval, not an assertion
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Safety net: a test that fails midway still stops its process (SIGTERM first so Postgres stops). */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
