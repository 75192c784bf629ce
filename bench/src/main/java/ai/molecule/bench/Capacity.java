package ai.molecule.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many embedded echo workspaces one platform JVM with a fixed heap holds: batches of
 * workspaces are created, awaited online, each sent one message (the echo is checked), a
 * sample of older ones messaged again, and every workspace checked online and heartbeating
 * (its reported uptime keeps up with its age). The run stops at the first failure, when
 * latency explodes, when the JVM dies, at the time cap or at the maximum count.
 */
final class Capacity {
    private record Ws(String id, long onlineAt) {
    }

    private record Snapshot(int count, long heap, long threads, long rss) {
    }

    private final AgentBench.Options o;
    private final Random random = new Random(42);
    private final long started = System.nanoTime();

    Capacity(AgentBench.Options o) {
        this.o = o;
    }

    void run(Path jar) throws Exception {
        System.out.printf("%n== Embedded workspaces in one platform: -Xmx%s, heartbeat every %d s, %s, batches of %d, max %d, cap %d min, %d cpus ==%n",
                o.heap, o.heartbeat, o.team <= 1 ? "all root workspaces (flat org)" : "teams of " + o.team + " (a root lead + members)",
                o.batch, o.max, o.minutes, Runtime.getRuntime().availableProcessors());
        try (Molecule m = Molecule.start("capacity", jar, List.of("-Xmx" + o.heap, "-XX:+ExitOnOutOfMemoryError"), Map.of())) {
            m.setHeartbeatInterval(o.heartbeat);
            m.gc();
            long baseHeap = m.heapUsed();
            System.out.printf("empty platform: heap after GC %s, %d live platform threads, RSS %s%n",
                    mb(baseHeap), m.liveThreads(), mb(m.rssBytes()));
            System.out.println("  elapsed    count  create/ws  register  msg p50   msg p99   old p99  list   max lag  heap(GC)  threads  RSS");
            List<Ws> all = new ArrayList<>();
            Snapshot best = null;
            String stop = "reached the maximum of " + o.max;
            long deadline = System.nanoTime() + Duration.ofMinutes(o.minutes).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(o.clients);
            try {
                while (all.size() < o.max) {
                    if (System.nanoTime() > deadline) {
                        stop = "time cap of " + o.minutes + " min";
                        break;
                    }
                    try {
                        best = batch(m, pool, all, baseHeap, best);
                    } catch (Exception | Error e) {
                        stop = describe(m, e);
                        break;
                    }
                    if (best == null || best.count() != all.size()) {
                        stop = "latency exploded (see the last line)";
                        break;
                    }
                }
                if (best != null && m.process.isAlive()) stop += settle(m, all);
            } finally {
                pool.shutdownNow();
            }
            System.out.println("stopped: " + stop);
            if (best == null) {
                System.out.println("no batch completed");
                return;
            }
            System.out.printf("largest count fully registered, heartbeating and answering: %d workspaces%n", best.count());
            System.out.printf("heap used after GC: %s (empty platform %s) -> %.1f KiB per workspace; %d platform threads; RSS %s%n",
                    mb(best.heap()), mb(baseHeap), (best.heap() - baseHeap) / 1024.0 / best.count(), best.threads(), mb(best.rss()));
        }
    }

    /** One batch; returns the new snapshot, or the previous one if this batch was too slow to count. */
    private Snapshot batch(Molecule m, ExecutorService pool, List<Ws> all, long baseHeap, Snapshot best) throws Exception {
        int size = Math.min(o.batch, o.max - all.size());
        int first = all.size();
        Samples create = new Samples();
        // Team leads first (roots), then their members in parallel: a member needs its parent.
        List<Integer> leads = new ArrayList<>(), members = new ArrayList<>();
        for (int i = first; i < first + size; i++) (o.team <= 1 || i % o.team == 0 ? leads : members).add(i);
        Map<Integer, String> ids = new HashMap<>();
        for (List<Integer> wave : List.of(leads, members)) {
            List<String> made = parallel(pool, wave.size(), k -> {
                int i = wave.get(k);
                String parent = o.team <= 1 || i % o.team == 0 ? null : leadOf(i, all, ids);
                long t0 = System.nanoTime();
                String id = m.createEcho("ws-" + i, 1, parent);
                create.add(System.nanoTime() - t0);
                return id;
            });
            for (int k = 0; k < wave.size(); k++) ids.put(wave.get(k), made.get(k));
        }
        long t0 = System.nanoTime();
        List<Ws> fresh = new ArrayList<>();
        for (int i = first; i < first + size; i++) {
            String id = ids.get(i);
            m.awaitOnline(id, Duration.ofSeconds(o.registerTimeout));
            fresh.add(new Ws(id, System.nanoTime()));
        }
        double register = (System.nanoTime() - t0) / 1e9;
        all.addAll(fresh);
        Samples msg = new Samples();
        parallel(pool, fresh.size(), i -> {
            message(m, fresh.get(i).id(), msg);
            return null;
        });
        Samples old = new Samples();
        if (first > 0) {
            // Distinct workspaces: two messages at once to one of them would be queued (max_concurrent_tasks 1).
            List<Ws> sample = new ArrayList<>(all.subList(0, first));
            java.util.Collections.shuffle(sample, random);
            sample = List.copyOf(sample.subList(0, Math.min(20, first)));
            List<Ws> picked = sample;
            parallel(pool, picked.size(), i -> {
                message(m, picked.get(i).id(), old);
                return null;
            });
        }
        long l0 = System.nanoTime();
        double lag = check(m, all);
        double listMs = (System.nanoTime() - l0) / 1e6;
        m.gc();
        Snapshot now = new Snapshot(all.size(), m.heapUsed(), m.liveThreads(), m.rssBytes());
        System.out.printf("  %5.0f s  %7d  %6.1f ms  %6.1f s  %6.1f ms  %6.1f ms  %6.1f ms  %5.0f ms  %5.1f s  %8s  %7d  %s%n",
                (System.nanoTime() - started) / 1e9, all.size(), create.meanMs(), register, msg.percentileMs(50), msg.percentileMs(99),
                old.count() == 0 ? 0.0 : old.percentileMs(99), listMs, lag, mb(now.heap()), now.threads(), mb(now.rss()));
        boolean slow = msg.percentileMs(99) > o.maxP99Ms || register > o.registerTimeout / 2.0;
        return slow ? best : now;
    }

    private String leadOf(int i, List<Ws> all, Map<Integer, String> fresh) {
        int lead = i / o.team * o.team;
        return lead < all.size() ? all.get(lead).id() : fresh.get(lead);
    }

    /**
     * Every workspace online and heartbeating: age minus the uptime its last beat reported
     * stays under one interval plus slack. Returns the worst such lag in seconds.
     */
    private double check(Molecule m, List<Ws> all) throws IOException {
        HttpResponse<String> r = m.get("/workspaces");
        Molecule.expect(r, 200);
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode ws : Molecule.JSON.readTree(r.body())) byId.put(ws.path("id").asText(), ws);
        long now = System.nanoTime();
        double worst = 0;
        for (Ws w : all) {
            JsonNode ws = byId.get(w.id());
            if (ws == null) throw new IOException("workspace " + w.id() + " missing from GET /workspaces");
            if (!ws.path("status").asText().equals("online")) {
                throw new IOException("workspace " + w.id() + " is " + ws.path("status").asText() + ": "
                        + ws.path("last_sample_error").asText());
            }
            double lag = (now - w.onlineAt()) / 1e9 - ws.path("uptime_seconds").asDouble();
            worst = Math.max(worst, lag);
        }
        if (worst > o.heartbeat + 20) throw new IOException(String.format("heartbeats lag: %.1f s behind (interval %d s)", worst, o.heartbeat));
        return worst;
    }

    /** After the last batch: one more heartbeat interval, then every workspace checked again. */
    private String settle(Molecule m, List<Ws> all) {
        Molecule.sleep((o.heartbeat + 10) * 1000L);
        try {
            double lag = check(m, all);
            return String.format("; %d s later all %d still online, heartbeat lag at most %.1f s", o.heartbeat + 10, all.size(), lag);
        } catch (IOException e) {
            return "; " + (o.heartbeat + 10) + " s later the check failed: " + e.getMessage();
        }
    }

    private static void message(Molecule m, String id, Samples into) throws IOException {
        String text = "hello " + id;
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"messageId\":\"" + UUID.randomUUID() + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"" + text + "\"}]}}}";
        long t0 = System.nanoTime();
        HttpResponse<String> r = m.send(HttpRequest.newBuilder(URI.create(m.base() + "/workspaces/" + id + "/a2a"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        into.add(System.nanoTime() - t0);
        if (r.statusCode() != 200 || !r.body().contains("echo: " + text + "\"")) {
            throw new IOException("workspace " + id + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String describe(Molecule m, Throwable e) {
        if (!m.process.isAlive()) {
            String log = m.log();
            return "the platform JVM exited with " + m.process.exitValue()
                    + (log.contains("OutOfMemoryError") ? " (OutOfMemoryError)" : "") + "; log tail:\n" + tail(log, 1500);
        }
        return e.toString();
    }

    private static String tail(String s, int n) {
        return s.length() > n ? s.substring(s.length() - n) : s;
    }

    interface Job<T> {
        T run(int i) throws Exception;
    }

    private static <T> List<T> parallel(ExecutorService pool, int n, Job<T> job) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> job.run(k)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        return out;
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1024.0 / 1024.0);
    }
}
