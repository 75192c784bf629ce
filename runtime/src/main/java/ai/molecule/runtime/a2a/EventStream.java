package ai.molecule.runtime.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The stream of one streaming request: listens to a task from before it starts, buffers
 * the rendered JSON-RPC responses, and hands them to one subscriber as demanded, from a
 * virtual thread. It ends after the terminal status. A subscriber that cancels only stops
 * listening; the task goes on.
 */
final class EventStream implements Flow.Publisher<String>, Consumer<TaskEvent> {
    private static final Object END = new Object();

    private final JsonNode rpcId;
    private final Wire wire;
    private final TaskRun run;
    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();

    /** Listens to {@code run}, first sending the task itself when {@code opensWithTask}. */
    static EventStream open(JsonNode rpcId, Wire wire, TaskRun run, boolean opensWithTask) {
        EventStream stream = new EventStream(rpcId, wire, run);
        TaskView start = run.subscribe(stream);
        if (opensWithTask) {
            stream.items.add(JsonRpc.result(rpcId, wire.streamTask(start)));
        }
        if (start.state().isFinal()) {
            stream.items.add(END);
        }
        return stream;
    }

    private EventStream(JsonNode rpcId, Wire wire, TaskRun run) {
        this.rpcId = rpcId;
        this.wire = wire;
        this.run = run;
    }

    @Override
    public void accept(TaskEvent event) {
        JsonNode result = wire.event(run.id(), run.contextId(), event);
        if (result != null) {
            items.add(JsonRpc.result(rpcId, result));
        }
        if (event instanceof TaskEvent.StatusChanged status && status.terminal()) {
            items.add(END);
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Delivery(subscriber));
            subscriber.onError(new IllegalStateException("this stream has a subscriber already"));
            return;
        }
        Delivery delivery = new Delivery(subscriber);
        subscriber.onSubscribe(delivery);
        delivery.thread = Thread.ofVirtual().name("a2a-stream-" + run.id()).start(delivery::deliver);
    }

    private final class Delivery implements Flow.Subscription {
        private final Flow.Subscriber<? super String> subscriber;
        private long demand;
        private boolean cancelled;
        private volatile Thread thread;

        Delivery(Flow.Subscriber<? super String> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("demand must be positive (rule 3.9)"));
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
            notifyAll();
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
                notifyAll();
            }
            run.unsubscribe(EventStream.this);
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        void deliver() {
            try {
                while (awaitDemand()) {
                    Object item = items.take();
                    if (item == END) {
                        subscriber.onComplete();
                        return;
                    }
                    subscriber.onNext((String) item);
                }
            } catch (InterruptedException e) {
                // cancelled by the subscriber
            }
        }

        private synchronized boolean awaitDemand() throws InterruptedException {
            while (demand == 0 && !cancelled) {
                wait();
            }
            if (cancelled) {
                return false;
            }
            demand--;
            return true;
        }
    }
}
