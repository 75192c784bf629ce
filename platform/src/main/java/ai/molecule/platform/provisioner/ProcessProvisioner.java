package ai.molecule.platform.provisioner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code MOLECULE_PROVISIONER=process}: each workspace's runtime in a child JVM of its own
 * (the same jar, main class {@code ai.molecule.runtime.Main}), on its own loopback port, with
 * the secrets injected as environment variables and stdout/stderr kept in the workspace's
 * console.log. The child registers itself like any agent.
 */
public final class ProcessProvisioner implements Provisioner {
    private static final Logger log = LoggerFactory.getLogger(ProcessProvisioner.class);
    static final String RUNTIME_MAIN = "ai.molecule.runtime.Main";
    private static final int CONSOLE_TAIL_BYTES = 64 * 1024;
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME");

    private final LaunchPlans plans;
    private final String instanceId;
    private final Map<UUID, Child> children = new ConcurrentHashMap<>();

    private record Child(Process process, int port, Path console) {
    }

    public ProcessProvisioner(LaunchPlans plans, String instanceId) {
        this.plans = plans;
        this.instanceId = instanceId;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public synchronized void start(UUID id) {
        if (children.containsKey(id)) return;
        try {
            LaunchPlans.Plan plan = plans.plan(id);
            int port = freePort();
            Path console = plan.configDir().resolve("console.log");
            ProcessBuilder pb = new ProcessBuilder(command());
            Map<String, String> env = pb.environment();
            Map<String, String> parent = Map.copyOf(env);
            env.clear();
            INHERITED.forEach(k -> {
                if (parent.containsKey(k)) env.put(k, parent.get(k));
            });
            env.putAll(plan.env()); // SecretService.values already dropped process-start keys (PATH, LD_*...)
            env.put("PORT", String.valueOf(port));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
            Process p = pb.start();
            children.put(id, new Child(p, port, console));
            plans.claim(id, instanceId);
            p.onExit().thenAccept(exited -> onExit(id, exited));
            log.info("workspace {} runtime started as pid {} on port {}", id, p.pid(), port);
        } catch (IOException | RuntimeException e) {
            plans.failed(id, "could not start the runtime process: " + e.getMessage());
        }
    }

    private void onExit(UUID id, Process exited) {
        Child c = children.get(id);
        if (c == null || c.process() != exited) return; // stopped on purpose
        children.remove(id);
        plans.failed(id, "runtime process exited with code " + exited.exitValue() + "\n" + tail(c.console()));
    }

    @Override
    public void stop(UUID id) {
        Child c = children.remove(id);
        if (c == null) return;
        c.process().destroy();
        try {
            if (!c.process().waitFor(15, TimeUnit.SECONDS)) c.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.process().destroyForcibly();
        }
    }

    @Override
    public boolean ownsUrl(UUID id, String url) {
        Child c = children.get(id);
        return c != null && url != null && url.replaceAll("/+$", "").equals("http://127.0.0.1:" + c.port());
    }

    /** The last 64 KiB of the runtime's stdout/stderr. */
    public Optional<String> console(UUID id) {
        Child c = children.get(id);
        return c == null ? Optional.empty() : Optional.of(tail(c.console()));
    }

    public void stopAll() {
        List.copyOf(children.keySet()).forEach(this::stop);
    }

    private static List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow"); // protobuf, quietly
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RUNTIME_MAIN));
        return cmd;
    }

    private static String tail(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - CONSOLE_TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
