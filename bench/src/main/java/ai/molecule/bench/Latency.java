package ai.molecule.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Round trip of one {@code message/send} to a scripted echo agent, client to answer, over
 * real HTTP on loopback: through the proxy to an embedded agent, through the proxy to a
 * process agent (a second platform with MOLECULE_PROVISIONER=process: one platform runs one
 * provisioner), the process agent at its own URL, and the embedded agent's /agents/{id}.
 * Sequential calls first (warm-up, then N measured), then C concurrent clients.
 */
final class Latency {
    record Target(String label, URI uri) {
    }

    private final AgentBench.Options o;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Latency(AgentBench.Options o) {
        this.o = o;
    }

    void run(Path jar) throws Exception {
        System.out.printf("%n== Round trip of message/send (scripted echo agent), warm-up %d, n %d, then %d clients x %d ==%n",
                o.warmup, o.n, o.clients, o.n / o.clients);
        int slots = Math.max(o.clients, 1);
        try (Molecule embedded = Molecule.start("embedded", jar, List.of(), Map.of());
             Molecule process = Molecule.start("process", jar, List.of(), Map.of("MOLECULE_PROVISIONER", "process"))) {
            String e = embedded.createEcho("Echo", slots, null);
            String p = process.createEcho("Echo", slots, null);
            embedded.awaitOnline(e, Duration.ofMinutes(2));
            String processUrl = process.awaitOnline(p, Duration.ofMinutes(2)).path("url").asText();
            List<Target> targets = List.of(
                    new Target("proxy -> embedded  POST /workspaces/{id}/a2a", URI.create(embedded.base() + "/workspaces/" + e + "/a2a")),
                    new Target("proxy -> process   POST /workspaces/{id}/a2a", URI.create(process.base() + "/workspaces/" + p + "/a2a")),
                    new Target("process direct     POST " + processUrl, URI.create(processUrl)),
                    new Target("embedded outside   POST /agents/{id}", URI.create(embedded.base() + "/agents/" + e)));
            System.out.println("sequential (one client, one keep-alive connection):");
            for (Target t : targets) {
                for (int i = 0; i < o.warmup; i++) call(t.uri(), "warm " + i);
                Samples s = new Samples();
                for (int i = 0; i < o.n; i++) {
                    long t0 = System.nanoTime();
                    call(t.uri(), "ping " + i);
                    s.add(System.nanoTime() - t0);
                }
                System.out.printf("  %-60s %s%n", t.label(), s.summary());
            }
            if (o.clients > 1) {
                System.out.printf("%d concurrent clients (workspace max_concurrent_tasks %d, nothing queued):%n", o.clients, slots);
                for (Target t : targets) concurrent(t);
            }
        }
    }

    private void concurrent(Target t) throws Exception {
        int perClient = Math.max(1, o.n / o.clients);
        Samples s = new Samples();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicInteger seq = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < o.clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perClient; i++) {
                        long start = System.nanoTime();
                        call(t.uri(), "ping c" + seq.incrementAndGet());
                        s.add(System.nanoTime() - start);
                    }
                } catch (Exception ex) {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        for (Thread th : threads) th.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) throw failure.get();
        System.out.printf("  %-60s %6.0f msg/s  %s%n", t.label(), s.count() / secs, s.summary());
    }

    /** One blocking message/send (A2A 0.3 shape); fails unless the agent echoed our text. */
    private void call(URI uri, String text) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"messageId\":\"" + UUID.randomUUID() + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"" + text + "\"}]}}}";
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("echo: " + text + "\"")) {
            throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
