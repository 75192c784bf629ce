package ai.molecule.platform.events;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Emits events: records the structural ones in {@code structure_events}, delivers every
 * event to this instance's subscribers (WebSocket, SSE) at once, and relays it to the
 * other platform instances on the same database through {@link PgEventRelay}.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final Jdbi jdbi;
    private final CopyOnWriteArrayList<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private volatile PgEventRelay relay;

    public EventBus(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void attachRelay(PgEventRelay relay) {
        this.relay = relay;
    }

    public Event emit(String type, UUID workspaceId, Map<String, ?> payload) {
        JsonNode body = tree(payload);
        Event event = new Event(type, workspaceId, Instant.now().truncatedTo(ChronoUnit.MICROS), body);
        if (EventTypes.recorded(type)) record(event);
        deliverLocally(event);
        PgEventRelay r = relay;
        if (r != null) r.publish(event);
        return event;
    }

    /**
     * The payload as a tree, value by value: what is already a tree (an agent's reply) is taken
     * as it is, not serialised and read back as {@code valueToTree} would.
     */
    private static ObjectNode tree(Map<String, ?> payload) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        payload.forEach((key, value) -> body.set(key, switch (value) {
            case null -> NullNode.instance;
            case JsonNode n -> n;
            case String s -> TextNode.valueOf(s);
            case Boolean b -> BooleanNode.valueOf(b);
            case Integer i -> IntNode.valueOf(i);
            case Long l -> LongNode.valueOf(l);
            default -> Json.MAPPER.valueToTree(value);
        }));
        return body;
    }

    private void record(Event e) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO structure_events (event_type, workspace_id, payload, created_at)
                        VALUES (:type, :ws, CAST(:payload AS jsonb), :at)""")
                .bind("type", e.type())
                .bind("ws", e.workspaceId())
                .bind("payload", Json.write(e.payload()))
                .bind("at", e.timestamp().atOffset(java.time.ZoneOffset.UTC))
                .execute());
    }

    /** Hands the event to every local subscriber; a failing subscriber never stops the others. */
    void deliverLocally(Event e) {
        for (Consumer<Event> s : subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                log.warn("event subscriber failed on {}: {}", e.type(), ex.toString());
            }
        }
    }

    public Runnable subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
