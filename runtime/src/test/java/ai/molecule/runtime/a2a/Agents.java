package ai.molecule.runtime.a2a;

import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentReply;
import ai.molecule.runtime.agent.AgentTurn;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Tiny agents for the server tests. */
final class Agents {
    private Agents() {
    }

    /** Echoes the text back and remembers the last turn. */
    static final class Echo implements Agent {
        final AtomicReference<AgentTurn> lastTurn = new AtomicReference<>();

        @Override
        public AgentReply respond(AgentTurn turn, java.util.function.Consumer<String> chunks) {
            lastTurn.set(turn);
            return new AgentReply("echo: " + turn.text(), List.of(), null);
        }
    }

    /** Streams "Hel", "lo", then answers "Hello" with a tool trace and token usage. */
    static Agent streaming() {
        return (turn, chunks) -> {
            chunks.accept("Hel");
            chunks.accept("lo");
            return new AgentReply("Hello", List.of(new AgentReply.ToolCall("search", "{\"q\":1}", "found")),
                    new AgentReply.Usage(12, 3));
        };
    }

    /** Blocks until interrupted and records that it saw the interrupt. */
    static final class Sleeper implements Agent {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();

        @Override
        public AgentReply respond(AgentTurn turn, java.util.function.Consumer<String> chunks) throws InterruptedException {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        }
    }

    static Agent failing(String message) {
        return (turn, chunks) -> {
            throw new IllegalStateException(message);
        };
    }
}
