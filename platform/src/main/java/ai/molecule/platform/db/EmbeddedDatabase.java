package ai.molecule.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL of the one-command start: real Postgres binaries (zonky) whose
 * data lives under MOLECULE_HOME and survives restarts. Configured for durability, not
 * for tests: zonky's defaults turn fsync off.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    /** How long a clean stop waits for the postmaster to finish its shutdown checkpoint. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path data;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path data) {
        this.postgres = postgres;
        this.data = data;
    }

    public static EmbeddedDatabase start(Path home) throws IOException {
        Path data = home.resolve("pgdata");
        Path bin = home.resolve("pg-bin");
        Files.createDirectories(bin);
        stopOrphan(data, bin);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(bin.toFile())
                .setPort(freePort())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setRegisterShutdownHook(false)
                .start();
        log.info("embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", pg.getPort(), data);
        return new EmbeddedDatabase(pg, data);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        awaitPostmasterExit();
    }

    /**
     * zonky's stop gives pg_ctl only 5 seconds; on a busy machine the shutdown checkpoint
     * (fsync on) takes longer, pg_ctl gives up and this JVM would exit while the postmaster
     * still runs. The postmaster removes its pid file as its very last step: wait for that.
     */
    private void awaitPostmasterExit() {
        Path pidFile = data.resolve("postmaster.pid");
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        boolean logged = false;
        while (Files.exists(pidFile) && System.nanoTime() < deadline) {
            if (!logged) {
                log.info("waiting for PostgreSQL to finish its shutdown");
                logged = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (Files.exists(pidFile)) log.warn("PostgreSQL still running after {}; it will be stopped at next start", STOP_WAIT);
    }

    /**
     * A JVM killed with -9 leaves its postmaster running; zonky would then silently talk to
     * the orphan. Stop it first with pg_ctl (through unshare -U as root, as zonky does).
     */
    private static void stopOrphan(Path data, Path bin) {
        if (!Files.exists(data.resolve("postmaster.pid"))) return;
        Path pgCtl = findPgCtl(bin);
        if (pgCtl == null) return;
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("unshare", "-U"));
        cmd.addAll(List.of(pgCtl.toString(), "-D", data.toString(), "stop", "-m", "fast", "-w"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                log.warn("stopped a PostgreSQL left running by an earlier crash");
            }
        } catch (IOException e) {
            log.warn("could not stop a leftover PostgreSQL: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path findPgCtl(Path bin) {
        try (Stream<Path> s = Files.walk(bin, 4)) {
            return s.filter(p -> p.getFileName().toString().equals("pg_ctl")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
