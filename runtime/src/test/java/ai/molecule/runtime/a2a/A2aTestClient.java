package ai.molecule.runtime.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends raw JSON-RPC text to an endpoint, as a caller would, and reads the answers. */
final class A2aTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final A2aEndpoint endpoint;
    private int nextId = 1;

    A2aTestClient(A2aEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** A JSON-RPC request with {@code params} given as JSON text. */
    String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    JsonNode call(String method, String params) {
        return raw(request(method, params), Map.of());
    }

    /** Sends {@code body} and expects a JSON answer with HTTP status 200. */
    JsonNode raw(String body, Map<String, String> headers) {
        A2aResponse response = endpoint.handle(body, headers);
        assertThat(response).isInstanceOf(A2aResponse.Json.class);
        var json = (A2aResponse.Json) response;
        assertThat(json.status()).isEqualTo(200);
        try {
            return JSON.readTree(json.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json.body(), e);
        }
    }

    /** Opens a stream; {@link StreamReader#all()} waits for its end. */
    StreamReader stream(String method, String params) {
        A2aResponse response = endpoint.handle(request(method, params), Map.of());
        assertThat(response).as("a stream, not %s", response).isInstanceOf(A2aResponse.Stream.class);
        return new StreamReader(((A2aResponse.Stream) response).events());
    }

    /** A Javalin on a free loopback port with the given A2A mounts (virtual threads, as in production). */
    static io.javalin.Javalin serve(java.util.function.Consumer<io.javalin.config.RoutesConfig> mounts) {
        return io.javalin.Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            mounts.accept(cfg.routes);
        }).start();
    }

    static String message(String partsJson) {
        return "{\"message\":{\"role\":\"user\",\"messageId\":\"m-1\",\"parts\":" + partsJson + "}}";
    }

    static String textMessage(String text) {
        return message("[{\"kind\":\"text\",\"text\":\"" + text + "\"}]");
    }

    static final class StreamReader implements Flow.Subscriber<String> {
        private final List<JsonNode> items = new ArrayList<>();
        private final CompletableFuture<List<JsonNode>> done = new CompletableFuture<>();

        StreamReader(Flow.Publisher<String> events) {
            events.subscribe(this);
        }

        List<JsonNode> all() throws Exception {
            return done.get(10, TimeUnit.SECONDS);
        }

        synchronized List<JsonNode> soFar() {
            return List.copyOf(items);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String item) {
            try {
                JsonNode node = JSON.readTree(item);
                synchronized (this) {
                    items.add(node);
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public synchronized void onComplete() {
            done.complete(List.copyOf(items));
        }
    }
}
