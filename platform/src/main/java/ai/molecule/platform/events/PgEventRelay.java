package ai.molecule.platform.events;

import ai.molecule.platform.db.PgListener;
import ai.molecule.platform.db.WriteBehind;
import ai.molecule.platform.http.Json;
import org.jdbi.v3.core.Handle;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Fans events out between platform instances sharing one database with LISTEN/NOTIFY, so a
 * canvas connected to any instance sees every event. Postgres caps a notification at 8000
 * bytes; a larger event travels through the {@code event_relay} table and the
 * notification carries only its row id.
 * <p>
 * Alone on its database (the one-command start) an instance relays nothing: a notification
 * nobody else reads costs PostgreSQL and the writer as much as one that is read. Each
 * instance says {@code hello} once it listens; the others answer {@code welcome}; from then
 * on both relay. An instance that hears one of its peers' events, hellos or welcomes
 * relays too, so a missed hello (a reconnect) heals with the next event.
 */
public final class PgEventRelay {
    static final String CHANNEL = "molecule_events";
    private static final int MAX_INLINE = 7000;

    private final Jdbi jdbi;
    private final EventBus bus;
    private final String instanceId;
    private final WriteBehind.Lane<String> outbox;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    /** Another instance shares the database: set by its first hello, welcome or event, never cleared. */
    private volatile boolean peers;

    public PgEventRelay(PgListener listener, Jdbi jdbi, EventBus bus, String instanceId, WriteBehind writeBehind) {
        this.outbox = writeBehind.lane("notify", this::sendBatch);
        listener.on(CHANNEL, this::receive);
        listener.onListening(() -> announce("hello"));
        this.jdbi = jdbi;
        this.bus = bus;
        this.instanceId = instanceId;
        bus.attachRelay(this);
    }

    /** Serialises the event now; it goes out with the next write-behind batch. */
    void publish(Event e) {
        if (!peers) return;
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("origin", instanceId);
        msg.put("seq", sequence.incrementAndGet()); // PostgreSQL folds identical notifications of one transaction
        msg.put("type", e.type());
        msg.put("workspace_id", e.workspaceId());
        msg.put("timestamp", e.timestamp().toString());
        msg.put("payload", e.payload());
        outbox.add(Json.write(msg));
    }

    /** Tells the other instances this one is here ({@code hello}) or was already ({@code welcome}). */
    private void announce(String presence) {
        String note = Json.write(Map.of("origin", instanceId, "presence", presence));
        jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:c, :n)").bind("c", CHANNEL).bind("n", note)
                .mapTo(String.class).one());
    }

    /** Whether another instance was heard on this database. */
    boolean hasPeers() {
        return peers;
    }

    /** One round trip for the batch; an envelope too big for a notification travels through event_relay. */
    private void sendBatch(Handle h, List<String> envelopes) {
        List<String> notes = new ArrayList<>(envelopes.size());
        for (String envelope : envelopes) {
            if (envelope.length() * 3 <= MAX_INLINE || envelope.getBytes(StandardCharsets.UTF_8).length <= MAX_INLINE) {
                notes.add(envelope);
                continue;
            }
            UUID id = h.createQuery("INSERT INTO event_relay (envelope) VALUES (CAST(:e AS jsonb)) RETURNING id")
                    .bind("e", envelope).mapTo(UUID.class).one();
            notes.add(Json.write(Map.of("origin", instanceId, "relay_id", id.toString())));
        }
        h.createQuery("SELECT pg_notify(:c, n) FROM unnest(CAST(:notes AS text[])) AS n")
                .bind("c", CHANNEL).bind("notes", notes.toArray(String[]::new)).mapTo(String.class).list();
    }

    private void receive(String text) {
        JsonNode msg = Json.parse(text);
        if (instanceId.equals(msg.path("origin").asText())) return;
        peers = true;
        if (msg.has("presence")) {
            if (msg.get("presence").asText().equals("hello")) announce("welcome");
            return;
        }
        if (msg.has("relay_id")) {
            String stored = jdbi.withHandle(h -> h.createQuery("SELECT envelope::text FROM event_relay WHERE id = :id")
                    .bind("id", UUID.fromString(msg.get("relay_id").asText())).mapTo(String.class).findOne().orElse(null));
            if (stored == null) return;
            receive(stored);
            return;
        }
        String ws = msg.path("workspace_id").isNull() ? null : msg.path("workspace_id").asText(null);
        bus.deliverLocally(new Event(msg.get("type").asText(),
                ws == null || ws.isEmpty() ? null : UUID.fromString(ws),
                Instant.parse(msg.get("timestamp").asText()), msg.get("payload")));
    }

}
