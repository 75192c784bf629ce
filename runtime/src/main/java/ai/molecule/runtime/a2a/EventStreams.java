package ai.molecule.runtime.a2a;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/** Reading an {@link A2aResponse.Stream} to its end, the one way every consumer does it. */
public final class EventStreams {
    private EventStreams() {
    }

    /**
     * Hands every event to {@code each} as it arrives and returns, when the stream ends, the
     * last event (null if none). If {@code each} throws (e.g. the HTTP client went away) the
     * stream is cancelled and the method returns.
     *
     * @throws java.util.concurrent.CompletionException when the stream itself fails
     */
    public static String drain(Flow.Publisher<String> events, Consumer<String> each) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String[] last = new String[1];
        events.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String item) {
                last[0] = item;
                try {
                    each.accept(item);
                } catch (RuntimeException e) {
                    subscription.cancel();
                    done.complete(null);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        return last[0];
    }
}
