package ai.molecule.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One platform jar as an OS process on a fresh temporary MOLECULE_HOME and a free loopback
 * port, in development mode (no auth, no rate limit: a benchmark would hit the 600/min limit),
 * plus the few API calls the benchmarks need. Output goes to {@code <home>/platform.log}.
 */
final class Molecule implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Variables of the caller's environment that would change how the jar boots. */
    private static final List<String> SCRUBBED = List.of("PORT", "BIND_ADDRESS", "DATABASE_URL", "MOLECULE_HOME",
            "ADMIN_TOKEN", "MOLECULE_ENV", "SECRETS_ENCRYPTION_KEY", "RATE_LIMIT", "LIVENESS_TTL_SECONDS",
            "PROVISION_TIMEOUT_SECONDS", "CONFIGS_DIR", "MOLECULE_INSTANCE_ID", "EXTERNAL_PLATFORM_URL",
            "MOLECULE_PROVISIONER", "HEARTBEAT_INTERVAL_SECONDS");

    final String label;
    final Path home;
    final int port;
    final Process process;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Molecule(String label, Path home, int port, Process process) {
        this.label = label;
        this.home = home;
        this.port = port;
        this.process = process;
    }

    static Molecule start(String label, Path jar, List<String> jvmArgs, Map<String, String> env) throws IOException {
        Path home = Files.createTempDirectory("molecule-bench-" + label + "-");
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("platform.log").toFile());
        Map<String, String> e = pb.environment();
        SCRUBBED.forEach(e::remove);
        e.put("MOLECULE_HOME", home.resolve("home").toString());
        e.put("PORT", String.valueOf(port));
        e.put("MOLECULE_ENV", "development");
        e.putAll(env);
        Molecule m = new Molecule(label, home, port, pb.start());
        m.awaitHealthy(Duration.ofMinutes(3));
        return m;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(label + " exited before healthy:\n" + log());
            try {
                if (get("/health").statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        throw new IllegalStateException(label + " not healthy within " + timeout + "\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    HttpResponse<String> send(String method, String path, Object body) throws IOException {
        String json = JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Runtimes read this from their environment, which includes the global secrets: set it before creating. */
    void setHeartbeatInterval(int seconds) throws IOException {
        expect(send("PUT", "/settings/secrets", Map.of("key", "HEARTBEAT_INTERVAL_SECONDS", "value", String.valueOf(seconds))),
                200, 201, 204);
    }

    /** A scripted workspace: with no script its agent answers {@code echo: <text>}. Returns its id. */
    String createEcho(String name, int maxConcurrentTasks, String parentId) throws IOException {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("name", name, "model", "scripted", "max_concurrent_tasks", maxConcurrentTasks));
        if (parentId != null) body.put("parent_id", parentId);
        HttpResponse<String> r = send("POST", "/workspaces", body);
        expect(r, 200, 201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    JsonNode workspace(String id) throws IOException {
        HttpResponse<String> r = get("/workspaces/" + id);
        expect(r, 200);
        return JSON.readTree(r.body());
    }

    /** Polls until the workspace is online (its agent registered); returns it. */
    JsonNode awaitOnline(String id, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode ws = workspace(id);
            String status = ws.path("status").asText();
            if (status.equals("online")) return ws;
            if (status.equals("failed")) throw new IOException("workspace " + id + " failed: " + ws);
            if (System.nanoTime() > deadline) throw new IOException("workspace " + id + " still " + status + " after " + timeout);
            sleep(100);
        }
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} from /metrics. */
    long heapUsed() throws IOException {
        return metric("jvm_memory_used_bytes{area=\"heap\"");
    }

    long liveThreads() throws IOException {
        return metric("jvm_threads_live_threads");
    }

    private long metric(String prefix) throws IOException {
        HttpResponse<String> r = get("/metrics");
        expect(r, 200);
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith(prefix)) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return (long) sum;
    }

    /** A full GC in the platform JVM (jcmd of the benchmark's JDK), so the heap figure is live data. */
    void gc() throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resident set size of the platform process from /proc (0 when unavailable). */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux, or gone
        }
        return 0;
    }

    String log() {
        try {
            String s = Files.readString(home.resolve("platform.log"));
            return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
        } catch (IOException e) {
            return "<no log>";
        }
    }

    static void expect(HttpResponse<String> r, int... ok) throws IOException {
        for (int code : ok) if (r.statusCode() == code) return;
        String body = r.body() == null ? "" : r.body();
        throw new IOException(r.request().method() + " " + r.uri().getPath() + " -> " + r.statusCode() + " "
                + (body.length() > 300 ? body.substring(0, 300) : body));
    }

    /** SIGTERM (PostgreSQL stops cleanly), then the temporary home is deleted. */
    @Override
    public void close() {
        http.close();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (System.getenv("BENCH_KEEP_HOME") != null) {
            System.out.println("kept " + home);
            return;
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }
}
