package ai.molecule.runtime.agent;

import ai.molecule.runtime.model.ModelCandidate;
import ai.molecule.runtime.model.ModelChain;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Calls the chain for one turn: a model that throws hands the call to the next one, and the
 * turn's later calls start at the model that last answered instead of retrying a dead primary.
 * Text a failed streaming model already sent stays sent; the fallback's reply follows it.
 */
final class FailoverModelCaller {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverModelCaller.class);

    private final List<ModelCandidate> candidates;
    private int current;

    FailoverModelCaller(ModelChain chain) {
        this.candidates = chain.candidates();
    }

    ChatResponse call(ChatRequest request, Consumer<String> chunks) throws InterruptedException, ModelCallException {
        Exception lastError = null;
        for (int i = current; i < candidates.size(); i++) {
            ModelCandidate candidate = candidates.get(i);
            try {
                ChatResponse response = InterruptibleModelCall.call(candidate, request, chunks);
                current = i;
                return response;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastError = e;
                String next = i + 1 < candidates.size() ? "; trying " + candidates.get(i + 1).spec() : "";
                LOG.warn("model {} failed: {}{}", candidate.spec(), describe(e), next);
            }
        }
        int tried = candidates.size() - current;
        String last = candidates.getLast().spec();
        String message = tried > 1
                ? "all " + tried + " models failed; the last, " + last + ": " + describe(lastError)
                : "model " + last + " failed: " + describe(lastError);
        throw new ModelCallException(message, lastError);
    }

    /** The exception's kind, HTTP status where known, and the provider's own message. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.getClass().getSimpleName());
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                text.append(" (HTTP ").append(http.statusCode()).append(')');
                break;
            }
        }
        if (error.getMessage() != null && !error.getMessage().isBlank()) {
            text.append(": ").append(error.getMessage());
        }
        return text.toString();
    }
}
