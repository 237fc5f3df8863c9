package dev.wisp.bench.sim;

import dev.wisp.common.Scheduler;

/**
 * Something that happens at a virtual time. Subclasses rather than lambdas, so the hot paths
 * (arrivals, instance phases) reuse one object instead of allocating per firing.
 */
abstract class Event implements Scheduler.Cancellable {
    /** Virtual nanoseconds since the simulation began. */
    long at;
    /** Insertion order: ties at one instant run first-scheduled first, which keeps runs deterministic. */
    long seq;
    boolean cancelled;

    abstract void fire();

    @Override
    public void cancel() { cancelled = true; }

    /** Runs a task handed to the {@link Scheduler} interface. */
    static final class Task extends Event {
        private final Runnable task;

        Task(Runnable task) { this.task = task; }

        @Override void fire() { task.run(); }
    }
}
