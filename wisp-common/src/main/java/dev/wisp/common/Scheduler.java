package dev.wisp.common;

/** Runs tasks later. Real timers in the server, a virtual-time queue in the simulator. */
public interface Scheduler {
    /** Runs the task once after the delay; the handle cancels it if it has not run yet. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs the task every period until cancelled. */
    Cancellable every(long periodMillis, Runnable task);

    /** A scheduled task that can be called off. */
    interface Cancellable {
        void cancel();
    }
}
