package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data under MOLECULE_HOME outlives the process: a clean SIGTERM stops the embedded
 * Postgres too, and after a kill -9 the next start stops the orphaned postmaster and serves
 * the same data. No provisioner: the test is about the data (and an embedded runtime's token,
 * minted at create, would close AdminAuth's fail-open for the second create).
 */
class RestartPersistenceTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(75);

    @TempDir
    Path home;
    MoleculeProcess molecule;

    @AfterEach
    void stopLeftover() {
        if (molecule != null) molecule.close();
        assertThat(postgresProcessesOf(home)).as("postgres processes left running").isEmpty();
    }

    @Test
    void workspacesSurviveCleanStopAndKill9() throws IOException {
        molecule = MoleculeProcess.start(home, "MOLECULE_PROVISIONER", "none").awaitHealthy(BOOT);
        Http http = new Http(molecule.base());
        String parent = create(http, "{\"name\":\"team-lead\",\"role\":\"lead\"}");
        String child = create(http, "{\"name\":\"worker\",\"parent_id\":\"" + parent + "\"}");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(parent, null);
        expected.put(child, parent);
        assertThat(parentLinks(http)).isEqualTo(expected);

        // SIGTERM: the shutdown hook closes the platform and stops Postgres cleanly
        assertThat(molecule.stop(STOP)).as(molecule.output()).isIn(0, 143);
        assertThat(home.resolve("pgdata/postmaster.pid")).as("postgres stopped cleanly").doesNotExist();
        assertThat(postgresProcessesOf(home)).isEmpty();

        molecule = MoleculeProcess.start(home, "MOLECULE_PROVISIONER", "none").awaitHealthy(BOOT);
        assertThat(parentLinks(new Http(molecule.base()))).isEqualTo(expected);
        assertThat(new Http(molecule.base()).get("/workspaces/" + child).json().path("name").asText()).isEqualTo("worker");

        // kill -9: no shutdown hook runs, so the postmaster is orphaned and keeps its pid file
        molecule.kill();
        Path pidFile = home.resolve("pgdata/postmaster.pid");
        assertThat(pidFile).exists();
        long orphan = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("orphaned postmaster").contains(true);

        molecule = MoleculeProcess.start(home, "MOLECULE_PROVISIONER", "none").awaitHealthy(BOOT);
        assertThat(exited(orphan)).as("the orphan was stopped before a fresh postmaster started").isTrue();
        assertThat(molecule.output()).contains("stopped a PostgreSQL left running by an earlier crash");
        assertThat(parentLinks(new Http(molecule.base()))).isEqualTo(expected);

        assertThat(molecule.stop(STOP)).as(molecule.output()).isIn(0, 143);
        assertThat(pidFile).doesNotExist();
    }

    private static String create(Http http, String body) {
        Http.Response r = http.post("/workspaces", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    /** id → parent_id (null for a root) of every listed workspace, in list order. */
    private static Map<String, String> parentLinks(Http http) {
        Http.Response r = http.get("/workspaces");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, String> links = new LinkedHashMap<>();
        for (JsonNode w : r.json()) {
            links.put(w.path("id").asText(), w.path("parent_id").isNull() ? null : w.path("parent_id").asText());
        }
        return links;
    }

    /**
     * The process is gone, or is a zombie: it exited and only waits to be reaped. An orphan's new
     * parent is the machine's init (or a subreaper), and where that does not reap, a stopped
     * postmaster lingers as a zombie for which {@link ProcessHandle#isAlive()} stays true.
     */
    static boolean exited(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return true;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException | RuntimeException e) {
            return true; // gone meanwhile
        }
    }

    /** Running postgres processes (zombies excluded) whose command line names this home (its -D data directory). */
    static List<String> postgresProcessesOf(Path home) {
        return ProcessHandle.allProcesses()
                .filter(p -> !exited(p.pid()))
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("postgres") && c.contains(home.toString()))
                .toList();
    }
}
