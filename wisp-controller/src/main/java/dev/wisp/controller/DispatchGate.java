package dev.wisp.controller;

import dev.wisp.common.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's fault-injection knob on the controller's dispatch capacity, for drills and the
 * bench's {@code queueing-collapse}: for a while, invocations leave the controller for the
 * instance pool at most at a reduced rate, in arrival order, and wait for their turn. The wait
 * counts in their {@code waitMs} (received to dispatched), as a real controller short of capacity
 * would show it.
 *
 * <p>The model is the simulator's: the normal capacity is {@link #HEADROOM} times the arrival rate
 * of the last minute (a controller sized with 50 % headroom over its load; at least one per
 * second); a collapse sets it to {@code factor} times that for its duration; afterwards the
 * backlog drains at the normal capacity of that moment before invocations flow straight through
 * again; requests already waiting are re-paced when the capacity changes. A request whose turn
 * would come after its function's timeout (counted from its receipt; predicted on arrival, with the
 * normal capacity once the collapse is over) does not take a turn: it times out at its deadline, as
 * the simulator's gate does.
 *
 * <p>Off (the default and after the drain), {@link #admit} costs one counter increment and one
 * volatile read.
 */
public final class DispatchGate {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchGate.class);
    /** Normal dispatch capacity over the last minute's arrival rate. */
    public static final double HEADROOM = 1.5;
    /** The last full minute and the current second. */
    private static final int RING = 61;
    /** The longest collapse one request may ask for. */
    public static final long MAX_DURATION_MILLIS = 3_600_000L;

    /** What the gate does now. */
    public record State(boolean active, boolean draining, double factor, double capacityPerSecond,
                        double normalCapacityPerSecond, long untilMillis, int waiting) {}

    private final Clock clock;
    /**
     * Arrivals per (monotonic) second over the last minute: slot i holds the count of the second
     * stamped in {@code seconds}. Lock-free and approximate: a count may be lost when a slot turns over.
     */
    private final AtomicLongArray counts = new AtomicLongArray(RING);
    private final AtomicLongArray seconds = new AtomicLongArray(RING);
    private volatile boolean armed;
    /** A lock rather than a monitor: waiting virtual threads must not pin their carriers (JDK 21). */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock: requests take tickets in arrival order; ticket k leaves at slot(k), the
    // dispatch head moving at capacityPerSecond from (baseTicket, baseNanos), rebased on every change
    private boolean draining;
    private double factor = 1;
    private double capacityPerSecond;
    private long untilNanos;
    private long untilMillis;
    private long nextTicket;
    private double baseTicket;
    private long baseNanos;
    private int waiting;

    public DispatchGate(Clock clock) {
        this.clock = clock;
    }

    /**
     * Lowers the dispatch capacity to {@code factor} times normal for {@code durationMillis}; a
     * collapse already under way is replaced.
     *
     * @throws IllegalArgumentException when factor is not in (0, 1] or the duration not in (0, 1 h]
     */
    public State collapse(double factor, long durationMillis) {
        if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException("factor must be greater than 0 and at most 1");
        if (durationMillis <= 0 || durationMillis > MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("durationSeconds must be greater than 0 and at most " + MAX_DURATION_MILLIS / 1000);
        }
        lock.lock();
        try {
            long now = clock.monoNanos();
            double normal = normalCapacity();
            rebase(now, Math.max(0.1, factor * normal));
            this.factor = factor;
            this.untilNanos = now + TimeUnit.MILLISECONDS.toNanos(durationMillis);
            this.untilMillis = clock.wallMillis() + durationMillis;
            this.draining = false;
            this.armed = true;
            LOG.warn("fault injection: dispatch capacity cut to {} x normal ({} /s of {} /s) for {} ms", factor,
                    round(capacityPerSecond), round(normal), durationMillis);
            return state();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a collapse now: the backlog drains at normal capacity, then invocations flow straight through. */
    public State restore() {
        lock.lock();
        try {
            if (armed && !draining) {
                untilNanos = clock.monoNanos();
                untilMillis = clock.wallMillis();
                startDrain(untilNanos);
            }
            return state();
        } finally {
            lock.unlock();
        }
    }

    public State state() {
        lock.lock();
        try {
            if (armed) tick(clock.monoNanos());
            return new State(armed && !draining, armed && draining, armed && !draining ? factor : 1, armed ? capacityPerSecond : 0,
                    normalCapacity(), armed && !draining ? untilMillis : 0, waiting);
        } finally {
            lock.unlock();
        }
    }

    /** Until when a collapse runs (epoch ms), or 0 when none is. */
    public long activeUntilMillis() {
        lock.lock();
        try {
            return armed && !draining ? untilMillis : 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts an arrival and, during a collapse or its drain, blocks the calling (virtual) thread until
     * the request's turn. Returns false when its turn would come only after {@code deadlineNanos}
     * (monotonic): then it waits until the deadline without taking a turn.
     */
    /** Whether a collapse (or the drain after it) is under way: only then does {@link #admit} make anyone wait. */
    public boolean armed() { return armed; }

    public boolean admit(long deadlineNanos) throws InterruptedException {
        long now = clock.monoNanos();
        count(Math.floorDiv(now, 1_000_000_000L));
        if (!armed) return true;
        lock.lock();
        try {
            tick(now);
            if (!armed) return true;
            if (head(now) > nextTicket) {
                baseTicket = nextTicket; // the gate was idle: no credit saved up
                baseNanos = now;
            }
            long ticket = nextTicket;
            boolean inTime = predictedSlot(ticket) <= deadlineNanos;
            if (inTime) nextTicket++;
            waiting++;
            try {
                while (true) {
                    long left = (inTime ? slot(ticket) : deadlineNanos) - clock.monoNanos();
                    // a change of capacity signals the waiters to work out their turn again
                    if (left <= 0 || changed.awaitNanos(left) <= 0) break;
                }
            } finally {
                waiting--;
            }
            return inTime;
        } finally {
            lock.unlock();
        }
    }

    // guarded by lock
    private double head(long t) { return baseTicket + (t - baseNanos) / 1e9 * capacityPerSecond; }

    // guarded by lock
    private long slot(long ticket) { return baseNanos + (long) ((ticket - baseTicket) * 1e9 / capacityPerSecond); }

    /** When the ticket's turn comes, counting on the normal capacity of now once the collapse is over (guarded by lock). */
    private long predictedSlot(long ticket) {
        long slot = slot(ticket);
        if (draining || slot <= untilNanos) return slot;
        double byEnd = head(untilNanos);
        return untilNanos + (long) ((ticket - byEnd) * 1e9 / Math.max(0.1, normalCapacity()));
    }

    // guarded by lock
    private void rebase(long now, double capacity) {
        if (armed) baseTicket = Math.min(head(now), nextTicket);
        else baseTicket = nextTicket;
        baseNanos = now;
        capacityPerSecond = capacity;
        changed.signalAll();
    }

    // guarded by lock
    private void tick(long now) {
        if (!draining && now >= untilNanos) startDrain(untilNanos);
        if (draining && head(now) >= nextTicket) {
            armed = false;
            draining = false;
            LOG.warn("fault injection: dispatch capacity restored");
        }
    }

    // guarded by lock
    private void startDrain(long at) {
        draining = true;
        rebase(at, Math.max(0.1, normalCapacity()));
        LOG.warn("fault injection: dispatch capacity collapse over; the backlog drains at {} /s", round(capacityPerSecond));
    }

    /** {@link #HEADROOM} times the arrival rate of the last full minute, at least one per second. */
    private double normalCapacity() {
        long current = Math.floorDiv(clock.monoNanos(), 1_000_000_000L);
        long sum = 0;
        for (int i = 0; i < RING; i++) {
            long s = seconds.get(i);
            if (s < current && s >= current - 60) sum += counts.get(i);
        }
        return HEADROOM * Math.max(1.0, sum / 60.0);
    }

    private void count(long second) {
        int i = (int) Math.floorMod(second, (long) RING);
        long stamped = seconds.get(i);
        if (stamped != second) {
            if (seconds.compareAndSet(i, stamped, second)) {
                counts.set(i, 1);
                return;
            }
        }
        counts.incrementAndGet(i);
    }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }
}
