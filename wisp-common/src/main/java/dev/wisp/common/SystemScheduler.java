package dev.wisp.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Real timers on one daemon thread; tasks must be short (they hand work off, never block). */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("wisp-timer").unstarted(r));

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

    @Override
    public void close() { executor.shutdownNow(); }
}
