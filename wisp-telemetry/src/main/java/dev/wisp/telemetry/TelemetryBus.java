package dev.wisp.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
    /** End of a blackout in {@link System#nanoTime()} terms; 0 when none is in force. */
    private final AtomicLong blackoutEndsAt = new AtomicLong();
    private final LongAdder withheld = new LongAdder();

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
        if (blackedOut()) {
            withheld.increment();
            return;
        }
        for (Subscription s : subscriptions) {
            s.offer(item);
        }
    }

    /**
     * A telemetry blackout, for drills and for measuring what telemetry costs a warm server: for
     * {@code millis} every published item is withheld from every subscriber, as if the server ran
     * with telemetry off, and counted. It ends by itself, so a forgotten one cannot leave the
     * platform unwatched.
     */
    public Blackout blackout(long millis) {
        if (millis <= 0 || millis > MAX_BLACKOUT_MILLIS) {
            throw new IllegalArgumentException("a blackout lasts more than 0 and at most " + MAX_BLACKOUT_MILLIS / 1000 + " seconds");
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        blackoutEndsAt.set(end == 0 ? 1 : end);
        return blackout();
    }

    /** Ends a blackout now; subscribers see everything published from here on. */
    public Blackout endBlackout() {
        blackoutEndsAt.set(0);
        return blackout();
    }

    public Blackout blackout() {
        long end = blackoutEndsAt.get();
        long left = end == 0 ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        return new Blackout(left > 0, left, withheld.sum());
    }

    /** State of the blackout knob; {@code withheld} counts items withheld by every blackout so far. */
    public record Blackout(boolean active, long remainingMillis, long withheld) {}

    static final long MAX_BLACKOUT_MILLIS = 3_600_000;

    private boolean blackedOut() {
        long end = blackoutEndsAt.get();
        if (end == 0) return false;
        if (System.nanoTime() - end < 0) return true;
        blackoutEndsAt.compareAndSet(end, 0); // over: later publishes skip the clock read
        return false;
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
