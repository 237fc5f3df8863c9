package dev.wisp.bench.scenario;

import java.nio.file.Path;
import java.util.List;

/** The arrival shape of a traffic stream (SCHEMA.md "Workload streams"). Rates are per second. */
public sealed interface Pattern {
    /** Exponential gaps at a fixed rate. */
    record Poisson(double ratePerSecond) implements Pattern {}

    /** Evenly spaced arrivals. */
    record Constant(double ratePerSecond) implements Pattern {}

    /**
     * A daily shape with mean {@code ratePerSecond}, relative swing {@code amplitude} and bumps at
     * {@code peakHours} (UTC); Saturdays and Sundays scaled by {@code weekendFactor} when given.
     */
    record Diurnal(double ratePerSecond, double amplitude, List<Double> peakHours, Double weekendFactor)
            implements Pattern {
        public Diurnal {
            peakHours = List.copyOf(peakHours);
        }
    }

    /** Bursts starting as a Poisson process, each {@code burstSeconds} of Poisson arrivals. */
    record Sporadic(double burstsPerHour, double burstSeconds, double burstRatePerSecond) implements Pattern {}

    /** One arrival every {@code everySeconds}, at multiples of it since the epoch (cron-like). */
    record Schedule(double everySeconds) implements Pattern {}

    /**
     * Replays one function's per-minute counts from an Azure-2019-layout file.
     *
     * @param file     resolved against the scenario file's folder
     * @param function a unique prefix of {@code HashFunction}
     */
    record Trace(Path file, String function, double scale) implements Pattern {}
}
