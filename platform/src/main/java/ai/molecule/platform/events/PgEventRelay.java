package ai.molecule.platform.events;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Fans events out between platform instances sharing one database with LISTEN/NOTIFY, so a
 * canvas connected to any instance sees every event. Postgres caps a notification at 8000
 * bytes; a larger event travels through the {@code event_relay} table and the
 * notification carries only its row id.
 */
public final class PgEventRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgEventRelay.class);
    static final String CHANNEL = "molecule_events";
    private static final int MAX_INLINE = 7000;

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final EventBus bus;
    private final String instanceId;
    private volatile boolean running = true;
    private final Thread listener;

    public PgEventRelay(DataSource dataSource, Jdbi jdbi, EventBus bus, String instanceId) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.bus = bus;
        this.instanceId = instanceId;
        bus.attachRelay(this);
        this.listener = Thread.ofVirtual().name("event-relay-listener").start(this::listen);
    }

    void publish(Event e) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("origin", instanceId);
        msg.put("type", e.type());
        msg.put("workspace_id", e.workspaceId());
        msg.put("timestamp", e.timestamp().toString());
        msg.put("payload", e.payload());
        String inline = Json.write(msg);
        try {
            String payload = inline;
            if (inline.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INLINE) {
                UUID id = jdbi.withHandle(h -> h.createQuery(
                                "INSERT INTO event_relay (envelope) VALUES (CAST(:e AS jsonb)) RETURNING id")
                        .bind("e", inline).mapTo(UUID.class).one());
                payload = Json.write(Map.of("origin", instanceId, "relay_id", id.toString()));
            }
            String notification = payload;
            jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:c, :p)")
                    .bind("c", CHANNEL).bind("p", notification).mapTo(String.class).one());
        } catch (RuntimeException ex) {
            log.warn("could not relay {} to other instances: {}", e.type(), ex.getMessage());
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) continue;
                    for (PGNotification n : ns) receive(n.getParameter());
                }
            } catch (Exception ex) {
                if (!running) return;
                log.warn("event relay listener lost its connection, reconnecting: {}", ex.getMessage());
                sleepQuietly();
            }
        }
    }

    private void receive(String text) {
        JsonNode msg = Json.parse(text);
        if (instanceId.equals(msg.path("origin").asText())) return;
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

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false; // the listener wakes within its 500 ms poll and releases its connection
        try {
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
