package dev.wisp.bench.live;

import dev.wisp.bench.sim.SimListener;
import dev.wisp.telemetry.model.InvocationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

/**
 * Hands the live server's telemetry to the bench's listener on one thread: every item shifted onto
 * the scenario's clock, and a {@code tick} once per second of the scenario's clock after the items
 * that arrived before it. Items stamped before the live part started (deployment, key creation)
 * are set-up noise and are not forwarded. The listener is single-threaded: it is only ever called
 * from this forwarder's thread.
 */
final class TelemetryForwarder implements AutoCloseable {
    /** A second is ticked this long after it ends, so items the bus is still carrying arrive before its tick. */
    static final long TICK_GRACE_MILLIS = 250;

    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(1 << 20);
    private final SimListener listener;
    private final DoubleConsumer progress;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong setUp = new AtomicLong();
    private volatile TelemetryShift shift;
    private volatile long realStart;
    private long scenarioStart;
    private long scenarioEnd;
    private volatile boolean stopping;
    private Thread thread;
    private long forwarded;
    private long records;
    private long scoredRecords;
    private long lastTick;

    TelemetryForwarder(SimListener listener, DoubleConsumer progress) {
        this.listener = listener;
        this.progress = progress;
    }

    /** The bus's subscriber: never blocks; a full queue drops and counts. */
    void offer(Object item) {
        if (!queue.offer(item)) dropped.incrementAndGet();
    }

    /**
     * Starts forwarding: real time {@code realStartMillis} is the scenario's {@code scenarioStartMillis};
     * records received in [scenario start, scenario end) are counted as scored.
     */
    void start(long realStartMillis, long scenarioStartMillis, long scenarioEndMillis, boolean live,
               java.util.Map<String, String> sourceIdToLabel) {
        this.shift = TelemetryShift.mapping(realStartMillis, scenarioStartMillis).renamingSources(sourceIdToLabel);
        this.realStart = realStartMillis;
        this.scenarioStart = scenarioStartMillis;
        this.scenarioEnd = scenarioEndMillis;
        this.lastTick = scenarioStartMillis;
        thread = Thread.ofPlatform().name("bench-live-telemetry").daemon().start(live ? this::loop : this::progressOnly);
    }

    /** Without a live feed: only progress, while the telemetry waits on a remote server. */
    private void progressOnly() {
        while (!stopping) {
            long scenarioNow = shift.toScenario(System.currentTimeMillis());
            progress.accept(Math.min(1.0, Math.max(0, (double) (scenarioNow - scenarioStart) / Math.max(1, scenarioEnd - scenarioStart))));
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Hands over telemetry fetched after the run (real clock, time order) on the caller's thread,
     * ticking between items as the live feed would have.
     */
    void replay(List<Object> items) {
        close();
        for (Object item : items) {
            long ts = TelemetryShift.timestampOf(item);
            if (ts >= realStart) tickUpTo(shift.toScenario(ts));
            forward(item);
        }
        tickUpTo(shift.toScenario(System.currentTimeMillis()));
    }

    private void tickUpTo(long scenarioNow) {
        while (lastTick + 1000 <= scenarioNow) {
            lastTick += 1000;
            listener.tick(lastTick);
        }
    }

    TelemetryShift shift() { return shift; }

    private void loop() {
        List<Object> batch = new ArrayList<>(512);
        while (true) {
            boolean last = stopping;
            long now = System.currentTimeMillis();
            long nextTickReal = shift.toReal(lastTick + 1000) + TICK_GRACE_MILLIS;
            try {
                Object first = queue.poll(Math.max(0, Math.min(100, nextTickReal - now)), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 511);
                    for (Object item : batch) forward(item);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long before = lastTick;
            tickUpTo(shift.toScenario(System.currentTimeMillis() - TICK_GRACE_MILLIS));
            if (lastTick != before) {
                progress.accept(Math.min(1.0, (double) (lastTick - scenarioStart) / Math.max(1, scenarioEnd - scenarioStart)));
            }
            if (last && queue.isEmpty()) return;
        }
    }

    private void forward(Object item) {
        long ts = TelemetryShift.timestampOf(item);
        if (ts >= 0 && ts < realStart) {
            setUp.incrementAndGet();
            return;
        }
        Object shifted = shift.apply(item);
        if (shifted instanceof InvocationRecord r) {
            records++;
            if (r.receivedAt() >= scenarioStart && r.receivedAt() < scenarioEnd) scoredRecords++;
        }
        forwarded++;
        listener.telemetry(shifted);
    }

    /** Forwards what is still queued, ticks up to now, and stops. */
    @Override
    public void close() {
        stopping = true;
        if (thread == null || thread == Thread.currentThread()) return;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Invocation records forwarded (read after {@link #close}). */
    long records() { return records; }

    long scoredRecords() { return scoredRecords; }

    long forwarded() { return forwarded; }

    long dropped() { return dropped.get(); }

    long setUpItems() { return setUp.get(); }
}
