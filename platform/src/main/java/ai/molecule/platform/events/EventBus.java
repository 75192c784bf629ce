package ai.molecule.platform.events;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode body = Json.MAPPER.valueToTree(payload);
        Event event = new Event(type, workspaceId, Instant.now().truncatedTo(ChronoUnit.MICROS), body);
        if (EventTypes.recorded(type)) record(event);
        deliverLocally(event);
        PgEventRelay r = relay;
        if (r != null) r.publish(event);
        return event;
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
