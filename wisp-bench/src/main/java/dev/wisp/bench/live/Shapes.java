package dev.wisp.bench.live;

import dev.wisp.bench.scenario.DailyShape;

import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.sim.TraceCatalog;

/** The scenario's traffic patterns as live arrival shapes. */
final class Shapes {
    private Shapes() {}

    /** The shape; a trace's per-minute counts are read from its file (errors name the file and line). */
    static Arrivals.Shape of(Pattern pattern) {
        return switch (pattern) {
            case Pattern.Poisson p -> new Arrivals.Poisson(p.ratePerSecond());
            case Pattern.Constant c -> new Arrivals.Constant(c.ratePerSecond());
            case Pattern.Diurnal d -> new Arrivals.Diurnal(new DailyShape(d));
            case Pattern.Sporadic s -> new Arrivals.Sporadic(s.burstsPerHour(), s.burstSeconds(), s.burstRatePerSecond());
            case Pattern.Schedule s -> new Arrivals.Schedule(s.everySeconds());
            case Pattern.Trace t -> new Arrivals.Trace(TraceCatalog.countsOf(t), t.scale());
        };
    }

    /** Mean arrivals per second, for scaling; a trace's depends on the interval: see {@link Arrivals.Trace#expected}. */
    static double meanRate(Pattern pattern) {
        return switch (pattern) {
            case Pattern.Poisson p -> p.ratePerSecond();
            case Pattern.Constant c -> c.ratePerSecond();
            case Pattern.Diurnal d -> d.ratePerSecond();
            case Pattern.Sporadic s -> s.burstsPerHour() * s.burstSeconds() * s.burstRatePerSecond() / 3600;
            case Pattern.Schedule s -> 1 / s.everySeconds();
            case Pattern.Trace t -> 0;
        };
    }
}
