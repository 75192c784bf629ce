package ai.molecule.platform.events;

import ai.molecule.platform.db.Database;
import ai.molecule.platform.db.DatabaseUrl;
import ai.molecule.platform.db.PgListener;
import ai.molecule.platform.db.WriteBehind;
import ai.molecule.platform.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance alone on its database relays no event (nobody would read the notification);
 * once a second instance says hello, both relay and each sees the other's events.
 */
class EventRelayPresenceTest {
    private Database db;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @BeforeEach
    void connect() {
        db = Database.connect(DatabaseUrl.parse(TestDatabase.freshDatabaseUrl()));
    }

    @AfterEach
    void close() throws Exception {
        while (!open.isEmpty()) open.pop().close();
        db.close();
    }

    private record Instance(EventBus bus, WriteBehind writes, PgEventRelay relay, List<Event> seen) {
    }

    private Instance instance(String id) {
        EventBus bus = new EventBus(db.jdbi());
        WriteBehind writes = new WriteBehind(db.relaxed());
        PgListener listener = new PgListener(db.dataSource());
        PgEventRelay relay = new PgEventRelay(listener, db.jdbi(), bus, id, writes);
        List<Event> seen = new CopyOnWriteArrayList<>();
        bus.subscribe(seen::add);
        open.push(writes);
        open.push(listener.start());
        return new Instance(bus, writes, relay, seen);
    }

    @Test
    void aloneNothingIsRelayedWithAPeerEverythingIs() throws Exception {
        try (Connection raw = db.dataSource().getConnection()) {
            try (Statement s = raw.createStatement()) {
                s.execute("LISTEN " + PgEventRelay.CHANNEL);
            }
            Instance a = instance("instance-a");
            a.bus().emit("TEST_ALONE", null, Map.of("n", 1));
            a.writes().flush(); // anything it relays is committed before the sentinel below
            try (Statement s = db.dataSource().getConnection().createStatement()) {
                s.execute("SELECT pg_notify('" + PgEventRelay.CHANNEL + "', 'sentinel')");
                s.getConnection().close();
            }
            List<String> heard = notificationsUntil(raw, "sentinel");
            assertThat(heard).as("only a's hello, no event").noneMatch(n -> n.contains("TEST_ALONE"));
            assertThat(heard).anyMatch(n -> n.contains("\"presence\":\"hello\""));
            assertThat(a.relay().hasPeers()).isFalse();

            Instance b = instance("instance-b");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.relay().hasPeers() && b.relay().hasPeers());
            a.bus().emit("TEST_FROM_A", null, Map.of("n", 2));
            b.bus().emit("TEST_FROM_B", null, Map.of("n", 3));
            await().atMost(Duration.ofSeconds(10)).until(() -> types(b).contains("TEST_FROM_A") && types(a).contains("TEST_FROM_B"));
            assertThat(types(b)).doesNotContain("TEST_ALONE");
        }
    }

    private static List<String> types(Instance i) {
        return i.seen().stream().map(Event::type).toList();
    }

    private static List<String> notificationsUntil(Connection c, String last) throws Exception {
        List<String> heard = new ArrayList<>();
        PGConnection pg = c.unwrap(PGConnection.class);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            PGNotification[] ns = pg.getNotifications(200);
            if (ns == null) continue;
            for (PGNotification n : ns) {
                if (n.getParameter().equals(last)) return heard;
                heard.add(n.getParameter());
            }
        }
        throw new AssertionError("no sentinel; heard " + heard);
    }
}
