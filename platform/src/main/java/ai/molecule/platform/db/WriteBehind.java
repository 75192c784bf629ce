package ai.molecule.platform.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for writes nobody waits for (activity rows, event notifications, counters):
 * callers enqueue and return; one writer thread takes everything pending and writes it in a
 * single transaction on the asynchronous-commit pool. Under load the batches grow, so the
 * cost per request falls instead of rising. Nothing is dropped: the queue is bounded (callers
 * wait when it is full), a failed batch is retried item by item, and {@link #close()}
 * flushes what is left.
 */
public final class WriteBehind implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);
    private static final int CAPACITY = 100_000;
    private static final int MAX_BATCH = 2_000;

    /** Writes one batch of a lane's items inside the shared transaction. */
    public interface BatchWriter<T> {
        void write(Handle h, List<T> items);
    }

    /** A typed lane: items of one kind, written together by one {@link BatchWriter}. */
    public final class Lane<T> {
        private final String name;
        private final BatchWriter<T> writer;

        private Lane(String name, BatchWriter<T> writer) {
            this.name = name;
            this.writer = writer;
        }

        public void add(T item) {
            try {
                enqueued.incrementAndGet();
                pending.put(new Item<>(this, item));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing a " + name + " write", e);
            }
        }
    }

    private record Item<T>(Lane<T> lane, T value) {
    }

    private final Jdbi jdbi;
    private final LinkedBlockingQueue<Item<?>> pending = new LinkedBlockingQueue<>(CAPACITY);
    private final List<Lane<?>> lanes = new CopyOnWriteArrayList<>();
    private final Object flushed = new Object();
    private final java.util.concurrent.atomic.AtomicLong enqueued = new java.util.concurrent.atomic.AtomicLong();
    private volatile long written;
    private volatile boolean running = true;
    private final Thread writerThread;

    public WriteBehind(Jdbi relaxed) {
        this.jdbi = relaxed;
        this.writerThread = Thread.ofPlatform().daemon().name("write-behind").start(this::run);
    }

    public <T> Lane<T> lane(String name, BatchWriter<T> writer) {
        Lane<T> lane = new Lane<>(name, writer);
        lanes.add(lane);
        return lane;
    }

    private void run() {
        List<Item<?>> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            try {
                Item<?> first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                written += batch.size();
                batch.clear();
                synchronized (flushed) {
                    flushed.notifyAll();
                }
            }
        }
    }

    private void write(List<Item<?>> batch) {
        try {
            jdbi.useTransaction(h -> writeAll(h, batch));
        } catch (RuntimeException e) {
            log.warn("write-behind batch of {} failed ({}); writing its items one by one", batch.size(), e.getMessage());
            for (Item<?> item : batch) {
                try {
                    jdbi.useTransaction(h -> writeAll(h, List.of(item)));
                } catch (RuntimeException one) {
                    // e.g. the workspace was deleted meanwhile: its rows have nowhere to go
                    log.warn("write-behind {} item dropped: {}", item.lane().name, one.getMessage());
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeAll(Handle h, List<Item<?>> batch) {
        for (Lane<?> lane : lanes) {
            List values = new ArrayList<>();
            for (Item<?> item : batch) if (item.lane() == lane) values.add(item.value());
            if (!values.isEmpty()) ((BatchWriter) lane.writer).write(h, values);
        }
    }

    /** Waits until everything enqueued before this call is committed (readers that must see it, shutdown). */
    public void flush() {
        long target = enqueued.get();
        if (written >= target) return;
        synchronized (flushed) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (written < target && System.nanoTime() < deadline) {
                try {
                    flushed.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        flush();
        running = false; // the writer drains what is left, then sees this within its 200 ms poll
        try {
            writerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
