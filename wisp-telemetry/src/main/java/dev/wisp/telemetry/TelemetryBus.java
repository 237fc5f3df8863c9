package dev.wisp.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publish/subscribe for telemetry. {@link #publish} never blocks: every subscriber has
 * its own bounded buffer drained by its own thread, and a full buffer drops the item and counts
 * the drop, so a slow sink can never slow an invocation.
 */
public final class TelemetryBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryBus.class);

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * Subscribe to every published item the filter accepts.
     *
     * @param capacity bound of this subscriber's buffer; beyond it items are dropped and counted
     */
    public Subscription subscribe(String name, int capacity, Predicate<Object> filter, Consumer<Object> consumer) {
        return subscribe(name, capacity, filter, consumer, () -> { });
    }

    /**
     * As above, with {@code idle} run whenever the subscriber has caught up with everything
     * published so far (a sink flushes there, once per batch instead of once per item).
     */
    public Subscription subscribe(String name, int capacity, Predicate<Object> filter, Consumer<Object> consumer,
                                  Runnable idle) {
        Subscription s = new Subscription(name, capacity, filter, consumer, idle);
        subscriptions.add(s);
        s.start();
        return s;
    }

    /** Offer an item to every subscriber; returns immediately. */
    public void publish(Object item) {
        for (Subscription s : subscriptions) {
            s.offer(item);
        }
    }

    public List<Subscription> subscriptions() { return List.copyOf(subscriptions); }

    /** Total items dropped across subscribers. */
    public long dropped() {
        return subscriptions.stream().mapToLong(Subscription::dropped).sum();
    }

    @Override
    public void close() {
        for (Subscription s : subscriptions) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing telemetry subscriber {} failed", s.name(), e);
            }
        }
        subscriptions.clear();
    }
}
