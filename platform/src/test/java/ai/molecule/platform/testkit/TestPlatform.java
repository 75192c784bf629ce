package ai.molecule.platform.testkit;

import ai.molecule.platform.Platform;
import ai.molecule.platform.PlatformConfig;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real platform in this JVM: real HTTP on a free port, a fresh database in the shared
 * embedded Postgres. Environment overrides mirror what an operator would set.
 */
public final class TestPlatform implements AutoCloseable {
    private final Platform platform;
    private final Http http;
    private final String databaseUrl;
    private final Path home;

    private TestPlatform(Map<String, String> env, String databaseUrl) {
        this(env, databaseUrl, newHome());
    }

    private TestPlatform(Map<String, String> env, String databaseUrl, Path home) {
        this.databaseUrl = databaseUrl;
        this.home = home;
        Map<String, String> full = new HashMap<>();
        full.put("PORT", "0");
        full.put("DATABASE_URL", databaseUrl);
        full.put("MOLECULE_HOME", home.toString());
        full.put("RATE_LIMIT", "100000");
        // Platform API tests register their agents by hand; tests of runtimes ask for "embedded" or "process".
        full.put("MOLECULE_PROVISIONER", "none");
        full.putAll(env);
        this.platform = Platform.start(PlatformConfig.fromEnv(full));
        this.http = new Http("http://127.0.0.1:" + platform.port());
    }

    /** A platform on a fresh database with the given environment (name, value pairs). */
    public static TestPlatform start(String... env) {
        return new TestPlatform(pairs(env), TestDatabase.freshDatabaseUrl());
    }

    /** A second platform instance on the same database as {@code other}. */
    public static TestPlatform sharing(TestPlatform other, String... env) {
        return new TestPlatform(pairs(env), other.databaseUrl);
    }

    /**
     * The same instance started again after {@code previous} was closed: same database, same
     * MOLECULE_HOME (so the same instance id, config dirs and runtime tokens).
     */
    public static TestPlatform restarted(TestPlatform previous, String... env) {
        return new TestPlatform(pairs(env), previous.databaseUrl, previous.home);
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("molecule-test-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> pairs(String... env) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) m.put(env[i], env[i + 1]);
        return m;
    }

    public Http http() {
        return http;
    }

    public int port() {
        return platform.port();
    }

    public Platform platform() {
        return platform;
    }

    public Path home() {
        return home;
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    /** Creates a workspace through the API (fail-open or dev mode must allow it) and returns its id. */
    public String createWorkspace(String json, String... headers) {
        Http.Response r = http.post("/workspaces", json, headers);
        if (r.status() != 201) throw new AssertionError("create failed: " + r);
        return r.json().get("id").asText();
    }

    /** Registers a workspace with a public-looking URL and returns the minted token. */
    public String register(String id, String... headers) {
        Http.Response r = http.post("/registry/register",
                "{\"id\":\"" + id + "\",\"url\":\"http://93.184.216.34:8000\",\"agent_card\":{\"name\":\"agent\"}}", headers);
        if (r.status() != 200) throw new AssertionError("register failed: " + r);
        JsonNode t = r.json().get("auth_token");
        return t == null ? null : t.asText();
    }

    @Override
    public void close() {
        platform.close();
    }
}
