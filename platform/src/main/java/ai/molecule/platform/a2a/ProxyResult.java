package ai.molecule.platform.a2a;

import java.util.UUID;

/** What the proxy did with a message. */
public sealed interface ProxyResult {
    /** The agent answered; {@code streamed} when its events already went to the caller's sink. */
    record Replied(int status, String body, boolean streamed) implements ProxyResult {
    }

    /** The target was busy: the message waits in the durable queue. */
    record Queued(UUID queueId, int depth) implements ProxyResult {
    }

    /** The target is a poll-mode agent: the message waits in its a2a_receive activity until it polls. */
    record AwaitingPoll(UUID activityId) implements ProxyResult {
    }
}
