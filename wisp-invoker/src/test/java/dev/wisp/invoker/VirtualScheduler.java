package dev.wisp.invoker;

import dev.wisp.common.ManualClock;
import dev.wisp.common.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler on virtual time: it only records tasks; {@link #advance} moves the manual clock
 * forward, stopping at each due task (in due order) to run it.
 */
final class VirtualScheduler implements Scheduler {
    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long seq;

    private static final class Task implements Cancellable {
        final long seq;
        final long period;
        final Runnable body;
        long dueMillis;
        boolean cancelled;

        Task(long seq, long dueMillis, long period, Runnable body) {
            this.seq = seq;
            this.dueMillis = dueMillis;
            this.period = period;
            this.body = body;
        }

        @Override
        public void cancel() { cancelled = true; }
    }

    VirtualScheduler(ManualClock clock) { this.clock = clock; }

    private long nowMillis() { return clock.monoNanos() / 1_000_000L; }

    @Override
    public synchronized Cancellable schedule(long delayMillis, Runnable task) {
        Task t = new Task(seq++, nowMillis() + delayMillis, 0, task);
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized Cancellable every(long periodMillis, Runnable task) {
        Task t = new Task(seq++, nowMillis() + periodMillis, periodMillis, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward by {@code millis}, running every task that falls due on the way. */
    void advance(long millis) {
        long target = nowMillis() + millis;
        while (true) {
            Task next;
            synchronized (this) {
                tasks.removeIf(t -> t.cancelled);
                next = tasks.stream().filter(t -> t.dueMillis <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.dueMillis).thenComparingLong(t -> t.seq))
                        .orElse(null);
                if (next == null) break;
                if (next.dueMillis > nowMillis()) clock.advanceMillis(next.dueMillis - nowMillis());
                if (next.period > 0) next.dueMillis += next.period;
                else tasks.remove(next);
            }
            next.body.run();
        }
        if (target > nowMillis()) clock.advanceMillis(target - nowMillis());
    }

    /** One-shot tasks still waiting (not cancelled). */
    synchronized long pendingOneShots() {
        return tasks.stream().filter(t -> !t.cancelled && t.period == 0).count();
    }

    synchronized long periodicTasks() {
        return tasks.stream().filter(t -> !t.cancelled && t.period > 0).count();
    }
}
