package dev.wisp.common;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real timers on one daemon thread; tasks must be short (they hand work off, never block). */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
            r -> Thread.ofPlatform().daemon().name("wisp-timer").unstarted(r));

    public SystemScheduler() {
        // every invocation schedules its timeout and nearly always cancels it: left in the queue,
        // the cancelled tasks woke this thread once each when their time came (~10 µs of CPU per
        // invocation at saturation); removed on cancel, the queue holds only what is in flight
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guard(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable every(long periodMillis, Runnable task) {
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guard(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                System.getLogger("wisp.timer").log(System.Logger.Level.WARNING, "scheduled task failed", e);
            }
        };
    }

    /** Tasks waiting for their time (cancelled ones are gone). */
    int queued() { return executor.getQueue().size(); }

    @Override
    public void close() { executor.shutdownNow(); }
}
