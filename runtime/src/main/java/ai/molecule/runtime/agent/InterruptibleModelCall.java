package ai.molecule.runtime.agent;

import ai.molecule.runtime.model.ModelCandidate;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One call to one model, made on a virtual thread so the caller can walk away from it: provider
 * clients do not reliably honour interrupts, and a cancelled task must not wait for a slow model.
 */
final class InterruptibleModelCall {

    private InterruptibleModelCall() {
    }

    /** Streams text to {@code chunks} when the candidate can stream; blocks until the full response. */
    static ChatResponse call(ModelCandidate candidate, ChatRequest request, Consumer<String> chunks) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicReference<StreamingHandle> stream = new AtomicReference<>();
        Thread worker = Thread.ofVirtual().name("model-call " + candidate.spec()).start(() -> {
            try {
                if (candidate.streaming() != null) {
                    candidate.streaming().chat(request, new Forwarder(done, chunks, abandoned, stream));
                } else {
                    done.complete(candidate.chat().chat(request));
                }
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            abandoned.set(true);
            StreamingHandle handle = stream.get();
            if (handle != null) {
                handle.cancel();
            }
            worker.interrupt();
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Passes partial text on until the call is abandoned, and completes the future either way. */
    private record Forwarder(CompletableFuture<ChatResponse> done, Consumer<String> chunks,
                             AtomicBoolean abandoned, AtomicReference<StreamingHandle> stream)
            implements StreamingChatResponseHandler {

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            StreamingHandle handle = context == null ? null : context.streamingHandle();
            if (handle != null) {
                stream.compareAndSet(null, handle);
                if (abandoned.get()) {
                    handle.cancel();
                }
            }
            onPartialResponse(partial.text());
        }

        @Override
        public void onPartialResponse(String text) {
            if (!abandoned.get() && text != null && !text.isEmpty()) {
                chunks.accept(text);
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }
}
