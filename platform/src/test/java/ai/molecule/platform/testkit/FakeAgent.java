package ai.molecule.platform.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote A2A agent on loopback (a real HTTP server): records every message id it receives,
 * counts how many requests it handles at once, and answers only while its gate is open.
 */
public final class FakeAgent implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final List<String> messageIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);

    public FakeAgent() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                JsonNode rpc = MAPPER.readTree(exchange.getRequestBody());
                messageIds.add(rpc.path("params").path("message").path("messageId").asText());
                gate.acquireUninterruptibly();
                gate.release();
                byte[] reply = ("{\"jsonrpc\":\"2.0\",\"id\":" + rpc.path("id") + ",\"result\":{\"kind\":\"message\","
                        + "\"role\":\"agent\",\"messageId\":\"r\",\"parts\":[{\"kind\":\"text\",\"text\":\"done\"}]}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, reply.length);
                exchange.getResponseBody().write(reply);
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests wait until {@link #open()}. */
    public void hold() {
        gate.acquireUninterruptibly(Integer.MAX_VALUE);
    }

    public void open() {
        gate.release(Integer.MAX_VALUE - gate.availablePermits());
    }

    public List<String> messageIds() {
        return List.copyOf(messageIds);
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        open();
        server.stop(0);
    }
}
