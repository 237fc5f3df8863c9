package dev.wisp.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One subscriber's bounded buffer and the thread that drains it. */
public final class Subscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final String name;
    private final ArrayBlockingQueue<Object> buffer;
    private final Predicate<Object> filter;
    private final Consumer<Object> consumer;
    private final Runnable idle;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Thread drainer;
    private volatile boolean running = true;

    Subscription(String name, int capacity, Predicate<Object> filter, Consumer<Object> consumer, Runnable idle) {
        this.idle = idle;
        this.name = name;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.filter = filter;
        this.consumer = consumer;
        this.drainer = Thread.ofPlatform().daemon().name("telemetry-" + name).unstarted(this::drain);
    }

    void start() { drainer.start(); }

    void offer(Object item) {
        if (filter.test(item) && !buffer.offer(item)) {
            dropped.incrementAndGet();
        }
    }

    public String name() { return name; }

    public long dropped() { return dropped.get(); }

    public long delivered() { return delivered.get(); }

    public int backlog() { return buffer.size(); }

    private void drain() {
        List<Object> batch = new ArrayList<>(256);
        while (running || !buffer.isEmpty()) {
            try {
                Object first = buffer.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    // quiet: a sink that holds a batch back until it is big or old enough gets its chance
                    runIdle();
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, 255);
                for (Object item : batch) {
                    deliver(item);
                }
                batch.clear();
                if (buffer.isEmpty()) runIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Caught up, or quiet for 100 ms: a sink flushes here rather than after every item. */
    private void runIdle() {
        try {
            idle.run();
        } catch (RuntimeException e) {
            LOG.warn("telemetry subscriber {} failed to flush", name, e);
        }
    }

    private void deliver(Object item) {
        try {
            consumer.accept(item);
            delivered.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("telemetry subscriber {} failed on an item", name, e);
        }
    }

    /** Stop after delivering what is buffered. */
    @Override
    public void close() {
        running = false;
        try {
            drainer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
