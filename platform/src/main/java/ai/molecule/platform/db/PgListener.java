package ai.molecule.platform.db;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One connection LISTENing on the platform's notification channels, handing each payload to
 * the handler of its channel. When the connection is lost, notifications may have been missed:
 * {@link #onReconnect} hooks run once the new connection listens (caches drop everything there).
 */
public final class PgListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgListener.class);

    private final DataSource dataSource;
    private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> listeningHooks = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch firstListen = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Thread thread;

    public PgListener(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Registers a channel's handler; call before {@link #start()}. */
    public PgListener on(String channel, Consumer<String> handler) {
        handlers.put(channel, handler);
        return this;
    }

    public PgListener onReconnect(Runnable hook) {
        reconnectHooks.add(hook);
        return this;
    }

    /** Runs every time the connection listens on every channel: the first time and after each reconnect. */
    public PgListener onListening(Runnable hook) {
        listeningHooks.add(hook);
        return this;
    }

    /** Starts listening; returns once the channels are listened to (or after 5 s, retrying in the background). */
    public PgListener start() {
        thread = Thread.ofPlatform().daemon().name("pg-listener").start(this::listen);
        try {
            firstListen.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void listen() {
        boolean first = true;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    for (String channel : handlers.keySet()) s.execute("LISTEN " + channel);
                }
                if (!first) reconnectHooks.forEach(Runnable::run);
                first = false;
                listeningHooks.forEach(this::runQuietly);
                firstListen.countDown();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) continue;
                    for (PGNotification n : ns) dispatch(n);
                }
            } catch (Exception ex) {
                if (!running) return;
                log.warn("notification listener lost its connection, reconnecting: {}", ex.getMessage());
                first = false;
                sleepQuietly();
            }
        }
    }

    private void dispatch(PGNotification n) {
        Consumer<String> h = handlers.get(n.getName());
        if (h == null) return;
        try {
            h.accept(n.getParameter());
        } catch (RuntimeException e) {
            log.warn("handler of {} failed: {}", n.getName(), e.toString());
        }
    }

    private void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            log.warn("listening hook failed: {}", e.toString());
        }
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
        running = false; // the thread wakes within its 500 ms poll and releases its connection
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
