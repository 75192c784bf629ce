package ai.molecule.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the platform reads from its environment (spec §7), parsed once at boot.
 * Built from a plain map so tests can start a platform with any environment.
 */
public record PlatformConfig(
        String host,
        int port,
        Path home,
        String databaseUrl,
        String adminToken,
        String moleculeEnv,
        boolean testTokensForced,
        String secretsEncryptionKey,
        List<String> corsOrigins,
        boolean corsOriginsExplicit,
        int rateLimitPerMinute,
        Duration livenessTtl,
        Duration remoteLivenessStaleAfter,
        Duration provisionTimeout,
        Duration sweepInterval,
        String configsDir,
        String instanceId,
        String provisioner,
        java.time.Duration a2aIdleTimeout,
        Duration a2aLease,
        Duration schedulerInterval,
        Duration schedulerBusyWait,
        long pluginMaxDirBytes) {

    public static final List<String> DEFAULT_CORS = List.of("http://localhost:3000", "http://localhost:3001");

    public static PlatformConfig fromEnv(Map<String, String> env) {
        String home = env.getOrDefault("MOLECULE_HOME", System.getProperty("user.home") + "/.molecule");
        return new PlatformConfig(
                blankToDefault(env.get("BIND_ADDRESS"), "127.0.0.1"),
                intOf(env, "PORT", 8080),
                Path.of(home).toAbsolutePath(),
                blankToNull(env.get("DATABASE_URL")),
                blankToNull(env.get("ADMIN_TOKEN")),
                blankToDefault(env.get("MOLECULE_ENV"), "").trim(),
                "1".equals(blankToDefault(env.get("MOLECULE_ENABLE_TEST_TOKENS"), "").trim()),
                blankToNull(env.get("SECRETS_ENCRYPTION_KEY")),
                corsOf(env.get("CORS_ORIGINS")),
                env.get("CORS_ORIGINS") != null && !env.get("CORS_ORIGINS").isBlank(),
                intOf(env, "RATE_LIMIT", 600),
                Duration.ofSeconds(intOf(env, "LIVENESS_TTL_SECONDS", 180)),
                Duration.ofSeconds(intOf(env, "REMOTE_LIVENESS_STALE_AFTER", 90)),
                Duration.ofSeconds(intOf(env, "PROVISION_TIMEOUT_SECONDS", 600)),
                Duration.ofMillis(intOf(env, "LIVENESS_SWEEP_INTERVAL_MS", 15_000)),
                blankToNull(env.get("CONFIGS_DIR")),
                blankToNull(env.get("MOLECULE_INSTANCE_ID")),
                blankToDefault(env.get("MOLECULE_PROVISIONER"), "embedded").trim().toLowerCase(Locale.ROOT),
                Duration.ofSeconds(intOf(env, "A2A_IDLE_TIMEOUT_SECONDS", 300)),
                Duration.ofSeconds(Math.max(3, intOf(env, "A2A_LEASE_SECONDS", 60))),
                Duration.ofMillis(Math.max(100, intOf(env, "SCHEDULER_INTERVAL_MS", 30_000))),
                Duration.ofSeconds(Math.max(0, intOf(env, "SCHEDULER_BUSY_WAIT_SECONDS", 120))),
                Math.max(1, intOf(env, "PLUGIN_INSTALL_MAX_DIR_BYTES", 100 * 1024 * 1024)));
    }

    /** Dev fail-open (spec §2.3 step 3): only when no ADMIN_TOKEN is set. */
    public boolean devMode() {
        return adminToken == null && devEnvironment();
    }

    /** MOLECULE_ENV=dev/development regardless of ADMIN_TOKEN: loosens URL safety. */
    public boolean devEnvironment() {
        return envIs("development", "dev");
    }

    public boolean production() {
        return envIs("production", "prod");
    }

    /** MOLECULE_ENV is one of these (trimmed, case-insensitive). */
    private boolean envIs(String... names) {
        String e = moleculeEnv.toLowerCase(Locale.ROOT);
        return java.util.Arrays.asList(names).contains(e);
    }

    /** The test-token route (spec §1.12) is on only in development or with MOLECULE_ENABLE_TEST_TOKENS=1. */
    public boolean testTokensEnabled() {
        return testTokensForced || devEnvironment();
    }

    private static List<String> corsOf(String raw) {
        if (raw == null || raw.isBlank()) return DEFAULT_CORS;
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int intOf(Map<String, String> env, String key, int def) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static String blankToDefault(String v, String def) {
        return v == null || v.isBlank() ? def : v;
    }
}
