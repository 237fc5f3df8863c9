package dev.wisp.common;

/**
 * The only source of time in Wisp. Production code reads {@link SystemClock}; the simulator and
 * tests advance a {@link ManualClock}, so policies behave identically in both worlds.
 */
public interface Clock {
    /** Wall-clock time in epoch milliseconds, for timestamps that leave the process. */
    long wallMillis();

    /** Monotonic nanoseconds, for measuring durations. Only differences are meaningful. */
    long monoNanos();
}
