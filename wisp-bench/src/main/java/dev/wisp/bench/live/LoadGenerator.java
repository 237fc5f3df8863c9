package dev.wisp.bench.live;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open-loop load generator: each arrival starts at its time on a virtual thread of its own and
 * never waits for earlier ones to answer, as real independent callers do. In-flight requests are
 * bounded; an arrival that finds the bound reached is dropped and counted (the generator's limit,
 * not the platform's). Control steps (a deploy, a dependency turning bad) run in time order on the
 * generator's thread.
 */
final class LoadGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

    /** Something to do at scenario time {@code at} (epoch ms on the scenario's clock). */
    record Step(long at, boolean invocation, Runnable action) {}

    private final List<Step> steps;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedToSend = new AtomicLong();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile long maxLagMillis;

    LoadGenerator(List<Step> steps, int maxInFlight) {
        List<Step> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingLong(Step::at));
        this.steps = sorted;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Runs every step at its time; {@code toReal} maps scenario time to real epoch ms. Returns when
     * the last step has been started (in-flight requests may still be running: see {@link #awaitQuiet}).
     */
    void run(LongUnaryOperator toReal) throws InterruptedException {
        for (Step s : steps) {
            long due = toReal.applyAsLong(s.at());
            long wait = due - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            else maxLagMillis = Math.max(maxLagMillis, -wait);
            if (!s.invocation()) {
                try {
                    s.action().run();
                } catch (RuntimeException e) {
                    LOG.warn("bench: a control step failed", e);
                }
                continue;
            }
            int now = inFlight.incrementAndGet();
            if (now > maxInFlight) {
                inFlight.decrementAndGet();
                dropped.incrementAndGet();
                continue;
            }
            peakInFlight.accumulateAndGet(now, Math::max);
            started.incrementAndGet();
            Thread.ofVirtual().name("bench-arrival").start(() -> {
                try {
                    s.action().run();
                } catch (RuntimeException e) {
                    failedToSend.incrementAndGet();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    /** Waits until no request is in flight, at most {@code timeoutMillis}; returns those still in flight. */
    int awaitQuiet(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        return inFlight.get();
    }

    long invocationsPlanned() { return steps.stream().filter(Step::invocation).count(); }

    long started() { return started.get(); }

    long dropped() { return dropped.get(); }

    /** Arrivals whose request could not be sent or answered at all (connection errors, client timeouts). */
    long failedToSend() { return failedToSend.get(); }

    int peakInFlight() { return peakInFlight.get(); }

    long maxLagMillis() { return maxLagMillis; }
}
