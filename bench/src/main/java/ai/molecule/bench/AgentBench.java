package ai.molecule.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent benchmarks (bench/agents.sh): message round trips, and how many embedded
 * workspaces fit in one heap. Prints figures; it is not a test and CI does not run it.
 *
 * <pre>java -jar molecule-bench.jar --jar cli/target/molecule.jar [latency|capacity|all] [--key value...]</pre>
 */
public final class AgentBench {
    static final class Options {
        Path jar = Path.of("cli/target/molecule.jar");
        String mode = "all";
        int warmup = 200, n = 2000, clients = 4;
        String heap = "2g";
        int heartbeat = 30, team = 10, batch = 100, max = 5000, minutes = 10, registerTimeout = 120;
        double maxP99Ms = 2000;
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                o.mode = a;
                continue;
            }
            String v = args[++i];
            switch (a) {
                case "--jar" -> o.jar = Path.of(v);
                case "--warmup" -> o.warmup = Integer.parseInt(v);
                case "--n" -> o.n = Integer.parseInt(v);
                case "--clients" -> o.clients = Integer.parseInt(v);
                case "--heap" -> o.heap = v;
                case "--heartbeat" -> o.heartbeat = Integer.parseInt(v);
                case "--team" -> o.team = Integer.parseInt(v);
                case "--batch" -> o.batch = Integer.parseInt(v);
                case "--max" -> o.max = Integer.parseInt(v);
                case "--minutes" -> o.minutes = Integer.parseInt(v);
                case "--register-timeout" -> o.registerTimeout = Integer.parseInt(v);
                case "--max-p99-ms" -> o.maxP99Ms = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!Files.isRegularFile(o.jar)) throw new IllegalArgumentException(o.jar + " is missing");
        System.out.println("java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cpus, jar " + o.jar);
        switch (o.mode) {
            case "latency" -> new Latency(o).run(o.jar);
            case "capacity" -> new Capacity(o).run(o.jar);
            case "all" -> {
                new Latency(o).run(o.jar);
                new Capacity(o).run(o.jar);
            }
            default -> throw new IllegalArgumentException("mode must be latency, capacity or all, got " + o.mode);
        }
    }
}
